import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Transactional outbox for e-mail, calendar sequence numbers, staff notice window. */
export class Outbox1764140000000 implements MigrationInterface {
  name = 'Outbox1764140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE appointment ADD COLUMN ics_sequence integer NOT NULL DEFAULT 0`);
    await q.query(
      `ALTER TABLE service ADD COLUMN staff_notice_working_days integer NOT NULL DEFAULT 2 CHECK (staff_notice_working_days BETWEEN 0 AND 20)`,
    );
    // A message is planned as a job in the transaction of the change that causes it
    // and rendered when it is sent. Its facts (times, sequence) are plain; its
    // secrets (a manage link's token) are sealed, and cleared once it is sent.
    await q.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        message_id text NOT NULL UNIQUE,
        kind text NOT NULL,
        appointment_id uuid REFERENCES appointment ON DELETE SET NULL,
        dedupe_key text UNIQUE,
        facts jsonb NOT NULL DEFAULT '{}',
        secrets jsonb,
        recipient text,
        subject text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        last_error text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX outbox_appointment ON outbox (appointment_id)`);
    await q.query(`CREATE INDEX outbox_failed ON outbox (created_at) WHERE status = 'failed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox`);
    await q.query(`ALTER TABLE service DROP COLUMN staff_notice_working_days`);
    await q.query(`ALTER TABLE appointment DROP COLUMN ics_sequence`);
  }
}
