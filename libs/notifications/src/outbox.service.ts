import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig, Clock, DomainError, Envelope, toHelsinkiIso } from '@app/platform';

/** A message to send, planned in the caller's transaction and rendered when it is sent. */
export interface OutboxJob {
  /** Names the renderer, e.g. `confirmation`, `reminder`, `staff-notice`. */
  kind: string;
  appointmentId?: string;
  /** What the renderer needs beyond the database (e.g. a manage token); sealed at rest. */
  data?: Record<string, unknown>;
  /** A job with the same key is written only once (e.g. one reminder per appointment, offset and time). */
  dedupeKey?: string;
}

export interface OutboxEntryView {
  id: string;
  messageId: string;
  kind: string;
  status: 'pending' | 'sent' | 'failed' | 'cancelled';
  recipient: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** Writes `count` jobs; parameters: $1 the time, then six per job (id, message id, kind, appointment, dedupe key, sealed data). */
export function insertJobsSql(count: number): string {
  const rows = Array.from({ length: count }, (_, i) => {
    const n = 2 + i * 6;
    return `($${n}::uuid, $${n + 1}, $${n + 2}, $${n + 3}::uuid, $${n + 4}, $${n + 5}::jsonb, $1::timestamptz, $1::timestamptz)`;
  });
  return `INSERT INTO outbox (id, message_id, kind, appointment_id, dedupe_key, job, next_attempt_at, created_at)
          VALUES ${rows.join(', ')} ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`;
}

/** `maija@example.fi` → `m***@example.fi`: enough to recognise, not to read out. */
function maskAddress(address: string | null): string | null {
  if (!address) return null;
  const [local, domain] = address.split('@');
  return `${local.slice(0, 1)}***@${domain ?? ''}`;
}

/**
 * The transactional outbox: messages are planned in the caller's transaction
 * (the booking, the move, the cancellation), so they exist exactly when the
 * change committed. The dispatcher renders and sends them later, off the
 * request path.
 */
@Injectable()
export class OutboxService {
  private readonly domain: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly envelope: Envelope,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.domain = /@([^\s>]+)/.exec(config.mailFrom)?.[1] ?? 'perhe.localhost';
  }

  /** Writes jobs in one statement in the caller's transaction. Returns how many were new (dedupe keys). */
  async enqueue(tx: EntityManager, jobs: OutboxJob[]): Promise<number> {
    if (!jobs.length) return 0;
    const now = this.clock.now();
    const params: unknown[] = [now];
    for (const job of jobs) {
      const id = randomUUID();
      const sealed = job.data ? this.envelope.seal(JSON.stringify(job.data)) : null;
      params.push(id, `<${id}@${this.domain}>`, job.kind, job.appointmentId ?? null, job.dedupeKey ?? null, sealed);
    }
    const inserted = await tx.query(insertJobsSql(jobs.length), params);
    return inserted.length;
  }

  /** Withdraws messages not yet sent, e.g. reminders for a time that was moved or cancelled. */
  async cancelPending(tx: EntityManager, appointmentId: string, kind: string): Promise<void> {
    await tx.query(`UPDATE outbox SET status = 'cancelled', job = NULL WHERE appointment_id = $1 AND kind = $2 AND status = 'pending'`, [
      appointmentId, kind,
    ]);
  }

  /** The sealed data of a job. */
  openJob(sealed: unknown): Record<string, unknown> {
    return sealed ? (JSON.parse(this.envelope.open(sealed as Parameters<Envelope['open']>[0])) as Record<string, unknown>) : {};
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
