import type { Pool } from 'pg';
import { BOOKING_BODY, type SlotQueue, errorCode } from './booking';
import type { HttpClient } from './http-client';

export interface ContentionRound {
  slotId: string;
  successes: number;
  /** Attempts answered otherwise than 201 or 409 slot_taken. */
  unexpected: Map<string, number>;
  latencies: number[];
  /** What the database holds for the slot afterwards. */
  booked: number;
  appointments: number;
}

/** `attempts` simultaneous bookings of one slot: exactly one may win, the rest get 409 slot_taken. */
export async function contentionRound(client: HttpClient, pool: Pool, queue: SlotQueue, attempts: number): Promise<ContentionRound> {
  const slotId = queue.take();
  if (!slotId) throw new Error('ran out of free booking slots; seed more');
  const results = await Promise.all(
    Array.from({ length: attempts }, () =>
      client.post('/api/v1/appointments', { slotId, ...BOOKING_BODY }).catch((error: Error) => ({ status: 0, body: error.message, ms: NaN })),
    ),
  );
  const round: ContentionRound = { slotId, successes: 0, unexpected: new Map(), latencies: [], booked: 0, appointments: 0 };
  for (const res of results) {
    round.latencies.push(res.ms);
    if (res.status === 201) {
      round.successes++;
      continue;
    }
    const code = res.status ? errorCode(res.body) : res.body;
    if (res.status === 409 && code === 'slot_taken') continue;
    const why = `HTTP ${res.status} ${code}`;
    round.unexpected.set(why, (round.unexpected.get(why) ?? 0) + 1);
  }
  const { rows } = await pool.query(
    `SELECT s.booked, (SELECT count(*)::int FROM appointment a WHERE a.slot_id = s.id) AS appointments FROM slot s WHERE s.id = $1`,
    [slotId],
  );
  round.booked = rows[0].booked;
  round.appointments = rows[0].appointments;
  return round;
}
