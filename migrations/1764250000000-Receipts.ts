import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Anonymous follow-up and content-free notices: the sender's address for the
 * "there is a reply" notice, sealed, and urgent outbox messages sent before
 * the others.
 */
export class Receipts1764250000000 implements MigrationInterface {
  name = 'Receipts1764250000000';

  async up(q: QueryRunner): Promise<void> {
    // The e-mail address a sender gave for the reply notice, only when they asked for it: sealed like the
    // answers (`{ keyId, wrappedKey, payload }`, a data key of its own wrapped by a master key), never in clear.
    // Nullable: the retention purge clears it with the payload; key rotation rewraps it like the other sealed columns.
    await q.query(`
      ALTER TABLE submission ADD COLUMN reply_notice_to jsonb
        CHECK (reply_notice_to IS NULL OR (reply_notice_to ?& ARRAY['keyId', 'wrappedKey', 'payload'] AND jsonb_typeof(reply_notice_to) = 'object'))`);
    await q.query(`COMMENT ON COLUMN submission.reply_notice_to IS 'Sealed e-mail address for the content-free reply notice (sender opted in); NULL otherwise and after the retention purge'`);

    // Urgent messages (an urgent submission's notices) are claimed before every other due message.
    await q.query(`ALTER TABLE outbox ADD COLUMN urgent boolean NOT NULL DEFAULT false`);
    await q.query(`DROP INDEX outbox_due`);
    await q.query(`CREATE INDEX outbox_due ON outbox (urgent DESC, next_attempt_at, seq) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_due`);
    await q.query(`CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`ALTER TABLE outbox DROP COLUMN urgent`);
    await q.query(`ALTER TABLE submission DROP COLUMN reply_notice_to`);
  }
}
