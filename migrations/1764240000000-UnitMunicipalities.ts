import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The municipalities a unit serves (Statistics Finland codes), for routing a
 * submission by an answered municipality. A unit's own `municipality_code`
 * says where it is; this says whom it serves.
 */
export class UnitMunicipalities1764240000000 implements MigrationInterface {
  name = 'UnitMunicipalities1764240000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE unit ADD COLUMN municipalities text[] NOT NULL DEFAULT '{}'`);
    // Three-digit codes only (no NULL element: it would print as NULL).
    await q.query(`ALTER TABLE unit ADD CONSTRAINT unit_municipalities_codes CHECK (municipalities::text ~ '^\\{((\\d{3},)*\\d{3})?\\}$')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE unit DROP COLUMN municipalities`);
  }
}
