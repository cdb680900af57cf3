import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { type JobToRender, OutboxRenderers, OutboxService, assembleSections, renderEach } from '@app/notifications';
import { AppConfig, Clock, type Lang, RateLimiter, catalogue, interpolate, isSendableEmail, normalizeText, textProblem, toHelsinkiIso } from '@app/platform';
import { ErrorSummary, type FieldError, Notice, PostForm } from '../components/ui';
import { type PageContext, PageContextFactory } from '../page-context';
import { redirectTo, sendPage } from '../render';
import { AccessibilityPage } from './accessibility-page';

export const FEEDBACK_MAX = 4000;
const FEEDBACK_MAIL = 'accessibility-feedback';

export interface FeedbackInput {
  message: string;
  email: string;
}

export interface FeedbackView {
  id: string;
  receivedAt: string;
  language: Lang;
  message: string;
  email: string | null;
}

/** The feedback form of the accessibility statement (a plain form post, no script). */
export function FeedbackForm({ ctx, input, errors, sent }: { ctx: PageContext; input?: FeedbackInput; errors?: (FieldError & { field: 'message' | 'email' })[]; sent?: boolean }) {
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
 * Accessibility feedback (law 306/2019): stored for the administrators'
 * list (/admin/feedback) and announced to them by e-mail through the outbox,
 * in the same transaction. The e-mail carries no content, only the link.
 */
@Injectable()
export class FeedbackPages implements OnModuleInit {
  private readonly logger = new Logger(FeedbackPages.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly contexts: PageContextFactory,
    private readonly outbox: OutboxService,
    private readonly renderers: OutboxRenderers,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.renderers.register([FEEDBACK_MAIL], (jobs) => renderEach(jobs, (job) => this.render(job)));
  }

  async post(req: Request, res: Response): Promise<void> {
    this.contexts.checkPost(req);
    const ctx = this.contexts.create(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input: FeedbackInput = {
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
    await this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO accessibility_feedback (received_at, language, message, email) VALUES ($1, $2, $3, $4) RETURNING id`,
        [this.clock.now(), ctx.lang, input.message, input.email || null],
      );
      await this.outbox.enqueue(tx, [{ kind: FEEDBACK_MAIL, facts: { feedbackId: row.id } }]);
    });
    redirectTo(res, '/saavutettavuusseloste?palaute=kiitos#feedback-heading');
  }

  /** Newest first, for the administrators' list. */
  async list(limit = 200): Promise<FeedbackView[]> {
    const rows: { id: string; received_at: Date; language: Lang; message: string; email: string | null }[] = await this.db.query(
      `SELECT id, received_at, language, message, email FROM accessibility_feedback ORDER BY received_at DESC, id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ id: r.id, receivedAt: toHelsinkiIso(r.received_at), language: r.language, message: r.message, email: r.email }));
  }

  private problems(ctx: PageContext, input: FeedbackInput): (FieldError & { field: 'message' | 'email' })[] {
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

  /** To ADMIN_EMAIL, or without it to every active administrator; in Finnish, Swedish and English; no content. */
  private async render(job: JobToRender) {
    const recipients = this.config.adminEmail.length
      ? this.config.adminEmail
      : ((await this.db.query(`SELECT email FROM staff WHERE active AND 'admin' = ANY(roles) ORDER BY email`)) as { email: string }[]).map((r) => r.email);
    if (!recipients.length) {
      this.logger.warn(`feedback notice ${job.id}: no ADMIN_EMAIL and no active administrators`);
      return null;
    }
    const link = `${this.config.publicUrl}/admin/feedback`;
    const section = (lang: Lang) => ({ lang, blocks: [MAIL[lang].intro, { text: MAIL[lang].open, link }, MAIL[lang].noContent] });
    const mail = assembleSections(`${MAIL.fi.subject} / ${MAIL.sv.subject} / ${MAIL.en.subject}`, [section('fi'), section('sv'), section('en')]);
    return { recipient: recipients.join(', '), recipients, mail };
  }
}

const MAIL: Record<Lang, { subject: string; intro: string; open: string; noContent: string }> = {
  fi: {
    subject: 'Uutta saavutettavuuspalautetta',
    intro: 'Saavutettavuusselosteen palautelomakkeella on lähetetty uutta palautetta. Lain mukaan palautteeseen on vastattava 14 päivän kuluessa.',
    open: 'Lue palaute ylläpidon sivulla:',
    noContent: 'Tässä viestissä ei ole palautteen sisältöä.',
  },
  sv: {
    subject: 'Ny respons om tillgängligheten',
    intro: 'Ny respons har skickats med responsformuläret i tillgänglighetsutlåtandet. Enligt lagen ska responsen besvaras inom 14 dagar.',
    open: 'Läs responsen på administrationssidan:',
    noContent: 'Det här meddelandet innehåller inte själva responsen.',
  },
  en: {
    subject: 'New accessibility feedback',
    intro: 'New feedback has been sent with the feedback form of the accessibility statement. By law, feedback must be answered within 14 days.',
    open: 'Read the feedback on the administration page:',
    noContent: 'This message does not contain the feedback itself.',
  },
};
