import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import type { AppSql } from './app-sql';
import type { HttpClient } from './http-client';

/** Hands out each free slot once, to whichever side asks. */
export class SlotQueue {
  private next = 0;

  constructor(private readonly ids: readonly string[]) {}

  take(): string | undefined {
    return this.ids[this.next++];
  }

  get remaining(): number {
    return Math.max(0, this.ids.length - this.next);
  }
}

export interface Attempt {
  ok: boolean;
  /** Why it failed, e.g. "HTTP 409 slot_taken". */
  why?: string;
  ms: number;
}

export interface PhaseResult {
  ok: number;
  seconds: number;
  latencies: number[];
  failures: Map<string, number>;
}

export const BOOKING_BODY = { language: 'fi', contact: { name: 'Bench Family', email: 'bench@example.fi' } } as const;

/** One family booking over HTTP: only a 201 counts. */
export function httpBooking(client: HttpClient): (slotId: string) => Promise<Attempt> {
  return async (slotId) => {
    const started = performance.now();
    try {
      const res = await client.post('/api/v1/appointments', { slotId, ...BOOKING_BODY });
      return res.status === 201 ? { ok: true, ms: res.ms } : { ok: false, why: `HTTP ${res.status} ${errorCode(res.body)}`, ms: res.ms };
    } catch (error) {
      return { ok: false, why: (error as Error).message, ms: performance.now() - started };
    }
  };
}

// ---------------------------------------------------------------------------
// The raw baseline: AppointmentsService.book() for an anonymous family
// without Idempotency-Key, straight on `pg` with the service's own statement:
// claim the slot and write the appointment, its event and the two outbox jobs
// (the family's confirmation with sealed secrets of the same size, and the
// staff notice), atomically in one statement.
// ---------------------------------------------------------------------------

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** One booking as a raw `pg` transaction of the same shape (TypeORM also opens with START TRANSACTION). */
export function rawBooking(pool: Pool, sql: AppSql): (slotId: string) => Promise<Attempt> {
  const sealed = () => ({ keyId: 'local', wrappedKey: randomBytes(60).toString('base64'), payload: randomBytes(260).toString('base64') });
  const { contact, language } = BOOKING_BODY;
  return async (slotId) => {
    const started = performance.now();
    try {
      const id = randomUUID();
      const jobs = [
        { kind: 'confirmation', facts: { by: 'family', sequence: 0 }, secrets: sealed() },
        { kind: 'staff-notice', facts: { event: 'booked', sequence: 0 }, secrets: null },
      ].map((job) => {
        const jobId = randomUUID();
        return { id: jobId, message_id: `<${jobId}@bench.localhost>`, appointment_id: id, dedupe_key: null, ...job };
      });
      const { rows } = await pool.query(sql.BOOK_SLOT, [
        slotId, new Date(), false, null, true, null, [],
        language, contact.name, contact.email, null, null, null,
        sha256(randomBytes(32).toString('base64url')), 'family', sha256(randomBytes(32).toString('base64url')), id, JSON.stringify(jobs),
      ]);
      if (!rows.length) throw new Error('slot not claimed');
      return { ok: true, ms: performance.now() - started };
    } catch (error) {
      return { ok: false, why: `raw: ${(error as Error).message}`, ms: performance.now() - started };
    }
  };
}

/**
 * `concurrency` workers book distinct slots back to back for `seconds`.
 * Counts what completes inside the window; requests still in flight at the
 * end are awaited but not counted.
 */
export async function runPhase(
  queue: SlotQueue,
  concurrency: number,
  seconds: number,
  attempt: (slotId: string) => Promise<Attempt>,
): Promise<PhaseResult> {
  const result: PhaseResult = { ok: 0, seconds, latencies: [], failures: new Map() };
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const slotId = queue.take();
      if (!slotId) throw new Error('ran out of free booking slots; seed more');
      const outcome = await attempt(slotId);
      if (performance.now() > deadline) break;
      if (outcome.ok) {
        result.ok++;
        result.latencies.push(outcome.ms);
      } else {
        const why = outcome.why ?? 'failed';
        result.failures.set(why, (result.failures.get(why) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return result;
}

export function mergePhases(phases: PhaseResult[]): PhaseResult {
  const merged: PhaseResult = { ok: 0, seconds: 0, latencies: [], failures: new Map() };
  for (const p of phases) {
    merged.ok += p.ok;
    merged.seconds += p.seconds;
    merged.latencies.push(...p.latencies);
    for (const [why, n] of p.failures) merged.failures.set(why, (merged.failures.get(why) ?? 0) + n);
  }
  return merged;
}

export function errorCode(body: string): string {
  try {
    const parsed = JSON.parse(body) as { code?: string; message?: string };
    return parsed.code ?? body.slice(0, 120);
  } catch {
    return body.slice(0, 120);
  }
}
