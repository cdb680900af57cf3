import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feedback sent with the accessibility statement's form (law 306/2019):
 * the message, the optional reply address and the page's language, for the
 * administrators' list. The notice e-mail carries none of it.
 */
export class AccessibilityFeedback1767400000000 implements MigrationInterface {
  name = 'AccessibilityFeedback1767400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accessibility_feedback (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        received_at timestamptz NOT NULL,
        language text NOT NULL CHECK (language IN ('fi', 'sv', 'en')),
        message text NOT NULL CHECK (char_length(message) BETWEEN 1 AND 4000),
        email text CHECK (email IS NULL OR char_length(email) <= 254)
      )`);
    await q.query(`CREATE INDEX accessibility_feedback_received ON accessibility_feedback (received_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE accessibility_feedback`);
  }
}
