import type { EntityManager } from 'typeorm';
import type { Envelope } from '@app/platform';

/** One message between the handlers and the sender, to be sealed. */
export interface NewMessage {
  submissionId: string;
  direction: 'handler' | 'sender';
  /** The handler who wrote it; null for the sender. */
  staffId: string | null;
  /** The unit the submission was with. */
  unitId: string | null;
  at: Date;
  text: string;
}

/** Writes a message sealed like the answers (a data key of its own); returns its id. */
export async function insertMessage(tx: EntityManager, envelope: Envelope, m: NewMessage): Promise<string> {
  const sealed = envelope.seal(m.text);
  const [row] = await tx.query(
    `INSERT INTO submission_message (submission_id, at, direction, staff_id, unit_id, key_id, wrapped_key, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [m.submissionId, m.at, m.direction, m.staffId, m.unitId, sealed.keyId, sealed.wrappedKey, sealed.payload],
  );
  return row.id;
}
