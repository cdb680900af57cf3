import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type JobToRender, OutboxRenderers, OutboxService, assembleSections, renderEach } from '@app/notifications';
import { AppConfig, Clock, DomainError, type Lang, isSendableEmail, toHelsinkiIso } from '@app/platform';

export const FEEDBACK_MAX = 4000;
const FEEDBACK_MAIL = 'accessibility-feedback';

export interface FeedbackInput {
  language: Lang;
  message: string;
  /** For a reply; may be left out. */
  email?: string;
}

export interface FeedbackView {
  id: string;
  receivedAt: string;
  language: Lang;
  message: string;
  email: string | null;
}

/**
 * Accessibility feedback (law 306/2019): stored for the administrators'
 * list and announced to them by e-mail through the outbox in the same
 * transaction. The e-mail carries no content, only the link to the list.
 */
@Injectable()
export class AccessibilityFeedbackService implements OnModuleInit {
  private readonly logger = new Logger(AccessibilityFeedbackService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly renderers: OutboxRenderers,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.renderers.register([FEEDBACK_MAIL], (jobs) => renderEach(jobs, (job) => this.render(job)));
  }

  /** Stores a message the page has checked (its field errors are the page's); refuses anything else outright. */
  async receive(input: FeedbackInput): Promise<{ id: string }> {
    if (!input.message || input.message.length > FEEDBACK_MAX || (input.email && !isSendableEmail(input.email))) throw new DomainError('validation_failed');
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO accessibility_feedback (received_at, language, message, email) VALUES ($1, $2, $3, $4) RETURNING id`,
        [this.clock.now(), input.language, input.message, input.email || null],
      );
      await this.outbox.enqueue(tx, [{ kind: FEEDBACK_MAIL, facts: { feedbackId: row.id } }]);
      return { id: row.id as string };
    });
  }

  /** Newest first, for the administrators' list. */
  async list(limit = 200): Promise<FeedbackView[]> {
    const rows: { id: string; received_at: Date; language: Lang; message: string; email: string | null }[] = await this.db.query(
      `SELECT id, received_at, language, message, email FROM accessibility_feedback ORDER BY received_at DESC, id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ id: r.id, receivedAt: toHelsinkiIso(r.received_at), language: r.language, message: r.message, email: r.email }));
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
