/** Anything with a `query` method: a TypeORM DataSource or a pg Client. */
interface Queryable {
  query(sql: string): Promise<unknown>;
}

/**
 * Bookkeeping that any request may legitimately touch: sessions, login
 * throttling and rate limits. Every other table must stay as it was after a
 * refused request.
 */
export const BOOKKEEPING = /session|throttle|rate_?limit|attempt/;

async function rows<T>(db: Queryable, sql: string): Promise<T[]> {
  const result = (await db.query(sql)) as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/** A checksum of every row of every table but the bookkeeping ones: any insert, update or delete changes it. */
export async function tableChecksums(db: Queryable): Promise<Record<string, string>> {
  const tables = await rows<{ name: string }>(
    db,
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const sums: Record<string, string> = {};
  for (const { name } of tables.filter((t) => !BOOKKEEPING.test(t.name))) {
    const [row] = await rows<{ rows: number; sum: string }>(
      db,
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS sum FROM "${name}" t`,
    );
    sums[name] = `${row.rows} rows, ${row.sum}`;
  }
  return sums;
}
