import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login throttling per (account, client address) and per account. Accounts
 * and client addresses are stored only as keyed hashes.
 */
export class LoginThrottle1764170000000 implements MigrationInterface {
  name = 'LoginThrottle1764170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_throttle`);
    // Strict: attempts at one account from one client address, counted before the password is checked.
    await q.query(`
      CREATE TABLE login_attempt_client (
        account_hash text NOT NULL,
        client_hash text NOT NULL,
        attempts integer NOT NULL,
        last_attempt_at timestamptz NOT NULL,
        PRIMARY KEY (account_hash, client_hash)
      )`);
    await q.query(`CREATE INDEX login_attempt_client_last ON login_attempt_client (last_attempt_at)`);
    // Loose: attempts at one account from anywhere, in a fixed window.
    await q.query(`
      CREATE TABLE login_attempt_account (
        account_hash text PRIMARY KEY,
        window_start timestamptz NOT NULL,
        attempts integer NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_attempt_account`);
    await q.query(`DROP TABLE login_attempt_client`);
    await q.query(`
      CREATE TABLE login_throttle (
        email text PRIMARY KEY,
        failures integer NOT NULL,
        last_failure_at timestamptz NOT NULL
      )`);
  }
}
