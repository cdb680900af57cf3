import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox leases that a dispatcher holds only while it is sending: each claim
 * gets a token, the lease runs on the database's clock (the same for every
 * instance) and is extended while the claim's messages are being sent; a
 * message is marked only by the claim that still holds it.
 */
export class OutboxLease1764180000000 implements MigrationInterface {
  name = 'OutboxLease1764180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN claim_token uuid, ADD COLUMN leased_until timestamptz`);
    // Due messages are claimed in (next_attempt_at, seq) order: read in that order from the index, without sorting
    // every due row when many share a time (a batch planned at once, everything that waited out an outage).
    await q.query(`CREATE INDEX outbox_due_in_order ON outbox (next_attempt_at, seq) WHERE status = 'pending'`);
    await q.query(`DROP INDEX outbox_due`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`DROP INDEX outbox_due_in_order`);
    await q.query(`ALTER TABLE outbox DROP COLUMN leased_until, DROP COLUMN claim_token`);
  }
}
