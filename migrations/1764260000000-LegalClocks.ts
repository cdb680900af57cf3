import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Legal clocks of submissions: the deadlines set on arrival (urgency
 * assessment and decision for child-welfare notifications, Lastensuojelulaki
 * 417/2007 §26; first contact for help requests), what was recorded to meet
 * them, when the unit was warned or told one is overdue, and when the child
 * and the guardians were informed of a notification.
 */
export class LegalClocks1764260000000 implements MigrationInterface {
  name = 'LegalClocks1764260000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per clock of a submission. `due_at` is the instant from which it is overdue (for a working-day
    // deadline the start of the Helsinki day after `due_date`); a clock recorded without a deadline has none.
    // `met_at` is when it was done (as the handler states it), `recorded_at` when that was written down.
    await q.query(`
      CREATE TABLE submission_deadline (
        submission_id uuid NOT NULL REFERENCES submission,
        kind text NOT NULL CHECK (kind IN ('assessment', 'decision', 'first-contact')),
        due_at timestamptz,
        due_date date,
        warn_at timestamptz,
        met_at timestamptz,
        met_by uuid REFERENCES staff,
        result text CHECK (result IS NULL OR result ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        recorded_at timestamptz,
        warning_planned_at timestamptz,
        overdue_planned_at timestamptz,
        PRIMARY KEY (submission_id, kind),
        CHECK ((met_at IS NULL) = (recorded_at IS NULL) AND (met_at IS NULL) = (met_by IS NULL)),
        CHECK (due_at IS NOT NULL OR (due_date IS NULL AND warn_at IS NULL)),
        CHECK (warn_at IS NULL OR warn_at < due_at)
      )`);
    // The escalation job and the inbox's overdue filter look only at open clocks with a deadline.
    await q.query(`CREATE INDEX submission_deadline_open ON submission_deadline (due_at) WHERE met_at IS NULL AND due_at IS NOT NULL`);
    await q.query(`CREATE INDEX submission_deadline_warn ON submission_deadline (warn_at) WHERE met_at IS NULL AND warn_at IS NOT NULL`);

    // When the child and the guardians were told of a child-welfare notification (as the handler states it).
    await q.query(`
      CREATE TABLE submission_informed (
        submission_id uuid NOT NULL REFERENCES submission,
        who text NOT NULL CHECK (who IN ('child', 'guardians')),
        at timestamptz NOT NULL,
        staff_id uuid NOT NULL REFERENCES staff,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (submission_id, who)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE submission_informed`);
    await q.query(`DROP TABLE submission_deadline`);
  }
}
