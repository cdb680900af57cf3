import type { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig, Clock } from '@app/platform';
import { type DeliveryFailure, maskAddresses, renderFailure, sendFailure } from './delivery-errors';
import type { MailTransport } from './mail-transport';
import type { OutboxService } from './outbox.service';
import type { OutboxRenderers, Rendered } from './renderers';

const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 3_600_000;
/** Marking messages: this many tries, the first on the pool, then on fresh connections, 0.1 s … 2 s apart (about 5 s in all). */
const MARK_TRIES = 7;
const MARK_FIRST_BACKOFF_MS = 100;
const MARK_MAX_BACKOFF_MS = 2_000;
/** Outcomes are written in groups of up to this many, or what has finished after this long. */
const WRITE_GROUP = 64;
const WRITE_LINGER_MS = 100;
/** A pooled connection that does not answer (e.g. its server went away without a word) is given up on after this long. */
const POOLED_WRITE_TIMEOUT_MS = 15_000;

export interface DispatchResult {
  sent: number;
  /** Jobs whose renderer found nothing to send any more. */
  skipped: number;
  /** Due again later: a transient failure, or a lease this run could no longer vouch for. */
  retrying: number;
  failed: number;
}

interface ClaimedRow {
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
  /** Sent before every other due message (an urgent submission's notices). */
  urgent: boolean;
}

interface Claimed extends ClaimedRow {
  /** The claim that holds the row. */
  token: string;
}

/** What happened to one message, written back to its row by the claim that holds it. */
interface Outcome {
  id: string;
  token: string;
  status: 'sent' | 'cancelled' | 'failed' | 'pending';
  recipient?: string;
  subject?: string;
  error?: string;
  sent_at?: Date;
  next_attempt_at?: Date;
}

/**
 * Claims due rows for this run: a new token, and a lease on the database's
 * clock (shared by every instance, unlike theirs). A row is due when its time
 * has come on the service's clock and nobody holds a live lease on it.
 * $1 now, $2 how many, $3 the token, $4 the lease in ms.
 */
const CLAIM = `
  UPDATE outbox SET attempts = attempts + 1, claim_token = $3, leased_until = clock_timestamp() + $4 * interval '1 millisecond'
   WHERE id IN (SELECT id FROM outbox
                 WHERE status = 'pending' AND next_attempt_at <= $1 AND (leased_until IS NULL OR leased_until < clock_timestamp())
                 ORDER BY urgent DESC, next_attempt_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED)
  RETURNING id, seq, message_id, kind, appointment_id, facts, secrets, created_at, attempts, urgent`;

/** Extends the leases of the rows these claims still hold; returns those rows. $1 ids, $2 tokens, $3 the lease in ms. */
const EXTEND = `
  UPDATE outbox SET leased_until = clock_timestamp() + $3 * interval '1 millisecond'
   WHERE id = ANY($1::uuid[]) AND claim_token = ANY($2::uuid[]) AND status = 'pending'
  RETURNING id`;

/** Writes outcomes, each only if its claim still holds the row. $1 the outcomes as JSON. */
const SETTLE = `
  UPDATE outbox o SET
         status = v.status,
         sent_at = coalesce(v.sent_at, o.sent_at),
         last_error = v.error,
         secrets = CASE WHEN v.status IN ('sent', 'cancelled') THEN NULL ELSE o.secrets END,
         recipient = coalesce(v.recipient, o.recipient),
         subject = coalesce(v.subject, o.subject),
         next_attempt_at = coalesce(v.next_attempt_at, o.next_attempt_at),
         leased_until = NULL
    FROM jsonb_to_recordset($1::jsonb)
         AS v(id uuid, token uuid, status text, recipient text, subject text, error text, sent_at timestamptz, next_attempt_at timestamptz)
   WHERE o.id = v.id AND o.claim_token = v.token AND o.status = 'pending'`;

export interface DispatchParts {
  db: DataSource;
  transport: MailTransport;
  renderers: OutboxRenderers;
  outbox: OutboxService;
  clock: Clock;
  config: AppConfig;
  logger: Logger;
}

/**
 * One run of the dispatcher. Workers (four per pooled SMTP connection) hand
 * messages to the mailer, urgent ones first; one appointment's messages go one
 * after another in the order they were planned (booked, moved, cancelled),
 * others in parallel.
 * The next batch is claimed and rendered (one query per batch) while the
 * current one is being sent, so the connections never wait for a batch to
 * finish. A heartbeat extends the leases of every row the run still holds.
 * Outcomes are written in groups, by the claim that holds the rows.
 */
export class DispatchRun {
  private readonly db: DataSource;
  private readonly transport: MailTransport;
  private readonly renderers: OutboxRenderers;
  private readonly outbox: OutboxService;
  private readonly clock: Clock;
  private readonly config: AppConfig;
  private readonly logger: Logger;
  private readonly result: DispatchResult = { sent: 0, skipped: 0, retrying: 0, failed: 0 };
  private readonly leaseMs: number;
  private readonly connections: number;
  private readonly batchSize: number;

  /** Claimed rows not yet written back, by id. */
  private readonly held = new Map<string, Claimed>();
  /** Per claim: until when (performance.now()) its lease surely holds. */
  private readonly heldUntil = new Map<string, number>();
  /** Rows another claim took over after our lease ran out: not ours to send. */
  private readonly lost = new Set<string>();
  /** Rendered messages waiting to be sent, per lane (an appointment, or the message itself). */
  private readonly lanes = new Map<string, { claim: Claimed; rendered: Rendered }[]>();
  /** Lanes with messages and no worker on them. */
  private readonly ready: string[] = [];
  private queued = 0;
  private claiming = true;
  private failure?: Error;
  private wakeWorkers = signal();
  private wakeClaimer = signal();
  private heartbeat?: NodeJS.Timeout;
  private beating = false;
  private readonly writer: OutcomeWriter;

  constructor(
    parts: DispatchParts,
    private readonly continuous: boolean,
  ) {
    ({ db: this.db, transport: this.transport, renderers: this.renderers, outbox: this.outbox, clock: this.clock, config: this.config, logger: this.logger } = parts);
    this.leaseMs = this.config.outboxLeaseMs;
    this.connections = this.config.smtpConnections;
    // Enough to keep every connection busy while the next batch is claimed and rendered.
    this.batchSize = Math.max(50, 4 * this.connections);
    this.writer = new OutcomeWriter(this.db, this.config, this.logger, (outcomes) => this.written(outcomes), (error) => this.abort(error));
  }

  async run(): Promise<DispatchResult> {
    this.heartbeat = setInterval(() => void this.extendLeases(), Math.max(250, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref();
    try {
      // Four messages per connection handed to the mailer: each connection has its next messages composed and ready when it
      // finishes one (measured: clearly faster than one or two).
      const workers = Array.from({ length: 4 * this.connections }, () => this.worker());
      try {
        await this.claimAll();
      } catch (error) {
        this.abort(error as Error);
      } finally {
        this.claiming = false;
        this.wakeWorkers.fire();
      }
      await Promise.all(workers);
      await this.writer.idle();
    } finally {
      clearInterval(this.heartbeat);
    }
    if (this.failure) {
      // Claimed but not sent: due again when their leases run out.
      this.result.retrying += this.queued;
      throw this.failure;
    }
    return this.result;
  }

  /** Claims and renders the next batch while workers send, as soon as no more than a batch is waiting. */
  private async claimAll(): Promise<void> {
    for (;;) {
      while (this.queued > this.batchSize && !this.failure) await this.wakeClaimer.wait();
      if (this.failure) return;
      const claimed = await this.claim();
      if (!this.continuous || claimed < this.batchSize) return;
    }
  }

  private async claim(): Promise<number> {
    const token = randomUUID();
    const started = performance.now();
    const [rows]: [ClaimedRow[], number] = await this.db.query(CLAIM, [this.clock.now(), this.batchSize, token, this.leaseMs]);
    if (!rows.length) return 0;
    this.heldUntil.set(token, started + this.safeLeaseMs());
    const claimed: Claimed[] = rows.sort((a, b) => Number(b.urgent) - Number(a.urgent) || a.seq - b.seq).map((row) => ({ ...row, token }));
    for (const m of claimed) this.held.set(m.id, m);

    // Secrets that no configured key opens (a key removed too early) may open once the key is back: not rendered for now.
    const openable: { m: Claimed; secrets: Record<string, string> }[] = [];
    for (const m of claimed) {
      try {
        openable.push({ m, secrets: this.outbox.openSecrets(m.secrets, m.id) });
      } catch (error) {
        this.failed(m, { permanent: false, message: `could not open the sealed secrets: ${(error as Error).message}`.slice(0, 500), reason: 'sealed secrets not opened' });
      }
    }
    const outcomes = await this.renderers.renderAll(
      openable.map(({ m, secrets }) => ({ id: m.id, kind: m.kind, appointmentId: m.appointment_id, createdAt: m.created_at, facts: m.facts, secrets })),
    );
    openable.forEach(({ m }, i) => {
      const outcome = outcomes[i];
      if (outcome.status === 'rejected') return this.failed(m, renderFailure(outcome.reason));
      if (!outcome.value) {
        this.result.skipped++;
        return this.writer.add({ id: m.id, token, status: 'cancelled' });
      }
      const key = m.appointment_id ?? m.id;
      const lane = this.lanes.get(key);
      if (lane) {
        lane.push({ claim: m, rendered: outcome.value });
      } else {
        this.lanes.set(key, [{ claim: m, rendered: outcome.value }]);
        this.ready.push(key);
      }
      this.queued++;
    });
    this.wakeWorkers.fire();
    return rows.length;
  }

  /** Sends lane after lane; a lane's later messages wait for its earlier ones. */
  private async worker(): Promise<void> {
    for (;;) {
      if (this.failure) return;
      const key = this.ready.shift();
      if (key === undefined) {
        if (!this.claiming) return;
        await this.wakeWorkers.wait();
        continue;
      }
      const lane = this.lanes.get(key)!;
      while (lane.length && !this.failure) {
        const next = lane.shift()!;
        this.queued--;
        if (this.queued <= this.batchSize) this.wakeClaimer.fire();
        await this.send(next.claim, next.rendered);
      }
      // Messages claimed later for this appointment were added to this lane while it was being sent.
      this.lanes.delete(key);
    }
  }

  private async send(m: Claimed, rendered: Rendered): Promise<void> {
    // Only while our lease surely holds: past it, another instance may already be sending this message.
    if (this.lost.has(m.id) || performance.now() >= (this.heldUntil.get(m.token) ?? 0)) {
      this.held.delete(m.id);
      this.result.retrying++;
      return;
    }
    try {
      await this.transport.send({
        messageId: m.message_id,
        date: this.clock.now(),
        from: this.config.mailFrom,
        to: rendered.recipients ?? [rendered.recipient],
        ...rendered.mail,
      });
    } catch (error) {
      return this.failed(m, sendFailure(error), rendered);
    }
    this.result.sent++;
    this.writer.add({ id: m.id, token: m.token, status: 'sent', sent_at: this.clock.now(), ...recorded(rendered) });
  }

  /** A permanent failure, or the last attempt: failed for good; otherwise due again after a backoff. */
  private failed(m: Claimed, failure: DeliveryFailure, rendered?: Rendered): void {
    const who = rendered ? recorded(rendered) : {};
    // An address given in confidence is not kept, not even inside the mail server's answer.
    if (rendered?.confidentialRecipient) failure = { ...failure, message: withoutAddress(failure.message, rendered.recipient) };
    if (failure.permanent || m.attempts >= this.config.outboxMaxAttempts) {
      this.logger.warn(`mail ${m.message_id} failed for good after ${m.attempts} attempt(s): ${failure.reason}`);
      this.result.failed++;
      this.writer.add({ id: m.id, token: m.token, status: 'failed', error: failure.message, ...who });
    } else {
      const delay = Math.min(FIRST_RETRY_MS * 2 ** (m.attempts - 1), MAX_RETRY_MS);
      this.result.retrying++;
      this.writer.add({
        id: m.id, token: m.token, status: 'pending', error: failure.message, next_attempt_at: new Date(this.clock.now().getTime() + delay), ...who,
      });
    }
  }

  private written(outcomes: Outcome[]): void {
    for (const o of outcomes) this.held.delete(o.id);
  }

  private abort(error: Error): void {
    this.failure ??= error;
    this.wakeWorkers.fire();
    this.wakeClaimer.fire();
  }

  /** A lease counts as held until shortly before it runs out: the time taken to ask is on the safe side already. */
  private safeLeaseMs(): number {
    return this.leaseMs - Math.min(this.leaseMs / 5, 10_000);
  }

  /** The heartbeat: extends the leases of every row this run still holds; rows it no longer holds are not sent. */
  private async extendLeases(): Promise<void> {
    if (this.beating || !this.held.size) return;
    this.beating = true;
    const started = performance.now();
    const ids = [...this.held.keys()];
    const tokens = [...new Set(ids.map((id) => this.held.get(id)!.token))];
    try {
      const [rows]: [{ id: string }[], number] = await this.db.query(EXTEND, [ids, tokens, this.leaseMs]);
      const kept = new Set(rows.map((r) => r.id));
      for (const id of ids) if (!kept.has(id) && this.held.has(id)) this.lost.add(id);
      for (const token of tokens) this.heldUntil.set(token, started + this.safeLeaseMs());
    } catch (error) {
      // The leases run down; sending stops before they may have run out.
      this.logger.warn(`could not extend outbox leases: ${(error as Error).message}`);
    } finally {
      this.beating = false;
    }
  }
}

/**
 * Writes outcomes in groups: one statement for whatever finished while the
 * previous one was being written. A write that fails (e.g. the database
 * restarted) is retried on a fresh connection after a short backoff, a
 * bounded number of times, before the run gives up and leaves the rows to
 * their leases.
 */
class OutcomeWriter {
  private pending: Outcome[] = [];
  private writing?: Promise<void>;
  private lingering?: { timer: NodeJS.Timeout; wake: () => void };

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly logger: Logger,
    private readonly onWritten: (outcomes: Outcome[]) => void,
    private readonly onGivenUp: (error: Error) => void,
  ) {}

  add(outcome: Outcome): void {
    this.pending.push(outcome);
    if (this.pending.length >= WRITE_GROUP) this.stopLingering();
    this.writing ??= this.writeAll().finally(() => (this.writing = undefined));
  }

  /** Once everything added so far is written (or given up on). */
  async idle(): Promise<void> {
    this.stopLingering();
    while (this.writing) await this.writing;
  }

  private stopLingering(): void {
    if (!this.lingering) return;
    clearTimeout(this.lingering.timer);
    this.lingering.wake();
    this.lingering = undefined;
  }

  private async writeAll(): Promise<void> {
    while (this.pending.length) {
      // A moment for more outcomes to join, so a busy run writes a few statements a second rather than one per message.
      if (this.pending.length < WRITE_GROUP) {
        await new Promise<void>((wake) => (this.lingering = { timer: setTimeout(wake, WRITE_LINGER_MS), wake }));
        this.lingering = undefined;
      }
      const outcomes = this.pending;
      this.pending = [];
      try {
        await this.write(JSON.stringify(outcomes));
        this.onWritten(outcomes);
      } catch (error) {
        const sent = outcomes.filter((o) => o.status === 'sent').length;
        this.logger.error(`could not mark ${outcomes.length} outbox messages (${sent} sent) after ${MARK_TRIES} tries: ${(error as Error).message}`);
        this.onGivenUp(error as Error);
      }
    }
  }

  private async write(outcomes: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (attempt === 1) {
          await withTimeout(this.db.query(SETTLE, [outcomes]), POOLED_WRITE_TIMEOUT_MS);
        } else {
          await this.writeOnFreshConnection(outcomes);
        }
        return;
      } catch (error) {
        if (attempt >= MARK_TRIES) throw error;
        await sleep(Math.min(MARK_FIRST_BACKOFF_MS * 2 ** (attempt - 1), MARK_MAX_BACKOFF_MS));
      }
    }
  }

  /** A connection of its own: the pool's may all be dead after a database restart. */
  private async writeOnFreshConnection(outcomes: string): Promise<void> {
    const client = new Client({
      connectionString: this.config.databaseUrl,
      connectionTimeoutMillis: 5_000,
      query_timeout: 10_000,
      application_name: 'perhe-booking',
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query(SETTLE, [outcomes]);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** `message` without `address`, whole or masked. */
function withoutAddress(message: string, address: string): string {
  return [address, maskAddresses(address)].reduce((text, form) => text.split(form).join('[recipient]'), message);
}

/** What the row keeps of a rendered message: its subject, and its recipient unless given in confidence. */
function recorded(rendered: Rendered): { recipient?: string; subject: string } {
  return { ...(rendered.confidentialRecipient ? {} : { recipient: rendered.recipient }), subject: rendered.mail.subject };
}

/** Rejects after `ms` (the promise itself goes on: the statements it runs are safe to apply twice). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A one-shot wake-up that can be re-armed: `wait()` until the next `fire()`. */
function signal() {
  let resolve!: () => void;
  let promise = new Promise<void>((r) => (resolve = r));
  return {
    wait: () => promise,
    fire: () => {
      resolve();
      promise = new Promise<void>((r) => (resolve = r));
    },
  };
}
