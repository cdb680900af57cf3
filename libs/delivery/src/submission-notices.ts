import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig, Envelope, type Lang, type Sealed } from '@app/platform';
import { SubmissionArrivals } from '@app/forms';
import {
  type InboxNoticeEvent, type JobToRender, type OutboxJob, OutboxRenderers, OutboxService, renderEach, renderInboxNotice, renderReplyNotice, renderUnitInboxNotice,
} from '@app/notifications';
import type { Priority } from './delivery.dto';
import { inboxUrl } from './escalations';

/** The outbox kinds of the content-free notices about submissions. */
export const INBOX_NOTICE = 'inbox-notice';
export const REPLY_NOTICE = 'reply-notice';

/** A submission that needs its unit's attention: why, and how urgently. */
export interface InboxAttention {
  submissionId: string;
  /** The unit whose address and handlers are told. */
  unitId: string;
  priority: Priority;
  event: InboxNoticeEvent;
}

/** An inbox notice's facts: ids and codes only, nothing of the submission's content. */
interface InboxNoticeFacts {
  submissionId: string;
  unitId: string;
  priority: Priority;
  event: InboxNoticeEvent;
  /** The unit's own address, or one handler. */
  to: 'unit' | 'staff';
  staffId?: string;
}

interface ReplyNoticeFacts {
  submissionId: string;
  messageId: string;
}

/** Where a sender reads the handler's messages with the reference and the receipt code. */
export function receiptPageUrl(publicUrl: string): string {
  return `${publicUrl}/receipts`;
}

/**
 * The e-mails about submissions, all without content: to a unit's address
 * and its handlers (those who want them) when a submission arrives, is
 * forwarded to the unit or gets a message from its sender; and to a sender
 * who asked for it when a handler replies. They are planned as outbox jobs
 * in the transaction of the change, carrying only ids, and rendered when
 * sent from what is true then: a submission that has left the unit, a
 * handler who left it or no longer wants the notices, an address that was
 * purged — nothing is sent.
 */
@Injectable()
export class SubmissionNotices implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly renderers: OutboxRenderers,
    private readonly arrivals: SubmissionArrivals,
    private readonly envelope: Envelope,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.arrivals.listen((tx, arrived) =>
      this.planInbox(tx, { submissionId: arrived.id, unitId: arrived.unitId, priority: arrived.priority, event: 'arrival' }).then(() => undefined),
    );
    this.renderers.register([INBOX_NOTICE], (jobs) => renderEach(jobs, (job) => this.renderInbox(job)));
    this.renderers.register([REPLY_NOTICE], (jobs) => renderEach(jobs, (job) => this.renderReply(job)));
  }

  /**
   * Plans, in `tx`, one notice to the unit's address (when it has one) and
   * one to each active handler of the unit who wants them. Urgent ones are
   * sent before any other due message. Returns how many were planned.
   */
  async planInbox(tx: EntityManager, attention: InboxAttention): Promise<number> {
    const [row]: { unit_email: boolean; handlers: string[] }[] = await tx.query(
      `SELECT EXISTS (SELECT 1 FROM unit WHERE id = $1 AND coalesce(email, '') <> '') AS unit_email,
              ARRAY(SELECT st.id FROM staff_unit su JOIN staff st ON st.id = su.staff_id
                     WHERE su.unit_id = $1 AND 'handler' = ANY(su.roles) AND st.active AND st.notify_new_submissions ORDER BY st.id) AS handlers`,
      [attention.unitId],
    );
    const base = { submissionId: attention.submissionId, unitId: attention.unitId, priority: attention.priority, event: attention.event };
    const jobs: OutboxJob[] = [
      ...(row.unit_email ? [{ kind: INBOX_NOTICE, facts: { ...base, to: 'unit' } satisfies InboxNoticeFacts }] : []),
      ...row.handlers.map((staffId) => ({ kind: INBOX_NOTICE, facts: { ...base, to: 'staff', staffId } satisfies InboxNoticeFacts })),
    ].map((job) => ({ ...job, urgent: attention.priority === 'urgent' }));
    return this.outbox.enqueue(tx, jobs);
  }

  /** Plans, in `tx`, the sender's notice of a handler's message, if the sender asked for one. Once per message. */
  async planReply(tx: EntityManager, submissionId: string, messageId: string): Promise<boolean> {
    const [row] = await tx.query(`SELECT reply_notice_to IS NOT NULL AS wanted FROM submission WHERE id = $1`, [submissionId]);
    if (!row?.wanted) return false;
    const facts: ReplyNoticeFacts = { submissionId, messageId };
    return (await this.outbox.enqueue(tx, [{ kind: REPLY_NOTICE, facts: { ...facts }, dedupeKey: `${REPLY_NOTICE}:${messageId}` }])) > 0;
  }

  private async renderInbox(job: JobToRender) {
    const facts = job.facts as unknown as InboxNoticeFacts;
    const [submission]: { reference: string; unit_id: string; title: Record<Lang, string> }[] = await this.db.query(
      `SELECT s.reference, s.unit_id, f.definition->'title' AS title
         FROM submission s JOIN form_definition f ON f.form_id = s.form_id AND f.version = s.form_version
        WHERE s.id = $1`,
      [facts.submissionId],
    );
    // Forwarded elsewhere since: this unit can no longer open it.
    if (!submission || submission.unit_id !== facts.unitId) return null;
    const notice = {
      event: facts.event,
      reference: submission.reference,
      formTitle: submission.title,
      priority: facts.priority,
      inboxUrl: inboxUrl(this.config.publicUrl, facts.submissionId),
    };
    if (facts.to === 'unit') {
      const [unit]: { email: string | null }[] = await this.db.query(`SELECT email FROM unit WHERE id = $1`, [facts.unitId]);
      return unit?.email ? { recipient: unit.email, mail: renderUnitInboxNotice(notice) } : null;
    }
    const [handler]: { email: string; languages: Lang[] }[] = await this.db.query(
      `SELECT st.email, st.languages FROM staff st JOIN staff_unit su ON su.staff_id = st.id
        WHERE st.id = $1 AND su.unit_id = $2 AND 'handler' = ANY(su.roles) AND st.active AND st.notify_new_submissions`,
      [facts.staffId, facts.unitId],
    );
    return handler ? { recipient: handler.email, mail: renderInboxNotice(notice, handler.languages[0] ?? 'fi') } : null;
  }

  private async renderReply(job: JobToRender) {
    const facts = job.facts as unknown as ReplyNoticeFacts;
    const [row]: { reference: string; language: Lang; reply_notice_to: Sealed | null }[] = await this.db.query(
      `SELECT reference, language, reply_notice_to FROM submission WHERE id = $1`,
      [facts.submissionId],
    );
    if (!row?.reply_notice_to) return null;
    const recipient = this.envelope.open(row.reply_notice_to);
    const mail = renderReplyNotice({ reference: row.reference, language: row.language, receiptUrl: receiptPageUrl(this.config.publicUrl) });
    return { recipient, mail, confidentialRecipient: true };
  }
}
