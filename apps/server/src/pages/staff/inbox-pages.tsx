import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import {
  AccessPurposeQuery, AssessmentDto, AssignDto, DecisionDto, FirstContactDto, ForwardDto, HandlingService, InboxQuery, InboxService, LegalClocksService,
  NoteDto, RepliesService, ReplyDto, StatusChangeDto, metadataOf,
} from '@app/delivery';
import { FormDefinitionsService } from '@app/forms';
import { type AuthContext, StaffService, UnitsService, handlesUnit } from '@app/identity';
import { Clock, DomainError } from '@app/platform';
import { renderError } from '../../http/error.filter';
import { sendPdf } from '../../http/send-pdf';
import { redirectTo, sendPage } from '../render';
import { type InboxFilters, InboxListPage, ItemPage, PurposePage } from './inbox-views';
import { StaffPageKit, formBody, queryOf } from './staff-kit';
import type { StaffPageContext } from './staff-layout';

/** What a handler may do from an opened submission's page. */
export const INBOX_ACTIONS = ['status', 'assessment', 'decision', 'first-contact', 'assign', 'note', 'reply', 'forward'] as const;
export type InboxAction = (typeof INBOX_ACTIONS)[number];

/** Client errors an action answers on the page itself; anything else is the error page. */
const SHOWN_ON_PAGE = new Set(['validation_failed', 'invalid_submission_status', 'submission_closed', 'assignee_not_handler', 'already_in_unit', 'unknown_reference', 'already_recorded', 'assessment_first', 'child_welfare_only', 'not_for_child_welfare']);

/**
 * The unit inbox for handlers. Every read of content goes through the
 * delivery lib's InboxService (one access-log row per open or PDF, in the
 * read's transaction) and every change through its handling services.
 * Opening asks first why; the purpose travels in the address, and a
 * cross-site link that carries one is asked again, so another site cannot
 * make a handler's browser open a submission "for handling".
 */
@Injectable()
export class InboxPages {
  constructor(
    private readonly kit: StaffPageKit,
    private readonly inbox: InboxService,
    private readonly handling: HandlingService,
    private readonly clocks: LegalClocksService,
    private readonly replies: RepliesService,
    private readonly staff: StaffService,
    private readonly units: UnitsService,
    private readonly clock: Clock,
    private readonly forms: FormDefinitionsService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async list(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res);
    if (!ctx) return;
    const auth = ctx.caller!.auth;
    if (!auth.handlerUnitIds.length) throw new DomainError('forbidden');
    const query = await queryOf(InboxQuery, req.query, ['status', 'priority', 'form', 'overdue', 'assignedToMe', 'unit', 'offset']);
    const page = await this.inbox.list(auth, { ...query, limit: 50 }, ctx.lang);
    const units = (await this.units.list()).filter((u) => auth.handlerUnitIds.includes(u.id)).map((u) => ({ id: u.id, name: u.name[ctx.lang] }));
    const filters: InboxFilters = { status: query.status, priority: query.priority, overdue: query.overdue, assignedToMe: query.assignedToMe, unit: query.unit, form: query.form };
    const notice = req.query.done === 'forwarded' ? ctx.s.item.forwarded : undefined;
    sendPage(res, <InboxListPage ctx={ctx} page={page} filters={filters} units={units} forms={await this.inboxForms(ctx)} notice={notice} />);
  }

  /** The forms whose submissions reach an inbox (pre-information goes to the calendar), by id with the newest version's title. */
  private async inboxForms(ctx: StaffPageContext): Promise<{ id: string; title: string }[]> {
    const titles = new Map<string, string>();
    for (const form of await this.forms.list()) if (form.purpose !== 'pre-information') titles.set(form.id, form.title[ctx.lang] ?? form.id);
    return [...titles].map(([id, title]) => ({ id, title })).sort((a, b) => a.title.localeCompare(b.title, ctx.lang));
  }

  /** Asks the purpose, or (with one, from this site) opens the submission: one access-log row. */
  async item(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.signedIn(req, res);
    if (!ctx) return;
    const asked = req.query.purpose !== undefined;
    if (!asked || crossSite(req)) return this.askPurpose(ctx, res, id);
    let purpose: AccessPurposeQuery;
    try {
      purpose = await queryOf(AccessPurposeQuery, req.query, ['purpose', 'purposeText']);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
      return this.askPurpose(ctx, res, id, renderError(error, ctx.lang).message);
    }
    const notice = typeof req.query.done === 'string' && (INBOX_ACTIONS as readonly string[]).includes(req.query.done) ? ctx.s.common.done : undefined;
    await this.show(ctx, res, id, purpose, { notice });
  }

  /** The PDF, through the logged service, with the purpose stated when it was opened. */
  async pdf(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.signedIn(req, res);
    if (!ctx) return;
    if (req.query.purpose === undefined || crossSite(req)) return this.askPurpose(ctx, res, id);
    const purpose = await queryOf(AccessPurposeQuery, req.query, ['purpose', 'purposeText']);
    const found = await this.inbox.pdf(ctx.caller!.auth, id, { ...purpose, lang: ctx.lang });
    sendPdf(res, found.reference, found.pdf);
  }

  async act(req: Request, res: Response, id: string, action: string): Promise<void> {
    const ctx = await this.kit.posted(req, res);
    if (!ctx) return;
    if (!(INBOX_ACTIONS as readonly string[]).includes(action)) throw new DomainError('not_found');
    const auth = ctx.caller!.auth;
    const purpose = await formBody(AccessPurposeQuery, req.body, ['purpose', 'purposeText']);
    try {
      await this.perform(auth, id, action as InboxAction, req.body, ctx);
    } catch (error) {
      if (!(error instanceof DomainError) || !SHOWN_ON_PAGE.has(error.code)) throw error;
      const body = renderError(error, ctx.lang);
      return this.show(ctx, res, id, purpose, { error: body.message }, body.status);
    }
    if (action === 'forward') return redirectTo(res, '/staff/inbox?done=forwarded');
    const query = new URLSearchParams({ purpose: purpose.purpose, ...(purpose.purposeText ? { purposeText: purpose.purposeText } : {}), done: action });
    redirectTo(res, `/staff/inbox/${id}?${query.toString()}`);
  }

  private async perform(auth: AuthContext, id: string, action: InboxAction, body: unknown, ctx: StaffPageContext): Promise<void> {
    const lang = ctx.lang;
    switch (action) {
      case 'status':
        await this.handling.setStatus(auth, id, await formBody(StatusChangeDto, body, ['status', 'outcome']), lang);
        return;
      case 'assessment':
        await this.clocks.recordAssessment(auth, id, await formBody(AssessmentDto, body, ['result']), lang);
        return;
      case 'decision':
        await this.clocks.recordDecision(auth, id, await formBody(DecisionDto, body, ['decision']), lang);
        return;
      case 'first-contact':
        await this.clocks.recordFirstContact(auth, id, await formBody(FirstContactDto, body, ['channel']), lang);
        return;
      case 'assign': {
        const staffId = (body as Record<string, unknown>).staffId;
        const dto = await formBody(AssignDto, { staffId: staffId === '' ? undefined : staffId }, ['staffId']).catch((error) => {
          if (staffId === '' || staffId === undefined) return { staffId: null } as AssignDto;
          throw error;
        });
        await this.handling.assign(auth, id, dto.staffId ?? null, lang);
        return;
      }
      case 'note':
        await this.handling.addNote(auth, id, (await formBody(NoteDto, body, ['text'])).text);
        return;
      case 'reply':
        await this.replies.reply(auth, id, (await formBody(ReplyDto, body, ['text'])).text);
        return;
      case 'forward':
        await this.handling.forward(auth, id, await formBody(ForwardDto, body, ['unitId', 'reason']), lang);
        return;
    }
  }

  private async show(ctx: StaffPageContext, res: Response, id: string, purpose: AccessPurposeQuery, messages: { notice?: string; error?: string }, status = 200): Promise<void> {
    const auth = ctx.caller!.auth;
    const item = await this.inbox.open(auth, id, purpose, ctx.lang);
    const everyone = await this.staff.list();
    const handlers = everyone.filter((s) => s.active && item.unit && s.handlerUnitIds.includes(item.unit.id)).map((s) => ({ id: s.id, name: s.name }));
    const units = (await this.units.list()).map((u) => ({ id: u.id, name: u.name[ctx.lang] }));
    sendPage(res, <ItemPage ctx={ctx} item={item} extras={{ purpose: { purpose: purpose.purpose, purposeText: purpose.purposeText }, handlers, units, ...messages }} />, status);
  }

  /** The purpose question, with the metadata a handler of the unit may see anyway; another unit's submission is not found. */
  private async askPurpose(ctx: StaffPageContext, res: Response, id: string, error?: string): Promise<void> {
    const auth = ctx.caller!.auth;
    const [row] = await this.db.query(`SELECT unit_id, purpose FROM submission WHERE id = $1`, [id]);
    if (!row || row.purpose === 'pre-information' || !handlesUnit(auth, row.unit_id)) throw new DomainError('not_found');
    const item = await metadataOf(this.db.manager, id, ctx.lang, this.clock.now());
    sendPage(res, <PurposePage ctx={ctx} item={item} error={error} />, error ? 422 : 200);
  }
}

/** A request a page of another site started (a link, a form): it may not carry a stated purpose. */
function crossSite(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  return site === 'cross-site' || site === 'same-site';
}

