import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Form definitions and versions, encrypted submissions and drafts, references, pre-information links. */
export class Forms1764150000000 implements MigrationInterface {
  name = 'Forms1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE form_definition (
        form_id text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        status text NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
        purpose text NOT NULL,
        definition jsonb NOT NULL,
        content_hash text NOT NULL,
        source text NOT NULL CHECK (source IN ('file', 'upload')),
        created_at timestamptz NOT NULL,
        published_at timestamptz,
        retired_at timestamptz,
        PRIMARY KEY (form_id, version)
      )`);
    await q.query(`
      CREATE TABLE reference_counter (
        prefix text NOT NULL,
        year integer NOT NULL,
        value integer NOT NULL,
        PRIMARY KEY (prefix, year)
      )`);
    // Answers are sealed per submission (AES-256-GCM data key wrapped by a master key);
    // what inboxes need (form, purpose, time, routing) stays in clear.
    await q.query(`
      CREATE TABLE submission (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL UNIQUE,
        form_id text NOT NULL,
        form_version integer NOT NULL,
        purpose text NOT NULL,
        language text NOT NULL CHECK (language IN ('fi', 'sv', 'en')),
        submitted_at timestamptz NOT NULL,
        identified boolean NOT NULL,
        unit_code text NOT NULL,
        priority text NOT NULL CHECK (priority IN ('normal', 'urgent')),
        appointment_id uuid REFERENCES appointment ON DELETE SET NULL,
        receipt_hash text NOT NULL UNIQUE,
        key_id text NOT NULL,
        wrapped_key text NOT NULL,
        payload text NOT NULL,
        retain_until timestamptz NOT NULL,
        FOREIGN KEY (form_id, form_version) REFERENCES form_definition (form_id, version)
      )`);
    await q.query(`CREATE INDEX submission_appointment ON submission (appointment_id) WHERE appointment_id IS NOT NULL`);
    await q.query(`CREATE INDEX submission_unit ON submission (unit_code, submitted_at)`);
    await q.query(`
      CREATE TABLE form_draft (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        form_id text NOT NULL,
        form_version integer NOT NULL,
        token_hash text NOT NULL UNIQUE,
        key_id text NOT NULL,
        wrapped_key text NOT NULL,
        payload text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        FOREIGN KEY (form_id, form_version) REFERENCES form_definition (form_id, version)
      )`);
    await q.query(`CREATE INDEX form_draft_expires ON form_draft (expires_at)`);
    await q.query(`ALTER TABLE appointment ADD COLUMN pre_information_token_hash text UNIQUE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE appointment DROP COLUMN pre_information_token_hash`);
    for (const table of ['form_draft', 'submission', 'reference_counter', 'form_definition']) await q.query(`DROP TABLE ${table}`);
  }
}
