import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type CompiledForm, DraftsService, FormDefinitionsService, type Page, type PageItem, type Question, SubmissionsService } from '@app/forms';
import { ReceiptsService } from '@app/delivery';
import { AppConfig, DomainError, RateLimiter, isLang } from '@app/platform';
import { renderError } from '../../http/error.filter';
import { readCookie } from '../cookies';
import { type PageContext, PageContextFactory } from '../page-context';
import { redirectTo, sendPage } from '../render';
import { MessagePage } from './message-page';
import { postedReceipt } from './follow-up';
import { type Answers, CheckPage, FormPage, MAX_GROUP_ITEMS, type PageError, SentPage, controlId, groupControlId, itemField } from './form-pages';

export interface State {
  /** The form version the answers were given against. */
  v: number;
  a: Answers;
}

/** Where a form's pages post and what sending does: `/lomake/{id}`, or an appointment's pre-information. */
export interface FlowTarget {
  action: string;
  /** "Save and continue later" is offered. */
  drafts: boolean;
  send(ctx: PageContext, req: Request, res: Response, form: CompiledForm, state: State): Promise<void>;
}

/** The draft's resume token after it was saved or its link opened: for this form's pages only, for a while. */
export const DRAFT_COOKIE = 'draft';
const DRAFT_COOKIE_MINUTES = 30;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;
export const RESUME_PATH = 'jatka';

const isQuestion = (item: PageItem): item is Question => 'answer' in item;

/** The answers so far travel with the form (a hidden field), so nothing is stored before sending. */
function encodeState(state: State): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

export function decodeState(raw: unknown): State | undefined {
  if (typeof raw !== 'string' || raw.length > 200_000) return undefined;
  try {
    const state = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as State;
    if (!Number.isInteger(state.v) || !state.a || typeof state.a !== 'object' || Array.isArray(state.a)) return undefined;
    return state;
  } catch {
    return undefined;
  }
}

/** A page's posted value of one question, as the answers' types want it. */
function valueOf(question: Question, raw: unknown): unknown {
  if (question.control === 'checkboxes') return raw === undefined ? undefined : [raw].flat().map(String);
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (typeof text !== 'string' || text === '') return undefined;
  if (question.control === 'yesno') return text === 'true' ? true : text === 'false' ? false : text;
  if (question.control === 'number' && /^-?\d{1,15}$/.test(text.trim())) return Number(text.trim());
  return text;
}

/** A repeatable group's posted items (as many as the page had), each with its questions' values. */
function itemsOf(group: Question, body: Record<string, unknown>): Record<string, unknown>[] {
  const count = Math.min(MAX_GROUP_ITEMS, Math.max(0, Number.parseInt(String(body[`_n_${group.answer}`] ?? '0'), 10) || 0));
  const items: Record<string, unknown>[] = [];
  for (let index = 0; index < count; index++) {
    const item: Record<string, unknown> = {};
    for (const nested of group.questions ?? []) {
      const value = valueOf(nested, body[itemField(group, index, nested).name]);
      if (value !== undefined) item[nested.answer] = value;
    }
    items.push(item);
  }
  return items;
}

const isEmptyItem = (item: unknown) => !item || (typeof item === 'object' && Object.keys(item).length === 0);

/**
 * One renderer for every published form at `/lomake/{id}`: one page at a
 * time, validated by the forms runtime (hidden pages and questions skipped
 * the same way it prunes them), an error summary linking to each field,
 * check your answers, then the confirmation with reference and receipt code.
 * The appointment's pre-information pages use the same flow with their own
 * target.
 */
@Injectable()
export class FormFlow {
  private readonly publicUrl: string;
  private readonly secure: boolean;

  constructor(
    private readonly contexts: PageContextFactory,
    private readonly definitions: FormDefinitionsService,
    private readonly submissions: SubmissionsService,
    private readonly drafts: DraftsService,
    private readonly limiter: RateLimiter,
    private readonly receipts: ReceiptsService,
    config: AppConfig,
  ) {
    this.publicUrl = config.publicUrl.replace(/\/$/, '');
    this.secure = config.publicUrl.startsWith('https:');
  }

  async start(req: Request, res: Response, formId: string): Promise<void> {
    const ctx = this.contexts.create(req, res);
    const form = await this.published(formId);
    const state: State = { v: form.definition.version, a: {} };
    this.showPage(ctx, res, form, this.visiblePages(form, {})[0], state, [], this.target(form, formId));
  }

  async post(req: Request, res: Response, formId: string): Promise<void> {
    this.contexts.checkPost(req);
    const ctx = this.contexts.create(req, res);
    const previous = decodeState((req.body as Record<string, unknown> | undefined)?._state);
    const form = previous ? await this.definitions.published(formId, previous.v) : await this.published(formId);
    if (form.definition.purpose === 'pre-information') throw new DomainError('pre_information_by_link_only');
    await this.run(ctx, req, res, form, previous ?? { v: form.definition.version, a: {} }, this.target(form, formId));
  }

  /**
   * The resume link of a saved draft. With `?token=`, a valid token moves into
   * a short-lived HttpOnly cookie for this form's pages and the browser is
   * sent to the same address without it (as with the manage link); without
   * it, the cookie's draft continues at the first page that still needs an
   * answer, or at check your answers.
   */
  async resume(req: Request, res: Response, formId: string): Promise<void> {
    const ctx = this.contexts.create(req, res);
    const m = ctx.t.formsMore;
    const invalid = () => sendPage(res, <MessagePage ctx={ctx} title={m.resumeInvalidTitle} text={m.resumeInvalid} noindex link={{ href: `/lomake/${formId}`, text: m.startAgain }} />, 404);
    this.limiter.hit('draft', req.ip);
    const fromLink = req.query.token;
    const token = fromLink !== undefined ? (typeof fromLink === 'string' ? fromLink : '') : readCookie(req, DRAFT_COOKIE);
    if (token === undefined) {
      return sendPage(res, <MessagePage ctx={ctx} title={m.resumeAgainTitle} text={m.resumeAgain} noindex link={{ href: `/lomake/${formId}`, text: m.startAgain }} />, 403);
    }
    const draft = await this.openDraft(token, formId);
    if (!draft) return invalid();
    if (fromLink !== undefined) {
      this.setDraftCookie(res, formId, token);
      return redirectTo(res, `/lomake/${formId}/${RESUME_PATH}${typeof req.query.lang === 'string' ? `?lang=${ctx.lang}` : ''}`);
    }
    const form = await this.definitions.published(formId, draft.version);
    const state: State = { v: draft.version, a: draft.answers };
    await this.showFirstUnanswered(ctx, res, form, state, this.target(form, formId), m.resumed);
  }

  /**
   * The confirmation again, in the language asked (its language buttons):
   * the reference and the receipt code come posted and are checked as on the
   * follow-up page (`receipt` bucket); a wrong pair, or one of another form,
   * gets the follow-up page's answer and shows no code.
   */
  async sentAgain(req: Request, res: Response, formId: string): Promise<void> {
    this.contexts.checkPost(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    let ctx = this.contexts.create(req, res);
    if (isLang(body._lang)) ctx = this.contexts.withLanguage(ctx, res, body._lang);
    const lookup = await postedReceipt(body);
    if (!lookup) throw new DomainError('receipt_not_found');
    const view = await this.receipts.lookup(lookup, ctx.lang);
    if (view.form.id !== formId) throw new DomainError('receipt_not_found');
    const { definition } = await this.definitions.published(formId, view.form.version);
    const senderNotice = definition.handling.senderNotice?.[ctx.lang];
    sendPage(res, <SentPage ctx={ctx} form={definition} receipt={{ reference: view.reference, receiptCode: lookup.receiptCode, senderNotice }} />);
  }

  /**
   * Handles a post of a form page: the page's answers are taken, then the
   * button pressed decides — another language (answers kept, nothing
   * checked), add or remove a group's item, save a draft, back, a change
   * link, continue (this page validated), or send (everything validated).
   */
  async run(ctx: PageContext, req: Request, res: Response, form: CompiledForm, state: State, target: FlowTarget): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    let go = typeof body._go === 'string' ? body._go : 'next';
    if (isLang(body._lang)) {
      ctx = this.contexts.withLanguage(ctx, res, body._lang);
      go = 'stay';
    }
    const pages = this.visiblePages(form, state.a);
    const current = form.definition.pages.find((p) => p.id === body._page);

    if (current) {
      for (const item of current.questions) {
        if (!isQuestion(item)) continue;
        const value = item.control === 'group' ? itemsOf(item, body) : valueOf(item, body[item.answer]);
        if (value === undefined) delete state.a[item.answer];
        else state.a[item.answer] = value;
      }
    }
    const group = /^(add|remove):([A-Za-z0-9]{1,64})(?::(\d{1,2}))?$/.exec(go);
    if (group && current) {
      const question = current.questions.find((q): q is Question => isQuestion(q) && q.control === 'group' && q.answer === group[2]);
      const items = question && Array.isArray(state.a[question.answer]) ? (state.a[question.answer] as unknown[]) : [];
      if (question && group[1] === 'add' && items.length < MAX_GROUP_ITEMS) state.a[question.answer] = [...(items.length ? items : [{}]), {}];
      if (question && group[1] === 'remove' && group[3] !== undefined) state.a[question.answer] = items.filter((_, i) => i !== Number(group[3]));
      return this.showPage(ctx, res, form, current, state, [], target);
    }
    if (go === 'stay') {
      if (body._page === '_check') return this.showCheck(ctx, res, form, state, target);
      return this.showPage(ctx, res, form, current ?? pages[0], state, [], target);
    }
    // Items left entirely empty (the one shown to start with, or added and not filled in) are not answers.
    for (const [answer, value] of Object.entries(state.a)) {
      if (!Array.isArray(value) || !value.some((v) => v && typeof v === 'object')) continue;
      const kept = value.filter((v) => !isEmptyItem(v));
      if (kept.length) state.a[answer] = kept;
      else delete state.a[answer];
    }
    if (go === 'save' && target.drafts) return this.saveDraft(ctx, req, res, form, current ?? pages[0], state, target);
    if (go.startsWith('page:')) {
      const page = pages.find((p) => `page:${p.id}` === go);
      if (page) return this.showPage(ctx, res, form, page, state, [], target);
    }
    if (go === 'send') {
      const { errors, visible } = form.validate(state.a);
      if (errors.length) {
        const page = visible.find((v) => errors.some((e) => e.field.split('/')[1] === v.question.answer))?.pageId;
        const shown = form.definition.pages.find((p) => p.id === page) ?? this.visiblePages(form, state.a)[0];
        return this.showPage(ctx, res, form, shown, state, errors.filter((e) => shown.questions.some((q) => isQuestion(q) && q.answer === e.field.split('/')[1])), target, 422);
      }
      return target.send(ctx, req, res, form, state);
    }
    if (!current) return this.showPage(ctx, res, form, pages[0], state, [], target);
    if (go === 'back') {
      const index = pages.findIndex((p) => p.id === current.id);
      return this.showPage(ctx, res, form, pages[Math.max(0, index - 1)], state, [], target);
    }
    const { errors } = form.validate(state.a, current.id);
    if (errors.length) return this.showPage(ctx, res, form, current, state, errors, target, 422);
    const now = this.visiblePages(form, state.a);
    const next = now[now.findIndex((p) => p.id === current.id) + 1];
    if (next) return this.showPage(ctx, res, form, next, state, [], target);
    this.showCheck(ctx, res, form, state, target);
  }

  /** The first visible page whose answers are not yet complete (else check your answers), with a note on top. */
  async showFirstUnanswered(ctx: PageContext, res: Response, form: CompiledForm, state: State, target: FlowTarget, notice?: string): Promise<void> {
    const page = this.visiblePages(form, state.a).find((p) => form.validate(state.a, p.id).errors.length > 0);
    if (!page) return this.showCheck(ctx, res, form, state, target);
    this.showPage(ctx, res, form, page, state, [], target, 200, { notice });
  }

  /** The page list's first page, with a note on top. */
  showStart(ctx: PageContext, res: Response, form: CompiledForm, state: State, target: FlowTarget, notice?: string): void {
    this.showPage(ctx, res, form, this.visiblePages(form, state.a)[0], state, [], target, 200, { notice });
  }

  private target(form: CompiledForm, formId: string): FlowTarget {
    const { definition } = form;
    return {
      action: `/lomake/${formId}`,
      // Not on sensitive forms: a saved link on a shared device would lead straight to the answers.
      drafts: !definition.sensitive && definition.purpose !== 'pre-information' && definition.pages.length > 1,
      send: (ctx, req, res, compiled, state) => this.send(ctx, req, res, compiled, formId, state),
    };
  }

  private async send(ctx: PageContext, req: Request, res: Response, form: CompiledForm, formId: string, state: State): Promise<void> {
    this.limiter.hit('submission', req.ip);
    const receipt = await this.submissions.submit(formId, { language: ctx.lang, answers: state.a, version: state.v });
    // A draft of this form saved on this device has served its purpose.
    const draft = readCookie(req, DRAFT_COOKIE);
    if (draft && TOKEN_SHAPE.test(draft)) {
      await this.drafts.discard(draft);
      res.clearCookie(DRAFT_COOKIE, { path: `/lomake/${formId}` });
    }
    sendPage(res, <SentPage ctx={ctx} form={form.definition} receipt={receipt} />, 201);
  }

  /**
   * Saves the answers so far as a draft (nothing required yet; the runtime
   * still refuses malformed answers): the draft this device saved before is
   * updated, otherwise a new one is made. The same page comes back with the
   * resume link and when it expires.
   */
  private async saveDraft(ctx: PageContext, req: Request, res: Response, form: CompiledForm, page: Page, state: State, target: FlowTarget): Promise<void> {
    this.limiter.hit('draft', req.ip);
    const formId = form.definition.id;
    const previous = readCookie(req, DRAFT_COOKIE);
    let token: string;
    let expiresAt: string;
    try {
      if (previous && (await this.openDraft(previous, formId))) {
        token = previous;
        expiresAt = (await this.drafts.update(previous, state.a)).expiresAt;
      } else {
        const created = await this.drafts.create(formId, state.a);
        token = created.resumeToken;
        expiresAt = created.expiresAt;
      }
    } catch (error) {
      if (error instanceof DomainError && error.code === 'answers_invalid') {
        const onPage = error.fields.filter((e) => page.questions.some((q) => isQuestion(q) && q.answer === e.field.split('/')[1]));
        return this.showPage(ctx, res, form, page, state, onPage.length ? onPage : error.fields, target, 422);
      }
      throw error;
    }
    this.setDraftCookie(res, formId, token);
    const url = `${this.publicUrl}/lomake/${formId}/${RESUME_PATH}?token=${token}`;
    this.showPage(ctx, res, form, page, state, [], target, 200, { saved: { url, expiresAt } });
  }

  private async openDraft(token: string, formId: string) {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    try {
      const draft = await this.drafts.resume(token);
      return draft.formId === formId ? draft : undefined;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not_found') return undefined;
      throw error;
    }
  }

  private setDraftCookie(res: Response, formId: string, token: string): void {
    res.cookie(DRAFT_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: `/lomake/${formId}`, maxAge: DRAFT_COOKIE_MINUTES * 60_000 });
  }

  private async published(formId: string): Promise<CompiledForm> {
    const form = await this.definitions.published(formId);
    if (form.definition.purpose === 'pre-information') throw new DomainError('pre_information_by_link_only');
    return form;
  }

  /** The pages shown for these answers, in order (the runtime's own `showIf` evaluation). */
  private visiblePages(form: CompiledForm, answers: Answers): Page[] {
    const { answers: kept } = form.prune(answers);
    return form.definition.pages.filter((p) => form.matches(p.showIf, kept));
  }

  private showPage(
    ctx: PageContext, res: Response, form: CompiledForm, page: Page, state: State, errors: { field: string; rule: string }[], target: FlowTarget, status = 200,
    extra: { saved?: { url: string; expiresAt: string }; notice?: string } = {},
  ): void {
    const { answers: kept } = form.prune(state.a);
    const rendered = errors.length ? renderError(new DomainError('answers_invalid', {}, errors as never), ctx.lang).fields ?? [] : [];
    const fieldErrors: PageError[] = rendered.map((f) => {
      const parts = f.field.split('/');
      const answer = parts[1];
      const question = page.questions.find((q): q is Question => isQuestion(q) && q.answer === answer);
      let id = question ? controlId(question) : `q-${answer}`;
      if (question?.control === 'group' && parts.length >= 3) {
        const index = Number(parts[2]) || 0;
        id = groupControlId(question, index, question.questions?.find((n) => n.answer === parts[3]));
      }
      return { id, answer, pointer: f.field, message: f.message };
    });
    const pages = this.visiblePages(form, state.a);
    const step = pages.findIndex((p) => p.id === page.id) + 1;
    sendPage(res, (
      <FormPage ctx={ctx} form={form.definition} page={page} answers={state.a} errors={fieldErrors} state={encodeState(state)}
        shown={(item) => form.matches(item.showIf, kept)} step={step} steps={pages.length} first={step === 1} action={target.action}
        drafts={target.drafts} saved={extra.saved} notice={extra.notice} />
    ), status);
  }

  private showCheck(ctx: PageContext, res: Response, form: CompiledForm, state: State, target: FlowTarget): void {
    const { visible } = form.prune(state.a);
    const lastPage = visible.at(-1)?.pageId ?? '';
    sendPage(res, (
      <CheckPage ctx={ctx} form={form.definition} questions={visible} answers={state.a} state={encodeState(state)} action={target.action} lastPage={lastPage} />
    ));
  }
}
