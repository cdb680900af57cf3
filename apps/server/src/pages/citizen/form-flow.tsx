import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type CompiledForm, FormDefinitionsService, type Page, type PageItem, type Question, SubmissionsService } from '@app/forms';
import { DomainError, RateLimiter } from '@app/platform';
import { renderError } from '../../http/error.filter';
import { type PageContext, PageContextFactory } from '../page-context';
import { sendPage } from '../render';
import { type Answers, CheckPage, FormPage, SentPage, controlId } from './form-pages';

interface State {
  /** The form version the answers were given against. */
  v: number;
  a: Answers;
}

const isQuestion = (item: PageItem): item is Question => 'answer' in item;

/** The answers so far travel with the form (a hidden field), so nothing is stored before sending. */
function encodeState(state: State): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

function decodeState(raw: unknown): State | undefined {
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

/**
 * One renderer for every published form at `/lomake/{id}`: one page at a
 * time, validated by the forms runtime (hidden pages and questions skipped
 * the same way it prunes them), an error summary linking to each field,
 * check your answers, then the confirmation with reference and receipt code.
 */
@Injectable()
export class FormFlow {
  constructor(
    private readonly contexts: PageContextFactory,
    private readonly definitions: FormDefinitionsService,
    private readonly submissions: SubmissionsService,
    private readonly limiter: RateLimiter,
  ) {}

  async start(req: Request, res: Response, formId: string): Promise<void> {
    const ctx = this.contexts.create(req, res);
    const form = await this.published(formId);
    const state: State = { v: form.definition.version, a: {} };
    this.showPage(ctx, res, form, formId, this.visiblePages(form, {})[0], state, []);
  }

  async post(req: Request, res: Response, formId: string): Promise<void> {
    this.contexts.checkPost(req);
    const ctx = this.contexts.create(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const previous = decodeState(body._state);
    const form = previous ? await this.definitions.published(formId, previous.v) : await this.published(formId);
    const state: State = previous ?? { v: form.definition.version, a: {} };
    const go = typeof body._go === 'string' ? body._go : 'next';
    const pages = this.visiblePages(form, state.a);
    const current = form.definition.pages.find((p) => p.id === body._page);

    if (current) {
      for (const item of current.questions) {
        if (!isQuestion(item) || item.control === 'group') continue;
        const value = valueOf(item, body[item.answer]);
        if (value === undefined) delete state.a[item.answer];
        else state.a[item.answer] = value;
      }
    }
    if (go.startsWith('page:')) {
      const page = pages.find((p) => `page:${p.id}` === go);
      if (page) return this.showPage(ctx, res, form, formId, page, state, []);
    }
    if (go === 'send') return this.send(ctx, req, res, form, formId, state);
    if (!current) return this.showPage(ctx, res, form, formId, pages[0], state, []);
    if (go === 'back') {
      const index = pages.findIndex((p) => p.id === current.id);
      return this.showPage(ctx, res, form, formId, pages[Math.max(0, index - 1)], state, []);
    }
    const { errors } = form.validate(state.a, current.id);
    if (errors.length) return this.showPage(ctx, res, form, formId, current, state, errors, 422);
    const now = this.visiblePages(form, state.a);
    const next = now[now.findIndex((p) => p.id === current.id) + 1];
    if (next) return this.showPage(ctx, res, form, formId, next, state, []);
    this.showCheck(ctx, res, form, formId, state, current.id);
  }

  private async send(ctx: PageContext, req: Request, res: Response, form: CompiledForm, formId: string, state: State): Promise<void> {
    const { errors, visible } = form.validate(state.a);
    if (errors.length) {
      const page = visible.find((v) => errors.some((e) => e.field.split('/')[1] === v.question.answer))?.pageId;
      const shown = form.definition.pages.find((p) => p.id === page) ?? this.visiblePages(form, state.a)[0];
      return this.showPage(ctx, res, form, formId, shown, state, errors.filter((e) => shown.questions.some((q) => isQuestion(q) && q.answer === e.field.split('/')[1])), 422);
    }
    this.limiter.hit('submission', req.ip);
    const receipt = await this.submissions.submit(formId, { language: ctx.lang, answers: state.a, version: state.v });
    sendPage(res, <SentPage ctx={ctx} form={form.definition} receipt={receipt} />, 201);
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

  private showPage(ctx: PageContext, res: Response, form: CompiledForm, formId: string, page: Page, state: State, errors: { field: string; rule: string }[], status = 200): void {
    const { answers: kept } = form.prune(state.a);
    const rendered = errors.length ? renderError(new DomainError('answers_invalid', {}, errors as never), ctx.lang).fields ?? [] : [];
    const fieldErrors = rendered.map((f) => {
      const answer = f.field.split('/')[1];
      const question = page.questions.find((q): q is Question => isQuestion(q) && q.answer === answer);
      return { id: question ? controlId(question) : `q-${answer}`, answer, message: f.message };
    });
    const pages = this.visiblePages(form, state.a);
    const step = pages.findIndex((p) => p.id === page.id) + 1;
    sendPage(res, (
      <FormPage ctx={ctx} form={form.definition} page={page} answers={state.a} errors={fieldErrors} state={encodeState(state)}
        shown={(item) => form.matches(item.showIf, kept)} step={step} steps={pages.length} first={step === 1} action={`/lomake/${formId}`} />
    ), status);
  }

  private showCheck(ctx: PageContext, res: Response, form: CompiledForm, formId: string, state: State, lastPage: string): void {
    const { visible } = form.prune(state.a);
    sendPage(res, (
      <CheckPage ctx={ctx} form={form.definition} questions={visible} answers={state.a} state={encodeState(state)} action={`/lomake/${formId}`} lastPage={lastPage} />
    ));
  }
}
