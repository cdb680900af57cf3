import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import type { AppSql } from './app-sql';
import type { HttpClient } from './http-client';
import { addDays } from './seed';

export interface SearchRequest {
  from: string;
  to: string;
  staffId?: string;
}

export interface SearchResult {
  http: number[];
  raw: number[];
  items: number[];
  failures: Map<string, number>;
}

/** A small seeded PRNG, so every run asks the same questions. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Windows of 1–7 whole days inside the searchable dates; every third request also filters by staff member. */
export function searchRequests(count: number, dates: readonly string[], staffIds: readonly string[], seed = 42): SearchRequest[] {
  const random = prng(seed);
  return Array.from({ length: count }, () => {
    const days = 1 + Math.floor(random() * 7);
    const start = Math.floor(random() * (dates.length - days + 1));
    const staffId = random() < 1 / 3 ? staffIds[Math.floor(random() * staffIds.length)] : undefined;
    return { from: dates[start], to: dates[start + days - 1], staffId };
  });
}

const DEFAULT_LIMIT = 200;

/** Start of each Helsinki day from `first` to the day after `last`, as PostgreSQL computes it. */
async function dayStarts(pool: Pool, first: string, last: string): Promise<Map<string, Date>> {
  const { rows } = await pool.query(
    `SELECT d::date::text AS day, d::date::timestamp AT TIME ZONE 'Europe/Helsinki' AS start
       FROM generate_series($1::date, $2::date, interval '1 day') d`,
    [first, addDays(last, 1)],
  );
  return new Map(rows.map((r: { day: string; start: Date }) => [r.day, r.start]));
}

export function searchPath(serviceId: string, r: SearchRequest): string {
  return `/api/v1/services/${serviceId}/slots?from=${r.from}&to=${r.to}${r.staffId ? `&staffId=${r.staffId}` : ''}`;
}

/**
 * Sequential searches, each asked over HTTP and then, as the baseline, as the
 * same two statements straight on `pg`. The first `warmup` are not measured.
 */
export async function runSearch(
  client: HttpClient,
  pool: Pool,
  sql: AppSql,
  serviceId: string,
  requests: readonly SearchRequest[],
  warmup: number,
): Promise<SearchResult> {
  const starts = await dayStarts(pool, requests.reduce((m, r) => (r.from < m ? r.from : m), requests[0].from),
    requests.reduce((m, r) => (r.to > m ? r.to : m), requests[0].to));
  const horizonEnd = await horizonEndOf(pool, serviceId);
  const result: SearchResult = { http: [], raw: [], items: [], failures: new Map() };
  for (const [i, request] of requests.entries()) {
    const measured = i >= warmup;
    const res = await client.get(searchPath(serviceId, request));
    if (res.status !== 200) {
      const why = `HTTP ${res.status} ${res.body.slice(0, 120)}`;
      result.failures.set(why, (result.failures.get(why) ?? 0) + 1);
      continue;
    }
    const items = (JSON.parse(res.body) as { items: unknown[] }).items.length;

    const started = performance.now();
    const rows = await rawSearch(pool, sql, serviceId, starts.get(request.from)!, starts.get(addDays(request.to, 1))!, request.staffId, horizonEnd);
    const rawMs = performance.now() - started;
    if (rows.rowCount !== items) {
      const why = `HTTP returned ${items} items, the raw query ${rows.rowCount}`;
      result.failures.set(why, (result.failures.get(why) ?? 0) + 1);
    }
    if (measured) {
      result.http.push(res.ms);
      result.raw.push(rawMs);
      result.items.push(items);
    }
  }
  return result;
}

/** The service's horizon end as the server computes it (start of the Helsinki day `horizon_days` after today). */
async function horizonEndOf(pool: Pool, serviceId: string): Promise<Date> {
  const { rows } = await pool.query(
    `SELECT ((now() AT TIME ZONE 'Europe/Helsinki')::date + horizon_days)::timestamp AT TIME ZONE 'Europe/Helsinki' AS horizon_end
       FROM service WHERE id = $1`,
    [serviceId],
  );
  return rows[0].horizon_end;
}

/** searchFree() without HTTP and Nest: the service lookup, the same bounds, the same query. */
async function rawSearch(pool: Pool, sql: AppSql, serviceId: string, from: Date, to: Date, staffId: string | undefined, horizonEnd: Date, explain = '') {
  const [service] = (await pool.query(sql.SERVICE_LOOKUP, [serviceId])).rows as { min_notice_minutes: number; buffer_minutes: number }[];
  const earliest = new Date(Math.max(from.getTime(), Date.now() + service.min_notice_minutes * 60_000));
  const latest = new Date(Math.min(to.getTime(), horizonEnd.getTime()));
  return pool.query(`${explain}${sql.SEARCH_FREE}`, [serviceId, earliest, latest, null, staffId ?? null, null, service.buffer_minutes, DEFAULT_LIMIT]);
}

/** EXPLAIN ANALYZE of the search query for one request, for the findings. */
export async function explainSearch(pool: Pool, sql: AppSql, serviceId: string, request: SearchRequest): Promise<string> {
  const starts = await dayStarts(pool, request.from, request.to);
  const horizonEnd = await horizonEndOf(pool, serviceId);
  const { rows } = await rawSearch(
    pool, sql, serviceId, starts.get(request.from)!, starts.get(addDays(request.to, 1))!, request.staffId, horizonEnd, 'EXPLAIN (ANALYZE, BUFFERS) ',
  );
  return rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
}
