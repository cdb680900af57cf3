import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox leases that a dispatcher holds only while it is sending: each claim
 * gets a token, the lease runs on the database's clock (the same for every
 * instance) and is extended while the claim's messages are being sent; a
 * message is marked only by the claim that still holds it. Due messages are
 * read in claim order from `outbox_due` (urgent first, then planned time and
 * sequence), which the receipts migration made.
 */
export class OutboxLease1764280000000 implements MigrationInterface {
  name = 'OutboxLease1764280000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN claim_token uuid, ADD COLUMN leased_until timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN leased_until, DROP COLUMN claim_token`);
  }
}
