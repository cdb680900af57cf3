import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { ReceiptLookupDto, ReceiptMessageDto, type ReceiptView, ReceiptsService } from '@app/delivery';
import { DomainError, catalogue, interpolate } from '@app/platform';
import { Layout } from '../components/layout';
import { ErrorSummary, Notice, PostForm, SummaryList } from '../components/ui';
import { formatDateTime } from '../format';
import { type PageContext, PageContextFactory } from '../page-context';
import { sendPage } from '../render';

interface Typed {
  reference: string;
  receiptCode: string;
}

const field = (body: Record<string, unknown>, key: string, max: number) => (typeof body[key] === 'string' ? (body[key] as string).slice(0, max) : '');

/** The reference and receipt code of a posted form, checked for shape as the API does; undefined when malformed. */
export async function postedReceipt(body: Record<string, unknown>): Promise<ReceiptLookupDto | undefined> {
  const lookup = plainToInstance(ReceiptLookupDto, { reference: field(body, 'reference', 100), receiptCode: field(body, 'receiptCode', 100) });
  return (await validate(lookup)).length ? undefined : lookup;
}

function LookupPage({ ctx, typed, error }: { ctx: PageContext; typed: Typed; error?: string }) {
  const f = ctx.t.followUp;
  return (
    <Layout ctx={ctx} title={f.title} noindex hasErrors={Boolean(error)}>
      <ErrorSummary title={ctx.t.form.errorSummaryTitle} errors={error ? [{ id: 'reference', message: error }] : []} />
      <h1>{f.title}</h1>
      <p>{f.lead}</p>
      <PostForm ctx={ctx} action="/seuranta">
        <div class={`field${error ? ' field--error' : ''}`}>
          <label for="reference">{f.reference}</label>
          <p class="hint" id="reference-hint">{f.referenceHint}</p>
          <input type="text" id="reference" name="reference" value={typed.reference} autoComplete="off" spellcheck={false}
            aria-describedby="reference-hint" aria-invalid={error ? 'true' : undefined} />
        </div>
        <div class={`field${error ? ' field--error' : ''}`}>
          <label for="receiptCode">{f.receiptCode}</label>
          <p class="hint" id="receiptCode-hint">{f.receiptCodeHint}</p>
          <input type="text" id="receiptCode" name="receiptCode" value={typed.receiptCode} autoComplete="off" spellcheck={false}
            aria-describedby="receiptCode-hint" aria-invalid={error ? 'true' : undefined} />
        </div>
        <div class="actions">
          <button type="submit" name="_go" value="lookup" class="hds-button hds-button--primary">{f.open}</button>
        </div>
      </PostForm>
    </Layout>
  );
}

function StatusPage({ ctx, view, typed, notice, reply, error }: { ctx: PageContext; view: ReceiptView; typed: Typed; notice?: string; reply?: string; error?: string }) {
  const f = ctx.t.followUp;
  return (
    <Layout ctx={ctx} title={f.title} noindex hasErrors={Boolean(error)}>
      <ErrorSummary title={ctx.t.form.errorSummaryTitle} errors={error ? [{ id: 'text', message: `${f.replyLabel}: ${error}` }] : []} />
      <h1>{f.title}</h1>
      {notice && <Notice kind="success"><p>{notice}</p></Notice>}
      <SummaryList rows={[
        [f.reference, view.reference],
        [f.form, view.form.title],
        [f.status, view.statusText],
        [f.submittedAt, formatDateTime(view.submittedAt, ctx.lang)],
        [f.lastChangedAt, formatDateTime(view.lastChangedAt, ctx.lang)],
      ]} />
      <h2>{f.messagesHeading}</h2>
      {view.messages.length ? (
        <ol class="messages">
          {view.messages.map((m, index) => (
            <li key={index} class={`message message--${m.direction}`}>
              <p class="message__meta"><strong>{m.direction === 'handler' ? f.fromHandler : f.fromYou}</strong>, {formatDateTime(m.at, ctx.lang)}</p>
              <p class="message__text">{m.text}</p>
            </li>
          ))}
        </ol>
      ) : (
        <p>{f.noMessages}</p>
      )}
      {view.canReply ? (
        <PostForm ctx={ctx} action="/seuranta">
          <input type="hidden" name="reference" value={typed.reference} />
          <input type="hidden" name="receiptCode" value={typed.receiptCode} />
          <div class={`field${error ? ' field--error' : ''}`}>
            <label for="text">{f.replyLabel}</label>
            <p class="hint" id="text-hint">{f.replyHint}</p>
            {error && <p class="error-text" id="text-error">{error}</p>}
            <textarea id="text" name="text" rows={6} maxLength={4000} aria-describedby={error ? 'text-hint text-error' : 'text-hint'}
              aria-invalid={error ? 'true' : undefined}>{reply ?? ''}</textarea>
          </div>
          <div class="actions">
            <button type="submit" name="_go" value="reply" class="hds-button hds-button--primary">{f.send}</button>
          </div>
        </PostForm>
      ) : (
        <Notice><p>{f.closed}</p></Notice>
      )}
    </Layout>
  );
}

/**
 * The follow-up page: reference and receipt code → the status and the
 * messages with the handler, and a reply box. A wrong reference and a wrong
 * code (or one typed in a wrong shape) get the same answer. The code travels
 * only in posted forms, never in an address.
 */
@Injectable()
export class FollowUpPages {
  constructor(
    private readonly contexts: PageContextFactory,
    private readonly receipts: ReceiptsService,
  ) {}

  form(req: Request, res: Response): void {
    sendPage(res, <LookupPage ctx={this.contexts.create(req, res)} typed={{ reference: '', receiptCode: '' }} />);
  }

  async post(req: Request, res: Response): Promise<void> {
    this.contexts.checkPost(req);
    const ctx = this.contexts.create(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const typed: Typed = { reference: field(body, 'reference', 100), receiptCode: field(body, 'receiptCode', 100) };
    const lookup = await postedReceipt(body);
    const notFound = () => sendPage(res, <LookupPage ctx={ctx} typed={typed} error={catalogue(ctx.lang).errors.receipt_not_found} />, 404);
    if (!lookup) return notFound();
    let view: ReceiptView;
    try {
      view = await this.receipts.lookup(lookup, ctx.lang);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'receipt_not_found') return notFound();
      throw error;
    }
    if (body._go !== 'reply') return sendPage(res, <StatusPage ctx={ctx} view={view} typed={typed} />);
    const text = field(body, 'text', 10_000);
    const message = plainToInstance(ReceiptMessageDto, { ...typed, text });
    const problems = await validate(message);
    const problem = problems.find((p) => p.property === 'text');
    if (problem) {
      const rule = Object.keys(problem.constraints ?? {})[0] ?? 'invalid';
      const texts = catalogue(ctx.lang).validation as Record<string, string>;
      const error = interpolate(texts[rule] ?? texts.invalid ?? rule, { max: 4000, min: 1 });
      return sendPage(res, <StatusPage ctx={ctx} view={view} typed={typed} reply={text} error={error} />, 422);
    }
    try {
      await this.receipts.message(message);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'conversation_closed') return sendPage(res, <StatusPage ctx={ctx} view={view} typed={typed} />, 409);
      throw error;
    }
    sendPage(res, <StatusPage ctx={ctx} view={await this.receipts.lookup(lookup, ctx.lang)} typed={typed} notice={ctx.t.followUp.sent} />);
  }
}
