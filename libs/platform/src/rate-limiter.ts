import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { isIPv4, isIPv6 } from 'node:net';
import { DataSource } from 'typeorm';
import { Clock } from './clock';
import { AppConfig } from './config';
import { Envelope } from './envelope';
import { DomainError } from './errors';
import type { RateLimitBucket, RateLimitRule } from './rate-limit-settings';

/** One (bucket, key, window) count as this instance knows it. */
interface Counter {
  bucket: string;
  key: string;
  windowStart: number;
  windowMs: number;
  /** The total of all instances as PostgreSQL last returned it (this instance's sent counts included). */
  shared: number;
  /** Counted here and not yet sent. Negative when a reservation was given back. */
  pending: number;
  /** Being sent right now. */
  sending: number;
}

interface Check {
  bucket: string;
  key: string;
  rule: RateLimitRule;
}

/** A reservation that can be given back (at most once). */
export interface Reservation {
  release(): void;
}

/** The key of the limit for all clients together. */
const TOTAL = '*';
/** Bookings per contact e-mail address and per phone number. */
const CONTACT_BUCKET = 'booking-contact';
const EPSILON = 1e-9;

/**
 * Adds this instance's new counts to the shared ones in one statement and
 * reads the totals back. Rows are locked in one order on every instance.
 * A count given back is subtracted only from a row that exists.
 */
const SYNC = `
  INSERT INTO rate_limit AS r (bucket, key, window_start, count, expires_at)
  SELECT d.bucket, d.key, d.window_start, d.delta, d.expires_at
    FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::timestamptz[]) WITH ORDINALITY AS d(bucket, key, window_start, delta, expires_at, n)
   WHERE d.delta > 0 OR EXISTS (SELECT 1 FROM rate_limit x WHERE x.bucket = d.bucket AND x.key = d.key AND x.window_start = d.window_start)
   ORDER BY d.n
  ON CONFLICT (bucket, key, window_start) DO UPDATE SET count = greatest(0, r.count + EXCLUDED.count)
  RETURNING bucket, key, window_start, count`;

/**
 * Rate limits shared by every instance through PostgreSQL, at no database
 * cost on the request: a request is checked and counted in memory, and every
 * RATE_LIMIT_SYNC_MS each instance sends what it counted and reads back the
 * totals of all instances (one statement). Between two reconciliations the
 * instances do not see each other's newest counts, so all together they may
 * let through a little more than a limit (at most what the other instances
 * allow in one interval). If PostgreSQL cannot be reached, the counts stay in
 * memory, limits keep holding per instance, and they are sent once it is back.
 *
 * Limits are sliding windows (the previous fixed window's count weighted by
 * how much of it still overlaps, plus the current one), so a burst at a
 * window's edge does not get twice the allowance. Keys (client addresses,
 * e-mail addresses, phone numbers) are kept only as keyed hashes.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger('RateLimiter');
  private readonly counters = new Map<string, Counter>();
  private timer?: NodeJS.Timeout;
  private syncing?: Promise<void>;
  private unreachable = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly envelope: Envelope,
  ) {}

  /** Counts one request of a client in a bucket, or throws `rate_limited` with the seconds to wait. */
  hit(bucket: RateLimitBucket, clientAddress: string | undefined): void {
    const limits = this.config.rateLimits[bucket];
    const waitMs = this.take([
      { bucket, key: this.hash(`client:${clientNetwork(clientAddress)}`), rule: limits.perClient },
      { bucket, key: TOTAL, rule: limits.total },
    ]);
    if (waitMs > 0) throw new DomainError('rate_limited', { seconds: seconds(waitMs) });
  }

  /**
   * Reserves one anonymous booking for each contact (normalised e-mail
   * address, phone number), or throws `booking_limit_reached`. Give the
   * reservation back when no booking was made.
   */
  reserveBookingContacts(contacts: string[]): Reservation {
    const checks = [...new Set(contacts)].map((contact) => ({ bucket: CONTACT_BUCKET, key: this.hash(contact), rule: this.config.bookingContactLimit }));
    if (!checks.length) return { release: () => undefined };
    const now = this.clock.now().getTime();
    const waitMs = this.take(checks, now);
    if (waitMs > 0) throw new DomainError('booking_limit_reached', { seconds: seconds(waitMs) });
    const counted = checks.map((c) => counterId(c.bucket, c.key, windowOf(now, c.rule.windowMs)));
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        for (const id of counted) {
          const counter = this.counters.get(id);
          if (counter) counter.pending -= 1;
        }
      },
    };
  }

  /** Sends this instance's counts and reads back the totals of all instances. Never throws. */
  async sync(): Promise<void> {
    // Counts made while a reconciliation is under way go with the next one.
    await this.syncing;
    this.syncing ??= this.reconcile().finally(() => {
      this.syncing = undefined;
    });
    await this.syncing;
  }

  /** Deletes windows that no longer count; a plain delete, safe on every instance. */
  async purgeExpired(): Promise<number> {
    const [, deleted]: [unknown, number] = await this.db.query(`DELETE FROM rate_limit WHERE expires_at <= $1`, [this.clock.now()]);
    return deleted;
  }

  /** Sends the last counts on the way out, without holding up the shutdown for an unreachable database. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([this.sync(), new Promise((resolve) => (timeout = setTimeout(resolve, 2000)))]);
    clearTimeout(timeout);
  }

  /** Counts a request against every check, or none of them: returns 0, or how long to wait. */
  private take(checks: Check[], now = this.clock.now().getTime()): number {
    const waitMs = Math.max(...checks.map((c) => this.wait(c, now)));
    if (waitMs > 0) return waitMs;
    for (const c of checks) this.counter(c, windowOf(now, c.rule.windowMs)).pending += 1;
    this.timer ??= setInterval(() => {
      if (!this.syncing) void this.sync();
    }, this.config.rateLimitSyncMs).unref();
    return 0;
  }

  /** How long until one more request fits the sliding window (0: now). */
  private wait(check: Check, now: number): number {
    const { limit, windowMs } = check.rule;
    const start = windowOf(now, windowMs);
    const elapsed = (now - start) / windowMs;
    const current = this.count(check, start);
    const previous = this.count(check, start - windowMs);
    if (previous * (1 - elapsed) + current + 1 <= limit + EPSILON) return 0;
    if (current + 1 <= limit + EPSILON) {
      // The previous window's weight shrinks as time passes.
      const fits = 1 - (limit - 1 - current) / previous;
      return Math.max(1, (fits - elapsed) * windowMs);
    }
    // In the next window the current one becomes the previous.
    const fits = Math.max(0, 1 - (limit - 1) / current);
    return start + windowMs - now + fits * windowMs;
  }

  private count(check: Check, windowStart: number): number {
    const counter = this.counters.get(counterId(check.bucket, check.key, windowStart));
    return counter ? Math.max(0, counter.shared + counter.pending + counter.sending) : 0;
  }

  private counter(check: Check, windowStart: number): Counter {
    const id = counterId(check.bucket, check.key, windowStart);
    let counter = this.counters.get(id);
    if (!counter) {
      counter = { bucket: check.bucket, key: check.key, windowStart, windowMs: check.rule.windowMs, shared: 0, pending: 0, sending: 0 };
      this.counters.set(id, counter);
    }
    return counter;
  }

  private async reconcile(): Promise<void> {
    const now = this.clock.now().getTime();
    for (const [id, counter] of this.counters) {
      // A window counts until the end of the next one (as the previous window).
      if (counter.windowStart + 2 * counter.windowMs <= now) this.counters.delete(id);
    }
    const changed = [...this.counters.values()]
      .filter((c) => c.pending !== 0)
      .sort((a, b) => compare(a.bucket, b.bucket) || compare(a.key, b.key) || a.windowStart - b.windowStart);
    if (!changed.length) return;
    for (const c of changed) {
      c.sending = c.pending;
      c.pending = 0;
    }
    try {
      const rows: { bucket: string; key: string; window_start: Date; count: number }[] = await this.db.query(SYNC, [
        changed.map((c) => c.bucket),
        changed.map((c) => c.key),
        changed.map((c) => new Date(c.windowStart).toISOString()),
        changed.map((c) => c.sending),
        changed.map((c) => new Date(c.windowStart + 2 * c.windowMs).toISOString()),
      ]);
      for (const c of changed) c.sending = 0;
      for (const row of rows) {
        const counter = this.counters.get(counterId(row.bucket, row.key, row.window_start.getTime()));
        if (counter) counter.shared = row.count;
      }
      if (this.unreachable) {
        this.unreachable = false;
        this.logger.log('rate limits are shared through PostgreSQL again');
      }
    } catch (error) {
      for (const c of changed) {
        c.pending += c.sending;
        c.sending = 0;
      }
      if (!this.unreachable) {
        this.unreachable = true;
        this.logger.warn(`rate limits could not be shared through PostgreSQL (${(error as Error).message}); counting in memory until it answers`);
      }
    }
  }

  /** A keyed hash: client addresses and contacts are personal data, never stored in clear. */
  private hash(value: string): string {
    return this.envelope.pseudonym('rate-limit', value).slice(0, 22);
  }
}

/** Deletes expired rate-limit windows every five minutes. */
@Injectable()
export class RateLimitJobs {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
  ) {}

  @Cron('*/5 * * * *', { name: 'purge-rate-limits' })
  async purgeRateLimits(): Promise<void> {
    if (this.config.jobsEnabled) await this.limiter.purgeExpired();
  }
}

/**
 * The client as limits see it: an IPv4 address, or an IPv6 /64 network (one
 * subscriber usually has a whole /64, so single IPv6 addresses are free to
 * change).
 */
export function clientNetwork(address: string | undefined): string {
  if (!address) return 'unknown';
  let a = address.trim().toLowerCase();
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (a.startsWith('::ffff:') && isIPv4(a.slice(7))) return a.slice(7);
  if (!isIPv6(a)) return a;
  const [head, tail] = a.split('::');
  const groupsOf = (part: string | undefined) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const before = groupsOf(head);
  const after = groupsOf(tail);
  const groups = tail === undefined ? before : [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

function windowOf(now: number, windowMs: number): number {
  return Math.floor(now / windowMs) * windowMs;
}

function counterId(bucket: string, key: string, windowStart: number): string {
  return `${bucket}|${key}|${windowStart}`;
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
