import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, Clock } from '@app/platform';
import { MailTransport } from './mail-transport';
import { OutboxService } from './outbox.service';
import { OutboxRenderers } from './renderers';

const LEASE_MS = 120_000;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 3_600_000;
const BATCH = 50;

interface ClaimedMessage {
  id: string;
  /** The order messages were planned in. */
  seq: number;
  message_id: string;
  kind: string;
  appointment_id: string | null;
  facts: Record<string, unknown>;
  secrets: unknown;
  created_at: Date;
  attempts: number;
  urgent: boolean;
}

export interface DispatchResult {
  sent: number;
  /** Jobs whose renderer found nothing to send any more. */
  skipped: number;
  retrying: number;
  failed: number;
}

/**
 * Sends due outbox messages, at least once. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED` and leased, so any number of instances can run it
 * without sending a message twice; a crash mid-send lets the lease expire and
 * the message is sent again with the same Message-ID.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly transport: MailTransport,
    private readonly renderers: OutboxRenderers,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    this.timer = setInterval(() => {
      this.running ??= this.drain()
        .catch((error: Error) => this.logger.error(`outbox dispatch failed: ${error.message}`))
        .finally(() => (this.running = undefined));
    }, this.config.outboxPollMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    this.transport.close();
  }

  /** Daily: sent and withdrawn messages are kept 30 days. A plain delete, safe on every instance. */
  @Cron('47 3 * * *', { name: 'purge-outbox', timeZone: 'Europe/Helsinki' })
  async purgeDone(): Promise<void> {
    if (this.config.jobsEnabled) await this.outbox.purgeDone();
  }

  /** Sends batches until nothing is due. */
  async drain(): Promise<DispatchResult> {
    const total: DispatchResult = { sent: 0, skipped: 0, retrying: 0, failed: 0 };
    for (;;) {
      const result = await this.dispatchDue();
      for (const key of Object.keys(total) as (keyof DispatchResult)[]) total[key] += result[key];
      if (result.sent + result.skipped + result.retrying + result.failed < BATCH) return total;
    }
  }

  /** Claims one batch of due messages and tries to send each. */
  async dispatchDue(): Promise<DispatchResult> {
    const now = this.clock.now();
    const [claimed]: [ClaimedMessage[], number] = await this.db.query(
      `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2
        WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1
                      ORDER BY urgent DESC, next_attempt_at, seq LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, seq, message_id, kind, appointment_id, facts, secrets, created_at, attempts, urgent`,
      [now, new Date(now.getTime() + LEASE_MS), BATCH],
    );
    const result: DispatchResult = { sent: 0, skipped: 0, retrying: 0, failed: 0 };
    // Urgent messages first. One appointment's messages go in the order they were planned (booked, moved, cancelled); others in parallel.
    const queues = new Map<string, ClaimedMessage[]>();
    for (const m of claimed.sort((a, b) => Number(b.urgent) - Number(a.urgent) || a.seq - b.seq)) {
      const key = m.appointment_id ?? m.id;
      queues.set(key, [...(queues.get(key) ?? []), m]);
    }
    const lanes = [...queues.values()];
    const parallel = this.config.smtpConnections;
    for (let i = 0; i < lanes.length; i += parallel) {
      await Promise.all(lanes.slice(i, i + parallel).map(async (lane) => {
        for (const m of lane) await this.sendOne(m, result);
      }));
    }
    return result;
  }

  /** Renders a job and sends it; the same Message-ID on every attempt. */
  private async sendOne(m: ClaimedMessage, result: DispatchResult): Promise<void> {
    let confidential: string | undefined;
    try {
      const rendered = await this.renderers.render({
        id: m.id,
        kind: m.kind,
        appointmentId: m.appointment_id,
        createdAt: m.created_at,
        facts: m.facts,
        secrets: this.outbox.openSecrets(m.secrets, m.id),
      });
      if (!rendered) {
        await this.db.query(`UPDATE outbox SET status = 'cancelled', secrets = NULL WHERE id = $1`, [m.id]);
        result.skipped++;
        return;
      }
      if (rendered.confidentialRecipient) confidential = rendered.recipient;
      await this.db.query(`UPDATE outbox SET recipient = $2, subject = $3 WHERE id = $1`, [m.id, confidential ? null : rendered.recipient, rendered.mail.subject]);
      await this.transport.send({
        messageId: m.message_id,
        date: this.clock.now(),
        from: this.config.mailFrom,
        to: rendered.recipient,
        ...rendered.mail,
      });
      await this.db.query(`UPDATE outbox SET status = 'sent', sent_at = $2, last_error = NULL, secrets = NULL WHERE id = $1`, [m.id, this.clock.now()]);
      result.sent++;
    } catch (error) {
      const raw = error instanceof Error ? error.message : 'send failed';
      const message = (confidential ? raw.split(confidential).join('[recipient]') : raw).slice(0, 500);
      if (m.attempts >= this.config.outboxMaxAttempts) {
        await this.db.query(`UPDATE outbox SET status = 'failed', last_error = $2 WHERE id = $1`, [m.id, message]);
        this.logger.warn(`mail ${m.message_id} failed for good after ${m.attempts} attempts`);
        result.failed++;
      } else {
        const delay = Math.min(FIRST_RETRY_MS * 2 ** (m.attempts - 1), MAX_RETRY_MS);
        await this.db.query(`UPDATE outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1`, [
          m.id, new Date(this.clock.now().getTime() + delay), message,
        ]);
        result.retrying++;
      }
    }
  }
}
