import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Routed delivery: roles per unit (calendar, handler), the staff's notice
 * preference, the handling state of submissions, their history, sealed notes
 * and messages, and the append-only access log (asiakastietolaki 703/2023).
 */
export class Delivery1764230000000 implements MigrationInterface {
  name = 'Delivery1764230000000';

  async up(q: QueryRunner): Promise<void> {
    // Every membership so far was a calendar one.
    await q.query(`ALTER TABLE staff_unit ADD COLUMN roles text[] NOT NULL DEFAULT '{calendar}'`);
    await q.query(`
      ALTER TABLE staff_unit ADD CONSTRAINT staff_unit_roles
        CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['calendar', 'handler']::text[])`);
    await q.query(`ALTER TABLE staff ADD COLUMN notify_new_submissions boolean NOT NULL DEFAULT true`);

    await q.query(`ALTER TABLE submission ADD COLUMN unit_id uuid REFERENCES unit`);
    await q.query(`UPDATE submission s SET unit_id = u.id FROM unit u WHERE u.code = s.unit_code`);
    await q.query(`
      ALTER TABLE submission
        ADD COLUMN status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'acknowledged', 'in_progress', 'closed')),
        ADD COLUMN assigned_to uuid REFERENCES staff,
        ADD COLUMN outcome text CHECK (outcome IS NULL OR outcome ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        ADD COLUMN status_changed_at timestamptz,
        ADD COLUMN closed_at timestamptz,
        ADD CONSTRAINT submission_closed CHECK ((status = 'closed') = (closed_at IS NOT NULL) AND (status <> 'closed' OR outcome IS NOT NULL))`);
    // The inbox: a unit's submissions, urgent first, newest first. Pre-information is read through its appointment.
    await q.query(`
      CREATE INDEX submission_inbox ON submission (unit_id, (priority = 'urgent') DESC, submitted_at DESC, id DESC)
        WHERE purpose <> 'pre-information'`);
    await q.query(`CREATE INDEX submission_assigned ON submission (assigned_to) WHERE assigned_to IS NOT NULL`);

    // History of handling: who did what, when, through which unit. `detail` holds ids and codes, never personal data.
    await q.query(`
      CREATE TABLE submission_event (
        id bigserial PRIMARY KEY,
        submission_id uuid NOT NULL REFERENCES submission,
        at timestamptz NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('staff', 'sender', 'system')),
        actor_id uuid REFERENCES staff,
        action text NOT NULL CHECK (action ~ '^[a-z][a-z0-9-]{0,62}$'),
        unit_id uuid REFERENCES unit,
        detail jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(detail) = 'object'),
        CHECK ((actor_type = 'staff') = (actor_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX submission_event_submission ON submission_event (submission_id, id)`);
    await q.query(`CREATE INDEX submission_event_unit ON submission_event (unit_id, at)`);

    // Internal notes of handlers, sealed like the answers (a data key per note, wrapped by a master key).
    await q.query(`
      CREATE TABLE submission_note (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        submission_id uuid NOT NULL REFERENCES submission,
        staff_id uuid NOT NULL REFERENCES staff,
        unit_id uuid NOT NULL REFERENCES unit,
        at timestamptz NOT NULL,
        key_id text NOT NULL,
        wrapped_key text NOT NULL,
        payload text NOT NULL
      )`);
    await q.query(`CREATE INDEX submission_note_submission ON submission_note (submission_id, at)`);

    // Messages between handlers and the sender (who follows up with the receipt code), sealed like notes.
    await q.query(`
      CREATE TABLE submission_message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        submission_id uuid NOT NULL REFERENCES submission,
        at timestamptz NOT NULL,
        direction text NOT NULL CHECK (direction IN ('handler', 'sender')),
        staff_id uuid REFERENCES staff,
        unit_id uuid REFERENCES unit,
        key_id text NOT NULL,
        wrapped_key text NOT NULL,
        payload text NOT NULL,
        CHECK ((direction = 'handler') = (staff_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX submission_message_submission ON submission_message (submission_id, at)`);

    // Who opened what, through which unit, and why. Never changed, never removed.
    await q.query(`
      CREATE TABLE access_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        staff_id uuid NOT NULL REFERENCES staff,
        unit_id uuid REFERENCES unit,
        submission_id uuid NOT NULL REFERENCES submission,
        action text NOT NULL CHECK (action IN ('view', 'pdf', 'export', 'forward', 'reply', 'note')),
        purpose text NOT NULL CHECK (purpose IN ('handling', 'urgency-assessment', 'supervision', 'data-subject-request', 'other')),
        purpose_text text CHECK (purpose_text IS NULL OR char_length(purpose_text) BETWEEN 1 AND 500),
        CHECK (purpose <> 'other' OR purpose_text IS NOT NULL),
        CHECK (unit_id IS NOT NULL OR action = 'export')
      )`);
    await q.query(`CREATE INDEX access_log_submission ON access_log (submission_id, at)`);
    await q.query(`CREATE INDEX access_log_staff ON access_log (staff_id, at)`);
    await q.query(`CREATE INDEX access_log_at ON access_log (at)`);
    await q.query(`
      CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'access_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_append_only()`);
    await q.query(`CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE access_log`);
    await q.query(`DROP FUNCTION access_log_append_only()`);
    for (const table of ['submission_message', 'submission_note', 'submission_event']) await q.query(`DROP TABLE ${table}`);
    await q.query(`DROP INDEX submission_assigned`);
    await q.query(`DROP INDEX submission_inbox`);
    await q.query(`
      ALTER TABLE submission DROP CONSTRAINT submission_closed, DROP COLUMN closed_at, DROP COLUMN status_changed_at, DROP COLUMN outcome,
        DROP COLUMN assigned_to, DROP COLUMN status, DROP COLUMN unit_id`);
    await q.query(`ALTER TABLE staff DROP COLUMN notify_new_submissions`);
    await q.query(`ALTER TABLE staff_unit DROP CONSTRAINT staff_unit_roles, DROP COLUMN roles`);
  }
}
