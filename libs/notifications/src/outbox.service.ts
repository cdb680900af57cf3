import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig, Clock, DomainError, toHelsinkiIso } from '@app/platform';
import type { RenderedMail } from './templates';

export interface OutboxMessage {
  kind: string;
  recipient: string;
  mail: RenderedMail;
  appointmentId?: string;
  /** A message with the same key is written only once (e.g. one reminder per appointment, offset and time). */
  dedupeKey?: string;
}

export interface OutboxEntryView {
  id: string;
  messageId: string;
  kind: string;
  status: 'pending' | 'sent' | 'failed' | 'cancelled';
  recipient: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** `maija@example.fi` → `m***@example.fi`: enough to recognise, not to read out. */
function maskAddress(address: string): string {
  const [local, domain] = address.split('@');
  return `${local.slice(0, 1)}***@${domain ?? ''}`;
}

/**
 * The transactional outbox: messages are written in the caller's transaction
 * (the booking, the move, the cancellation), so they exist exactly when the
 * change committed. The dispatcher sends them later, off the request path.
 */
@Injectable()
export class OutboxService {
  private readonly domain: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.domain = /@([^\s>]+)/.exec(config.mailFrom)?.[1] ?? 'perhe.localhost';
  }

  /** Writes a message in the caller's transaction. Returns false when its dedupe key already exists. */
  async enqueue(tx: EntityManager, message: OutboxMessage): Promise<boolean> {
    const now = this.clock.now();
    const id = randomUUID();
    const rows = await tx.query(
      `INSERT INTO outbox (id, message_id, kind, appointment_id, dedupe_key, recipient, subject, text_body, html_body, calendar,
                           next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [
        id, `<${id}@${this.domain}>`, message.kind, message.appointmentId ?? null, message.dedupeKey ?? null, message.recipient,
        message.mail.subject, message.mail.text, message.mail.html, message.mail.calendar ?? null, now,
      ],
    );
    return rows.length > 0;
  }

  /** Withdraws messages not yet sent, e.g. reminders for a time that was moved or cancelled. */
  async cancelPending(tx: EntityManager, appointmentId: string, kind: string): Promise<void> {
    await tx.query(`UPDATE outbox SET status = 'cancelled', text_body = NULL, html_body = NULL, calendar = NULL
                     WHERE appointment_id = $1 AND kind = $2 AND status = 'pending'`, [appointmentId, kind]);
  }

  async list(status: OutboxEntryView['status'], limit = 200): Promise<OutboxEntryView[]> {
    const rows = await this.db.query(
      `SELECT id, message_id, kind, status, recipient, attempts, last_error, created_at, sent_at FROM outbox
        WHERE status = $1 ORDER BY created_at DESC LIMIT $2`,
      [status, limit],
    );
    return rows.map((r: Record<string, never>) => ({
      id: r.id,
      messageId: r.message_id,
      kind: r.kind,
      status: r.status,
      recipient: maskAddress(r.recipient),
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: toHelsinkiIso(r.created_at),
      sentAt: r.sent_at && toHelsinkiIso(r.sent_at),
    }));
  }

  /** Puts a failed message back in line with a fresh set of attempts. */
  async retry(id: string): Promise<void> {
    const [rows] = await this.db.query(
      `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, last_error = NULL WHERE id = $1 AND status = 'failed' RETURNING id`,
      [id, this.clock.now()],
    );
    if (!rows.length) throw new DomainError('not_found');
  }
}
