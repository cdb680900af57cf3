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
  /** What the renderer needs beyond the database, as it was at the change (times, sequence). */
  facts?: Record<string, unknown>;
  /** Secrets for the message (e.g. a manage token); sealed at rest and cleared once sent. */
  secrets?: Record<string, string>;
  /** A job with the same key is written only once (e.g. one reminder per appointment, offset and time). */
  dedupeKey?: string;
  /** Sent before every other due message (an urgent submission's notices). */
  urgent?: boolean;
}

/** One job as a row of `jsonb_to_recordset`: what `INSERT_JOBS` and callers' own statements read. */
export interface JobRecord {
  id: string;
  message_id: string;
  kind: string;
  appointment_id: string | null;
  dedupe_key: string | null;
  facts: Record<string, unknown>;
  secrets: unknown;
  urgent: boolean;
}

/** The record type of `JobRecord` for `jsonb_to_recordset`. */
export const JOB_RECORD_TYPE = `(id uuid, message_id text, kind text, appointment_id uuid, dedupe_key text, facts jsonb, secrets jsonb, urgent boolean)`;

/** Writes jobs: $1 the time, $2 the jobs as a JSON array of `JobRecord`. */
export const INSERT_JOBS = `
  INSERT INTO outbox (id, message_id, kind, appointment_id, dedupe_key, facts, secrets, urgent, next_attempt_at, created_at)
  SELECT j.id, j.message_id, j.kind, j.appointment_id, j.dedupe_key, coalesce(j.facts, '{}'), j.secrets, coalesce(j.urgent, false), $1, $1
    FROM jsonb_to_recordset($2::jsonb) AS j${JOB_RECORD_TYPE}
  ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`;

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
    const inserted = await tx.query(INSERT_JOBS, [this.clock.now(), JSON.stringify(this.records(jobs))]);
    return inserted.length;
  }

  /** Jobs as records with ids, Message-IDs and sealed secrets, for `INSERT_JOBS` or a caller's own statement. */
  records(jobs: OutboxJob[]): JobRecord[] {
    return jobs.map((job) => {
      const id = randomUUID();
      return {
        id,
        message_id: `<${id}@${this.domain}>`,
        kind: job.kind,
        appointment_id: job.appointmentId ?? null,
        dedupe_key: job.dedupeKey ?? null,
        facts: job.facts ?? {},
        secrets: job.secrets ? this.envelope.seal(JSON.stringify(job.secrets)) : null,
        urgent: job.urgent ?? false,
      };
    });
  }

  /** Withdraws messages not yet sent, e.g. reminders for a time that was moved or cancelled. */
  async cancelPending(tx: EntityManager, appointmentId: string, kind: string): Promise<void> {
    await tx.query(`UPDATE outbox SET status = 'cancelled', secrets = NULL WHERE appointment_id = $1 AND kind = $2 AND status = 'pending'`, [
      appointmentId, kind,
    ]);
  }

  /** The sealed secrets of a job (`id` names it in the log if they cannot be opened). */
  openSecrets(sealed: unknown, id?: string): Record<string, string> {
    return sealed ? (JSON.parse(this.envelope.open(sealed as Parameters<Envelope['open']>[0], `outbox ${id ?? 'message'}`)) as Record<string, string>) : {};
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

  /**
   * Forgets sent and withdrawn messages after `days` (their recipients and
   * subjects are personal data); failed ones stay until an admin acts.
   */
  async purgeDone(days = 30): Promise<number> {
    const [, count] = await this.db.query(`DELETE FROM outbox WHERE status IN ('sent', 'cancelled') AND created_at < $1`, [
      new Date(this.clock.now().getTime() - days * 86_400_000),
    ]);
    return count;
  }

  /** Puts a failed message back in line with a fresh set of attempts. */
  async retry(id: string): Promise<void> {
    const [rows] = await this.db.query(
      `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, last_error = NULL, leased_until = NULL
        WHERE id = $1 AND status = 'failed' RETURNING id`,
      [id, this.clock.now()],
    );
    if (!rows.length) throw new DomainError('not_found');
  }
}
