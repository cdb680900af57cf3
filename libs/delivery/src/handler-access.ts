import type { EntityManager } from 'typeorm';
import { DomainError } from '@app/platform';
import type { AuthContext } from '@app/identity';
import type { Priority, SubmissionStatus } from './delivery.dto';

/** The clear metadata of a submission a handler works on (the answers stay sealed). */
export interface HandledSubmission {
  id: string;
  reference: string;
  formId: string;
  formVersion: number;
  purpose: string;
  language: string;
  priority: Priority;
  status: SubmissionStatus;
  /** The unit it is with now: the one whose handlers may read it. */
  unitId: string;
  assignedTo: string | null;
  submittedAt: Date;
}

/**
 * Locks a submission for a handler of the unit it is with now, in `tx`:
 * `share` to read it or add to it (note, message), `update` to change its
 * state (status, assignment, forwarding), so a forward that commits first
 * takes the access away before the read. Anything else — another unit's
 * submission, pre-information (read through its appointment), an unknown id,
 * an admin who is not a handler of the unit — is `not_found`, telling nothing
 * of what exists.
 *
 * This is THE check of inbox access: every route that takes a submission id
 * for handling calls it first, in the transaction that then writes the
 * access log or the event.
 */
export async function lockForHandler(tx: EntityManager, auth: AuthContext, submissionId: string, mode: 'share' | 'update'): Promise<HandledSubmission> {
  const [row] = await tx.query(
    `SELECT id, reference, form_id, form_version, purpose, language, priority, status, unit_id, assigned_to, submitted_at
       FROM submission
      WHERE id = $1 AND unit_id = ANY($2::uuid[]) AND purpose <> 'pre-information'
        FOR ${mode === 'update' ? 'UPDATE' : 'SHARE'}`,
    [submissionId, auth.handlerUnitIds],
  );
  if (!row) throw new DomainError('not_found');
  return {
    id: row.id,
    reference: row.reference,
    formId: row.form_id,
    formVersion: row.form_version,
    purpose: row.purpose,
    language: row.language,
    priority: row.priority,
    status: row.status,
    unitId: row.unit_id,
    assignedTo: row.assigned_to,
    submittedAt: row.submitted_at,
  };
}
