import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppointmentsService } from '@app/booking';
import { type CompiledForm, FormDefinitionsService, type SubmissionReceipt, isQuestion } from '@app/forms';
import { AppConfig, DomainError } from '@app/platform';
import { PreInformationService } from '../../pre-information.service';
import { Notice } from '../components/ui';
import { readCookie } from '../cookies';
import { type PageContext, PageContextFactory } from '../page-context';
import { redirectTo, sendPage } from '../render';
import { type FlowTarget, FormFlow, type State, decodeState } from './form-flow';
import { type Answers, FormLayout, PrintButton } from './form-pages';
import { MessagePage } from './message-page';

/** The pre-information token's cookie: for this appointment's pages only, for a while after the link was opened (renewed by each page). */
export const PRE_INFORMATION_COOKIE = 'preinfo';
const COOKIE_MINUTES = 30;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

type Contact = { name: string; email: string | null; phone: string | null };

/**
 * Answers filled in from the booking where the definition says what a
 * question asks for: its `autocomplete` purpose `name`, `email` or `tel` is
 * the booking's contact name, e-mail or phone (the family checks them on the
 * page; `off` or any other purpose is never filled in).
 */
export function prefill(form: CompiledForm, contact: Contact): Answers {
  const from: Record<string, string | null> = { name: contact.name, email: contact.email, tel: contact.phone };
  const answers: Answers = {};
  for (const page of form.definition.pages) {
    for (const item of page.questions) {
      if (!isQuestion(item) || item.control === 'group' || !item.autocomplete) continue;
      const value = from[item.autocomplete];
      if (value) answers[item.answer] = value;
    }
  }
  return answers;
}

/**
 * The pre-information link of a booking (`/appointments/{id}/pre-information`):
 * the token moves from the address into a short-lived HttpOnly cookie for
 * this appointment, and the service's form is filled in with the one form
 * renderer, then sent with the API's rules (a second one replaces the first).
 */
@Injectable()
export class PreInformationPages {
  private readonly secure: boolean;

  constructor(
    private readonly contexts: PageContextFactory,
    private readonly appointments: AppointmentsService,
    private readonly definitions: FormDefinitionsService,
    private readonly preInformation: PreInformationService,
    private readonly flow: FormFlow,
    config: AppConfig,
  ) {
    this.secure = config.publicUrl.startsWith('https:');
  }

  async open(req: Request, res: Response, id: string): Promise<void> {
    const ctx = this.contexts.create(req, res);
    const fromLink = req.query.token;
    const token = fromLink !== undefined ? (typeof fromLink === 'string' ? fromLink : '') : readCookie(req, PRE_INFORMATION_COOKIE);
    if (token === undefined) return this.openAgain(ctx, res);
    const target = await this.check(ctx, res, id, token);
    if (!target) return;
    this.setCookie(res, id, token);
    if (fromLink !== undefined) {
      return redirectTo(res, `/appointments/${id}/pre-information${typeof req.query.lang === 'string' ? `?lang=${ctx.lang}` : ''}`);
    }
    const form = await this.definitions.published(target.formId);
    const answers = prefill(form, target.contact);
    const state: State = { v: form.definition.version, a: answers };
    this.flow.showStart(ctx, res, form, state, this.target(id, token), Object.keys(answers).length ? ctx.t.formsMore.preInfoPrefilled : undefined);
  }

  async post(req: Request, res: Response, id: string): Promise<void> {
    this.contexts.checkPost(req);
    const ctx = this.contexts.create(req, res);
    const token = readCookie(req, PRE_INFORMATION_COOKIE);
    if (token === undefined) return this.openAgain(ctx, res);
    const target = await this.check(ctx, res, id, token);
    if (!target) return;
    this.setCookie(res, id, token);
    const previous = decodeState((req.body as Record<string, unknown> | undefined)?._state);
    const form = await this.definitions.published(target.formId, previous?.v);
    const state: State = previous && previous.v === form.definition.version ? previous : { v: form.definition.version, a: {} };
    await this.flow.run(ctx, req, res, form, state, this.target(id, token));
  }

  private target(id: string, token: string): FlowTarget {
    return {
      action: `/appointments/${id}/pre-information`,
      // The link itself is the way back until the appointment; a second secret to keep would only add a risk.
      drafts: false,
      send: async (ctx, _req, res, form, state) => {
        const receipt = await this.preInformation.submit(id, token, { language: ctx.lang, answers: state.a, version: state.v });
        sendPage(res, <PreInformationSent ctx={ctx} form={form} receipt={receipt} />, 201);
      },
    };
  }

  /** The appointment the token opens; otherwise the page saying what to do, and undefined. */
  private async check(ctx: PageContext, res: Response, id: string, token: string) {
    const m = ctx.t.formsMore;
    if (!TOKEN_SHAPE.test(token)) {
      sendPage(res, <MessagePage ctx={ctx} title={m.preInfoLinkInvalidTitle} text={m.preInfoLinkInvalid} noindex />, 404);
      return undefined;
    }
    try {
      return await this.appointments.preInformationTarget(id, token);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not_found') {
        sendPage(res, <MessagePage ctx={ctx} title={m.preInfoLinkInvalidTitle} text={m.preInfoLinkInvalid} noindex />, 404);
        return undefined;
      }
      if (error instanceof DomainError && error.code === 'appointment_not_active') {
        res.clearCookie(PRE_INFORMATION_COOKIE, { path: `/appointments/${id}` });
        sendPage(res, <MessagePage ctx={ctx} title={m.preInfoNotActiveTitle} text={m.preInfoNotActive} noindex />, 409);
        return undefined;
      }
      throw error;
    }
  }

  private openAgain(ctx: PageContext, res: Response): void {
    sendPage(res, <MessagePage ctx={ctx} title={ctx.t.formsMore.preInfoAgainTitle} text={ctx.t.formsMore.preInfoAgain} noindex />, 403);
  }

  private setCookie(res: Response, id: string, token: string): void {
    res.cookie(PRE_INFORMATION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: `/appointments/${id}`, maxAge: COOKIE_MINUTES * 60_000 });
  }
}

/** The end of the pre-information: sent, staff will see it (and that it replaced an earlier one). */
function PreInformationSent({ ctx, form, receipt }: { ctx: PageContext; form: CompiledForm; receipt: SubmissionReceipt }) {
  const m = ctx.t.formsMore;
  return (
    <FormLayout ctx={ctx} form={form.definition} title={m.preInfoSentTitle}>
      <div class="panel">
        <h1>{m.preInfoSentTitle}</h1>
        <p>{ctx.t.form.reference}</p>
        <p class="reference">{receipt.reference}</p>
      </div>
      <p>{m.preInfoSent}</p>
      {receipt.replaces && <Notice><p>{m.preInfoReplaced}</p></Notice>}
      <PrintButton ctx={ctx} />
    </FormLayout>
  );
}
