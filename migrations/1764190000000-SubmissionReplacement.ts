import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pre-information: one current submission per appointment, earlier ones kept
 * as replaced. Submission references are random, so the per-year counters
 * (which told every sender how many submissions came before theirs) go.
 */
export class SubmissionReplacement1764190000000 implements MigrationInterface {
  name = 'SubmissionReplacement1764190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE submission ADD COLUMN replaced_at timestamptz`);
    // Appointments that already have several: the newest stays current, each earlier one is replaced by the next.
    await q.query(`
      UPDATE submission s
         SET replaced_at = (SELECT min(n.submitted_at) FROM submission n
                             WHERE n.appointment_id = s.appointment_id AND (n.submitted_at, n.id) > (s.submitted_at, s.id))
       WHERE s.appointment_id IS NOT NULL
         AND EXISTS (SELECT 1 FROM submission n WHERE n.appointment_id = s.appointment_id AND (n.submitted_at, n.id) > (s.submitted_at, s.id))`);
    await q.query(`CREATE UNIQUE INDEX submission_current_per_appointment ON submission (appointment_id) WHERE appointment_id IS NOT NULL AND replaced_at IS NULL`);
    await q.query(`DROP TABLE reference_counter`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reference_counter (prefix text NOT NULL, year integer NOT NULL, value integer NOT NULL, PRIMARY KEY (prefix, year))`);
    // Counters continue after the sequential references issued before this migration.
    await q.query(`
      INSERT INTO reference_counter (prefix, year, value)
      SELECT split_part(reference, '-', 1), split_part(reference, '-', 2)::int, max(split_part(reference, '-', 3)::int)
        FROM submission WHERE reference ~ '^[A-Z]{2,5}-[0-9]{4}-[0-9]{6}$' GROUP BY 1, 2`);
    await q.query(`DROP INDEX submission_current_per_appointment`);
    await q.query(`ALTER TABLE submission DROP COLUMN replaced_at`);
  }
}
