import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Identity and the booking core. */
export class Init1764130000000 implements MigrationInterface {
  name = 'Init1764130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await q.query(`
      CREATE TABLE unit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name jsonb NOT NULL,
        email text,
        phone text,
        address text,
        municipality_code text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE staff (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        title jsonb,
        languages text[] NOT NULL DEFAULT '{fi}',
        roles text[] NOT NULL DEFAULT '{staff}',
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (roles <@ ARRAY['admin', 'staff']::text[]),
        CHECK (languages <@ ARRAY['fi', 'sv', 'en']::text[])
      )`);
    await q.query(`CREATE UNIQUE INDEX staff_email_key ON staff (lower(email))`);
    await q.query(`
      CREATE TABLE staff_unit (
        staff_id uuid NOT NULL REFERENCES staff ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES unit ON DELETE CASCADE,
        PRIMARY KEY (staff_id, unit_id)
      )`);
    await q.query(`CREATE INDEX staff_unit_unit ON staff_unit (unit_id)`);
    await q.query(`
      CREATE TABLE session (
        token_hash text PRIMARY KEY,
        staff_id uuid NOT NULL REFERENCES staff ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX session_expires ON session (expires_at)`);
    await q.query(`
      CREATE TABLE login_throttle (
        email text PRIMARY KEY,
        failures integer NOT NULL,
        last_failure_at timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE service (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        unit_id uuid NOT NULL REFERENCES unit,
        name jsonb NOT NULL,
        description jsonb,
        duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
        buffer_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_minutes BETWEEN 0 AND 240),
        channels text[] NOT NULL CHECK (cardinality(channels) > 0 AND channels <@ ARRAY['in-person', 'phone', 'video']::text[]),
        capacity integer NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 1 AND 200),
        min_notice_minutes integer NOT NULL DEFAULT 120 CHECK (min_notice_minutes >= 0),
        horizon_days integer NOT NULL DEFAULT 28 CHECK (horizon_days BETWEEN 1 AND 366),
        change_deadline_minutes integer NOT NULL DEFAULT 1440 CHECK (change_deadline_minutes >= 0),
        reminder_offsets_minutes integer[] NOT NULL DEFAULT '{1440}',
        pre_information_form text,
        languages text[] NOT NULL DEFAULT '{fi,sv,en}',
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE working_hours (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_id uuid NOT NULL REFERENCES staff ON DELETE CASCADE,
        service_id uuid NOT NULL REFERENCES service ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES unit,
        weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        start_time time NOT NULL,
        end_time time NOT NULL CHECK (end_time > start_time),
        valid_from date NOT NULL,
        valid_to date CHECK (valid_to IS NULL OR valid_to >= valid_from),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX working_hours_staff ON working_hours (staff_id, service_id)`);
    await q.query(`
      CREATE TABLE extra_hours (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_id uuid NOT NULL REFERENCES staff ON DELETE CASCADE,
        service_id uuid NOT NULL REFERENCES service ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES unit,
        date date NOT NULL,
        start_time time NOT NULL,
        end_time time NOT NULL CHECK (end_time > start_time),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX extra_hours_staff ON extra_hours (staff_id, date)`);
    await q.query(`
      CREATE TABLE absence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_id uuid NOT NULL REFERENCES staff ON DELETE CASCADE,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
        reason text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX absence_staff ON absence USING gist (staff_id, tstzrange(starts_at, ends_at))`);

    // A slot's capacity is taken with one conditional UPDATE of "booked";
    // the CHECK makes overbooking impossible even for a buggy caller.
    await q.query(`
      CREATE TABLE slot (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        service_id uuid NOT NULL REFERENCES service,
        staff_id uuid NOT NULL REFERENCES staff,
        unit_id uuid NOT NULL REFERENCES unit,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
        capacity integer NOT NULL CHECK (capacity >= 1),
        booked integer NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
        blocked boolean NOT NULL DEFAULT false,
        withdrawn boolean NOT NULL DEFAULT false,
        origin text NOT NULL DEFAULT 'calendar' CHECK (origin IN ('calendar', 'manual')),
        CONSTRAINT slot_staff_service_start UNIQUE (staff_id, service_id, starts_at)
      )`);
    await q.query(`CREATE INDEX slot_free_by_service ON slot (service_id, starts_at) WHERE booked < capacity AND NOT blocked AND NOT withdrawn`);

    await q.query(`CREATE SEQUENCE appointment_reference_seq`);
    // One staff member never has two overlapping active appointments on
    // different slots (a group session is one slot with capacity > 1).
    await q.query(`
      CREATE TABLE appointment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL UNIQUE,
        slot_id uuid NOT NULL REFERENCES slot,
        service_id uuid NOT NULL REFERENCES service,
        staff_id uuid NOT NULL REFERENCES staff,
        unit_id uuid NOT NULL REFERENCES unit,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        busy_until timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('booked', 'cancelled', 'fulfilled', 'noshow')),
        channel text NOT NULL CHECK (channel IN ('in-person', 'phone', 'video')),
        language text NOT NULL CHECK (language IN ('fi', 'sv', 'en')),
        contact_name text NOT NULL,
        contact_email text,
        contact_phone text,
        child_name text,
        note text,
        manage_token_hash text NOT NULL UNIQUE,
        cancel_reason text,
        booked_by text NOT NULL CHECK (booked_by IN ('family', 'staff')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK (contact_email IS NOT NULL OR contact_phone IS NOT NULL),
        CONSTRAINT appointment_no_overlap EXCLUDE USING gist (
          staff_id WITH =, slot_id WITH <>, tstzrange(starts_at, busy_until) WITH &&
        ) WHERE (status = 'booked')
      )`);
    await q.query(`CREATE INDEX appointment_slot ON appointment (slot_id)`);
    await q.query(`CREATE INDEX appointment_staff_time ON appointment (staff_id, starts_at)`);
    await q.query(`CREATE INDEX appointment_booked_start ON appointment (starts_at) WHERE status = 'booked'`);
    // Free-slot search asks "is this person busy then?" for many slots at once.
    await q.query(`CREATE INDEX appointment_staff_busy ON appointment USING gist (staff_id, tstzrange(starts_at, busy_until)) WHERE status = 'booked'`);

    await q.query(`
      CREATE TABLE appointment_event (
        id bigserial PRIMARY KEY,
        appointment_id uuid NOT NULL REFERENCES appointment ON DELETE CASCADE,
        at timestamptz NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('family', 'staff', 'system')),
        actor_id uuid,
        action text NOT NULL,
        from_starts_at timestamptz,
        to_starts_at timestamptz,
        reason text
      )`);
    await q.query(`CREATE INDEX appointment_event_appointment ON appointment_event (appointment_id, id)`);

    // Idempotency-Key records: the key is kept only as a hash and the manage
    // token only sealed with a key derived from the client's Idempotency-Key.
    await q.query(`
      CREATE TABLE idempotency_key (
        key_hash text PRIMARY KEY,
        request_hash text NOT NULL,
        appointment_id uuid REFERENCES appointment ON DELETE CASCADE,
        sealed_token text,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX idempotency_key_created ON idempotency_key (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['idempotency_key', 'appointment_event', 'appointment', 'slot', 'absence', 'extra_hours', 'working_hours', 'service', 'login_throttle', 'session', 'staff_unit', 'staff', 'unit']) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP SEQUENCE appointment_reference_seq`);
  }
}
