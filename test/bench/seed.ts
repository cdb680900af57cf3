import type { Pool } from 'pg';

export interface SeedOptions {
  /** Rows the slot table should hold after seeding (existing rows count towards it). */
  totalSlots: number;
  staffCount: number;
  /** Days of searchable slots, starting tomorrow (Helsinki). */
  searchDays: number;
  /** Share of the searchable slots already booked, so the search's overlap check has appointments to look at. */
  searchBookedShare: number;
  /** Days of 5-minute booking slots per staff member, after the search period. */
  bookingDays: number;
  /** Distinguishes this run's codes and e-mails, so a shared DATABASE_URL can be seeded again. */
  tag: string;
}

export interface Seeded {
  unitId: string;
  searchServiceId: string;
  bookServiceId: string;
  staffIds: string[];
  /** Helsinki dates (YYYY-MM-DD) that have searchable slots, in order. */
  searchDates: string[];
  /** Free slots of the booking service (distinct, non-overlapping per staff member), in random order. */
  bookingSlotIds: string[];
  counts: { total: number; search: number; searchBooked: number; booking: number; filler: number; fillerServices: number };
}

const SEARCH_SLOTS_PER_DAY = 16; // 08:00–16:00 Helsinki, 30 minutes each
const FILLER_SLOTS_PER_DAY = 20; // 07:00–17:00 Helsinki, 30 minutes each
const BOOKING_SLOTS_PER_DAY = 288; // round the clock, 5 minutes each
const HORIZON_DAYS = 60;

const name = (text: string) => JSON.stringify({ fi: text, sv: text, en: text });

/**
 * Seeds with plain SQL (generate_series): one unit, staff, a searched
 * service, a booking service and filler services up to the slot total, then
 * VACUUM ANALYZE and CHECKPOINT so the measurements start from a settled
 * database.
 */
export async function seed(pool: Pool, options: SeedOptions): Promise<Seeded> {
  const { staffCount, searchDays, bookingDays, tag } = options;
  if (searchDays + 1 + bookingDays >= HORIZON_DAYS) throw new Error('search and booking periods must fit in the horizon');
  const client = await pool.connect();
  try {
    const [{ base, existing }] = (
      await client.query(
        `SELECT ((now() AT TIME ZONE 'Europe/Helsinki')::date + 1)::text AS base, (SELECT count(*) FROM slot)::int AS existing`,
      )
    ).rows;

    await client.query('BEGIN');
    const unitId: string = (
      await client.query(`INSERT INTO unit (code, name, address) VALUES ($1, $2, 'Penkkikatu 1, Helsinki') RETURNING id`, [
        `bench-${tag}`, name(`Bench unit ${tag}`),
      ])
    ).rows[0].id;
    // The units the shipped child-welfare notification routes to: without them, its submissions are refused.
    await client.query(
      `INSERT INTO unit (code, name) VALUES ('lastensuojelu-ilmoitukset', $1), ('lastensuojelu-lansi-uusimaa', $2) ON CONFLICT (code) DO NOTHING`,
      [name('Lastensuojeluilmoitukset'), name('Länsi-Uudenmaan lastensuojeluilmoitukset')],
    );
    const staffIds: string[] = (
      await client.query(
        `INSERT INTO staff (email, name, languages, roles, password_hash)
         SELECT 'bench-' || $1 || '-' || n || '@example.fi', 'Bench Staff ' || lpad(n::text, 3, '0'),
                CASE WHEN n % 3 = 0 THEN '{fi,sv}'::text[] ELSE '{fi}'::text[] END, '{staff}', 'not-a-real-hash'
           FROM generate_series(1, $2::int) n ORDER BY n
         RETURNING id`,
        [tag, staffCount],
      )
    ).rows.map((r: { id: string }) => r.id);
    await client.query(`INSERT INTO staff_unit (staff_id, unit_id) SELECT unnest($1::uuid[]), $2`, [staffIds, unitId]);

    const createService = async (code: string, duration: number): Promise<string> =>
      (
        await client.query(
          `INSERT INTO service (code, unit_id, name, duration_minutes, channels, min_notice_minutes, horizon_days, change_deadline_minutes)
           VALUES ($1, $2, $3, $4, '{in-person,phone}', 0, $5, 0) RETURNING id`,
          [code, unitId, name(code), duration, HORIZON_DAYS],
        )
      ).rows[0].id;
    const searchServiceId = await createService(`bench-${tag}-search`, 30);
    const bookServiceId = await createService(`bench-${tag}-book`, 5);

    // Searched data: searchDays × staff × 16 half-hour slots from 08:00 Helsinki.
    const search = (
      await client.query(
        `INSERT INTO slot (service_id, staff_id, unit_id, starts_at, ends_at, capacity)
         SELECT $1, st.id, $2, t, t + interval '30 minutes', 1
           FROM generate_series(0, $4::int - 1) d
          CROSS JOIN unnest($3::uuid[]) WITH ORDINALITY st(id, ord)
          CROSS JOIN generate_series(0, ${SEARCH_SLOTS_PER_DAY - 1}) k
          CROSS JOIN LATERAL (SELECT (($5::date + d) + time '08:00' + k * interval '30 minutes') AT TIME ZONE 'Europe/Helsinki' AS t) x
          ORDER BY d, st.ord, k`,
        [searchServiceId, unitId, staffIds, searchDays, base],
      )
    ).rowCount!;
    const searchBooked = (
      await client.query(
        `WITH picked AS (
           UPDATE slot SET booked = 1 WHERE service_id = $1 AND random() < $2
           RETURNING id, service_id, staff_id, unit_id, starts_at, ends_at)
         INSERT INTO appointment (reference, slot_id, service_id, staff_id, unit_id, starts_at, ends_at, busy_until, status, channel,
                                  language, contact_name, contact_email, manage_token_hash, booked_by, created_at, updated_at)
         SELECT 'BENCH-' || $3 || '-' || row_number() OVER (), id, service_id, staff_id, unit_id, starts_at, ends_at, ends_at,
                'booked', 'in-person', 'fi', 'Seed Family', 'seed@example.fi', encode(sha256(convert_to('bench-seed:' || id, 'UTF8')), 'hex'),
                'family', now(), now()
           FROM picked`,
        [searchServiceId, options.searchBookedShare, tag],
      )
    ).rowCount!;

    // Booking data: 5-minute slots round the clock, after the searched period, on a UTC grid (no DST gaps).
    const booking = (
      await client.query(
        `INSERT INTO slot (service_id, staff_id, unit_id, starts_at, ends_at, capacity)
         SELECT $1, st.id, $2, t, t + interval '5 minutes', 1
           FROM generate_series(0, $4::int * ${BOOKING_SLOTS_PER_DAY} - 1) i
          CROSS JOIN unnest($3::uuid[]) st(id)
          CROSS JOIN LATERAL (SELECT (($5::date + $6::int)::timestamp AT TIME ZONE 'Europe/Helsinki') + i * interval '5 minutes' AS t) x`,
        [bookServiceId, unitId, staffIds, bookingDays, base, searchDays + 1],
      )
    ).rowCount!;

    // Filler: other services of the same staff in the same weeks, up to the slot total.
    const perService = staffCount * searchDays * FILLER_SLOTS_PER_DAY;
    const fillerNeeded = Math.max(0, options.totalSlots - existing - search - booking);
    const fillerServices = Math.ceil(fillerNeeded / perService);
    const fillerIds: string[] = [];
    for (let i = 1; i <= fillerServices; i++) fillerIds.push(await createService(`bench-${tag}-filler-${i}`, 30));
    const filler = fillerNeeded
      ? (
          await client.query(
            `INSERT INTO slot (service_id, staff_id, unit_id, starts_at, ends_at, capacity)
             SELECT ($1::uuid[])[1 + i / $4], ($2::uuid[])[1 + i % $4 % $5], $3, t, t + interval '30 minutes', 1
               FROM generate_series(0, $6::int - 1) i
              CROSS JOIN LATERAL (
                SELECT (($7::date + (i % $4 / $5 / ${FILLER_SLOTS_PER_DAY}))
                        + time '07:00' + (i % $4 / $5 % ${FILLER_SLOTS_PER_DAY}) * interval '30 minutes') AT TIME ZONE 'Europe/Helsinki' AS t) x`,
            [fillerIds, staffIds, unitId, perService, staffCount, fillerNeeded, base],
          )
        ).rowCount!
      : 0;
    await client.query('COMMIT');

    for (const table of ['slot', 'appointment', 'appointment_event', 'service', 'staff', 'unit', 'staff_unit']) {
      await client.query(`VACUUM (ANALYZE) ${table}`);
    }
    await client.query('CHECKPOINT').catch(() => undefined); // needs superuser on an external server

    const bookingSlotIds: string[] = (await client.query(`SELECT id FROM slot WHERE service_id = $1`, [bookServiceId])).rows.map(
      (r: { id: string }) => r.id,
    );
    shuffle(bookingSlotIds);
    const total: number = (await client.query(`SELECT count(*)::int AS n FROM slot`)).rows[0].n;
    const searchDates = Array.from({ length: searchDays }, (_, d) => addDays(base, d));
    return {
      unitId, searchServiceId, bookServiceId, staffIds, searchDates, bookingSlotIds,
      counts: { total, search, searchBooked, booking, filler, fillerServices },
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
