import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention: a closed submission's sealed content (answers, notes, messages)
 * is purged at the end of its form version's retention period, counted from
 * closing. The submission row stays as a minimal record (reference, form,
 * unit, dates, status, outcome, priority) with the time of the purge; the
 * access log stays whole.
 */
export class Retention1764270000000 implements MigrationInterface {
  name = 'Retention1764270000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE submission
        ADD COLUMN purged_at timestamptz,
        ALTER COLUMN key_id DROP NOT NULL,
        ALTER COLUMN wrapped_key DROP NOT NULL,
        ALTER COLUMN payload DROP NOT NULL`);
    // Sealed answers until purged, none after; only a closed submission is ever purged.
    await q.query(`
      ALTER TABLE submission ADD CONSTRAINT submission_purged CHECK (
        CASE WHEN purged_at IS NULL THEN key_id IS NOT NULL AND wrapped_key IS NOT NULL AND payload IS NOT NULL
             ELSE key_id IS NULL AND wrapped_key IS NULL AND payload IS NULL AND status = 'closed' END)`);
    await q.query(`CREATE INDEX submission_retention ON submission (closed_at) WHERE status = 'closed' AND purged_at IS NULL`);
    // Nothing new is sealed for a purged submission. The row lock (FOR SHARE) waits for a purge that is under
    // way and then sees it, so a note or message cannot slip in beside the purge.
    await q.query(`
      CREATE FUNCTION submission_content_not_purged() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        purged timestamptz;
      BEGIN
        SELECT purged_at INTO purged FROM submission WHERE id = NEW.submission_id FOR SHARE;
        IF purged IS NOT NULL THEN
          RAISE EXCEPTION 'submission % was purged: no new content', NEW.submission_id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    for (const table of ['submission_note', 'submission_message']) {
      await q.query(`CREATE TRIGGER ${table}_not_purged BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION submission_content_not_purged()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['submission_note', 'submission_message']) await q.query(`DROP TRIGGER ${table}_not_purged ON ${table}`);
    await q.query(`DROP FUNCTION submission_content_not_purged()`);
    await q.query(`DROP INDEX submission_retention`);
    await q.query(`ALTER TABLE submission DROP CONSTRAINT submission_purged`);
    // A purge is not undone: the sealed columns stay nullable, for the purged rows.
    await q.query(`ALTER TABLE submission DROP COLUMN purged_at`);
  }
}
