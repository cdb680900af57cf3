import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AccessibilityFeedbackService, FEEDBACK_MAX } from '@app/delivery';
import { RateLimiter, catalogue, interpolate, isSendableEmail, normalizeText, textProblem } from '@app/platform';
import { ErrorSummary, type FieldError, Notice, PostForm } from '../components/ui';
import { type PageContext, PageContextFactory } from '../page-context';
import { redirectTo, sendPage } from '../render';
import { AccessibilityPage } from './accessibility-page';

/** What the visitor typed. */
interface FeedbackFields {
  message: string;
  email: string;
}

/** The feedback form of the accessibility statement (a plain form post, no script). */
export function FeedbackForm({ ctx, input, errors, sent }: { ctx: PageContext; input?: FeedbackFields; errors?: (FieldError & { field: 'message' | 'email' })[]; sent?: boolean }) {
  const f = ctx.t.feedback;
  const error = (field: 'message' | 'email') => errors?.find((e) => e.field === field)?.message;
  const described = (field: 'message' | 'email') => [`feedback-${field}-hint`, error(field) && `feedback-${field}-error`].filter(Boolean).join(' ');
  return (
    <section aria-labelledby="feedback-heading">
      <h2 id="feedback-heading">{f.heading}</h2>
      {sent && <Notice kind="success"><p><strong>{f.sentTitle}.</strong> {f.sent}</p></Notice>}
      <ErrorSummary title={ctx.t.form.errorSummaryTitle} errors={errors ?? []} />
      <p>{f.lead}</p>
      <PostForm ctx={ctx} action="/saavutettavuusseloste">
        <div class={`field${error('message') ? ' field--error' : ''}`}>
          <label for="feedback-message">{f.messageLabel}</label>
          <p class="hint" id="feedback-message-hint">{f.messageHint}</p>
          {error('message') && <p class="error-text" id="feedback-message-error">{error('message')}</p>}
          <textarea id="feedback-message" name="message" rows={6} maxLength={FEEDBACK_MAX} aria-describedby={described('message')}
            aria-invalid={error('message') ? 'true' : undefined}>{input?.message ?? ''}</textarea>
        </div>
        <div class={`field${error('email') ? ' field--error' : ''}`}>
          <label for="feedback-email">{f.emailLabel}</label>
          <p class="hint" id="feedback-email-hint">{f.emailHint}</p>
          {error('email') && <p class="error-text" id="feedback-email-error">{error('email')}</p>}
          <input type="email" id="feedback-email" name="email" value={input?.email ?? ''} autoComplete="email" aria-describedby={described('email')}
            aria-invalid={error('email') ? 'true' : undefined} />
        </div>
        <div class="actions">
          <button type="submit" class="hds-button hds-button--primary">{f.send}</button>
        </div>
      </PostForm>
    </section>
  );
}

/**
 * The accessibility statement's feedback form: checked here (field errors in
 * the visitor's language), stored and announced to the administrators by the
 * delivery library.
 */
@Injectable()
export class FeedbackPages {
  constructor(
    private readonly contexts: PageContextFactory,
    private readonly feedback: AccessibilityFeedbackService,
    private readonly limiter: RateLimiter,
  ) {}

  async post(req: Request, res: Response): Promise<void> {
    this.contexts.checkPost(req);
    const ctx = this.contexts.create(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input: FeedbackFields = {
      message: typeof body.message === 'string' ? normalizeText(body.message, { multiline: true }) : '',
      email: typeof body.email === 'string' ? body.email.trim() : '',
    };
    // Every post counts (a script sending nonsense is stopped too), far above what a person sends.
    this.limiter.hit('submission', req.ip);
    const errors = this.problems(ctx, input);
    if (errors.length) {
      sendPage(res, <AccessibilityPage ctx={ctx} feedback={<FeedbackForm ctx={ctx} input={input} errors={errors} />} hasErrors />, 422);
      return;
    }
    await this.feedback.receive({ language: ctx.lang, message: input.message, email: input.email || undefined });
    redirectTo(res, '/saavutettavuusseloste?palaute=kiitos#feedback-heading');
  }

  private problems(ctx: PageContext, input: FeedbackFields): (FieldError & { field: 'message' | 'email' })[] {
    const f = ctx.t.feedback;
    const errors: (FieldError & { field: 'message' | 'email' })[] = [];
    const rule = input.message ? textProblem(input.message, { multiline: true }) : undefined;
    const message = !input.message ? f.messageRequired
      : input.message.length > FEEDBACK_MAX ? interpolate(f.messageTooLong, { max: FEEDBACK_MAX })
      : rule ? catalogue(ctx.lang).validation[rule] : undefined;
    if (message) errors.push({ field: 'message', id: 'feedback-message', message: `${f.messageLabel}: ${message}` });
    if (input.email && !isSendableEmail(input.email)) errors.push({ field: 'email', id: 'feedback-email', message: `${f.emailLabel}: ${f.emailInvalid}` });
    return errors;
  }
}
