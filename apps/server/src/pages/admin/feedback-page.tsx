import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AccessibilityFeedbackService, type FeedbackView } from '@app/delivery';
import { formatDateTime } from '../format';
import { sendPage } from '../render';
import { StaffPageKit } from '../staff/staff-kit';
import { StaffLayout, type StaffPageContext } from '../staff/staff-layout';

const LANGUAGE_NAMES = { fi: 'suomi', sv: 'svenska', en: 'English' } as const;

/** The accessibility statement's feedback, newest first (admins only). */
export function FeedbackListPage({ ctx, items }: { ctx: StaffPageContext; items: FeedbackView[] }) {
  const f = ctx.s.feedback;
  return (
    <StaffLayout ctx={ctx} title={f.title} section="feedback">
      <h1>{f.title}</h1>
      <p>{f.lead}</p>
      {items.length === 0 ? <p>{f.empty}</p> : (
        <ol class="messages">
          {items.map((item) => (
            <li key={item.id} class="message" data-id={item.id}>
              <p><strong>{f.received}:</strong> {formatDateTime(item.receivedAt, ctx.lang)} · <strong>{f.language}:</strong> <span lang={item.language}>{LANGUAGE_NAMES[item.language]}</span></p>
              <p><strong>{f.email}:</strong> {item.email ? <a href={`mailto:${item.email}`}>{item.email}</a> : f.noEmail}</p>
              <p class="message__text" lang={item.language}>{item.message}</p>
            </li>
          ))}
        </ol>
      )}
    </StaffLayout>
  );
}

@Injectable()
export class AdminFeedbackPages {
  constructor(
    private readonly kit: StaffPageKit,
    private readonly feedback: AccessibilityFeedbackService,
  ) {}

  async list(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    sendPage(res, <FeedbackListPage ctx={ctx} items={await this.feedback.list()} />);
  }
}
