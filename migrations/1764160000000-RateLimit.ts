import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counts shared by all instances: one row per (bucket, hashed
 * key, window). Unlogged: the counts are short-lived and rewritten every
 * second, so they skip the write-ahead log (after a crash of PostgreSQL they
 * start again from zero).
 */
export class RateLimit1764160000000 implements MigrationInterface {
  name = 'RateLimit1764160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limit (
        bucket text NOT NULL,
        key text NOT NULL,
        window_start timestamptz NOT NULL,
        count integer NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (bucket, key, window_start)
      )`);
    await q.query(`CREATE INDEX rate_limit_expires ON rate_limit (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit`);
  }
}
