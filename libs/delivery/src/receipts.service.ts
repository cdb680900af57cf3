import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, DomainError, Envelope, type Lang, hashToken } from '@app/platform';
import type { SubmissionStatus } from './delivery.dto';
import { insertMessage } from './messages';
import type { ReceiptLookupDto, ReceiptMessageDto } from './receipts.dto';
import { SubmissionEvents } from './submission-events';
import { SubmissionNotices } from './submission-notices';

/** The handling status as a sender reads it. */
export const SENDER_STATUS_TEXTS: Record<Lang, Record<SubmissionStatus, string>> = {
  fi: { received: 'Vastaanotettu', acknowledged: 'Kuitattu vastaanotetuksi', in_progress: 'Käsittelyssä', closed: 'Käsittely päättynyt' },
  sv: { received: 'Mottagen', acknowledged: 'Mottagandet bekräftat', in_progress: 'Under behandling', closed: 'Behandlingen avslutad' },
  en: { received: 'Received', acknowledged: 'Receipt acknowledged', in_progress: 'In progress', closed: 'Closed' },
};

/** A message as the sender sees it: who wrote it only as a direction, never a handler's name. */
export interface ReceiptMessage {
  direction: 'handler' | 'sender';
  at: Date;
  text: string;
}

/** What a sender sees with the reference and the receipt code. Never the answers, the unit's notes, handlers or the outcome. */
export interface ReceiptView {
  reference: string;
  form: { id: string; version: number; title: string };
  status: SubmissionStatus;
  statusText: string;
  submittedAt: Date;
  /** The latest of: sent, status changed, a message written. */
  lastChangedAt: Date;
  closedAt: Date | null;
  /** Whether the sender may still write (not once it is closed). */
  canReply: boolean;
  messages: ReceiptMessage[];
}

interface FoundSubmission {
  id: string;
  reference: string;
  form_id: string;
  form_version: number;
  title: Record<Lang, string>;
  status: SubmissionStatus;
  priority: 'normal' | 'urgent';
  unit_id: string | null;
  submitted_at: Date;
  status_changed_at: Date | null;
  closed_at: Date | null;
}

/**
 * Anonymous follow-up: a sender opens their submission's status and the
 * conversation with its handlers by the reference and the receipt code, and
 * writes back. Only the code's hash is kept; a wrong reference and a wrong
 * code are the same `receipt_not_found`, reached the same way (the hash is
 * always computed and one query asks for both). Rate-limited at the route.
 */
@Injectable()
export class ReceiptsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly envelope: Envelope,
    private readonly clock: Clock,
    private readonly events: SubmissionEvents,
    private readonly notices: SubmissionNotices,
  ) {}

  async lookup(input: ReceiptLookupDto, lang: Lang): Promise<ReceiptView> {
    const found = await this.find(this.db.manager, input, false);
    const messages = await this.messagesOf(this.db.manager, found.id);
    const changes = [found.submitted_at, found.status_changed_at, ...messages.map((m) => m.at)].filter((d): d is Date => d !== null);
    return {
      reference: found.reference,
      form: { id: found.form_id, version: found.form_version, title: found.title[lang] },
      status: found.status,
      statusText: SENDER_STATUS_TEXTS[lang][found.status],
      submittedAt: found.submitted_at,
      lastChangedAt: new Date(Math.max(...changes.map((d) => d.getTime()))),
      closedAt: found.closed_at,
      canReply: found.status !== 'closed',
      messages,
    };
  }

  /**
   * The sender writes to the handlers: sealed, in the history, and the
   * unit's address and handlers told without content, like an arrival. A
   * closed submission takes no more messages (`conversation_closed`).
   */
  async message(input: ReceiptMessageDto): Promise<ReceiptMessage> {
    return this.db.transaction(async (tx) => {
      const found = await this.find(tx, input, true);
      if (found.status === 'closed') throw new DomainError('conversation_closed', {}, [], input.language);
      const at = this.clock.now();
      const id = await insertMessage(tx, this.envelope, { submissionId: found.id, direction: 'sender', staffId: null, unitId: found.unit_id, at, text: input.text });
      await this.events.record(tx, { submissionId: found.id, actor: { type: 'sender' }, action: 'message', unitId: found.unit_id, at, detail: { messageId: id, direction: 'sender' } });
      if (found.unit_id) await this.notices.planInbox(tx, { submissionId: found.id, unitId: found.unit_id, priority: found.priority, event: 'sender-message' });
      return { direction: 'sender', at, text: input.text };
    });
  }

  /** One query by both the reference and the code's hash; pre-information is followed up through its appointment, not here. */
  private async find(tx: EntityManager, input: ReceiptLookupDto, lock: boolean): Promise<FoundSubmission> {
    const hash = hashToken(input.receiptCode);
    const [found]: FoundSubmission[] = await tx.query(
      `SELECT s.id, s.reference, s.form_id, s.form_version, f.definition->'title' AS title, s.status, s.priority, s.unit_id, s.submitted_at, s.status_changed_at, s.closed_at
         FROM submission s JOIN form_definition f ON f.form_id = s.form_id AND f.version = s.form_version
        WHERE s.reference = $1 AND s.receipt_hash = $2 AND s.purpose <> 'pre-information'${lock ? ' FOR SHARE OF s' : ''}`,
      [input.reference, hash],
    );
    if (!found) throw new DomainError('receipt_not_found', {}, [], input.language);
    return found;
  }

  private async messagesOf(tx: EntityManager, submissionId: string): Promise<ReceiptMessage[]> {
    const rows = await tx.query(
      `SELECT direction, at, key_id, wrapped_key, payload FROM submission_message WHERE submission_id = $1 ORDER BY at, id`,
      [submissionId],
    );
    return rows.map((r: Record<string, never>) => ({
      direction: r.direction,
      at: r.at,
      text: this.envelope.open({ keyId: r.key_id, wrappedKey: r.wrapped_key, payload: r.payload }),
    }));
  }
}
