import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '@app/platform';

export type EventActor = { type: 'staff'; id: string } | { type: 'sender' } | { type: 'system' };

/**
 * One entry of a submission's history. `detail` carries ids, codes and
 * statuses only — never personal data or free text (a reason is a sealed
 * note, named here by its id).
 */
export interface SubmissionEventInput {
  submissionId: string;
  actor: EventActor;
  /** e.g. `status`, `assign`, `note`, `forward`, `message`. */
  action: string;
  /** The unit through which it was done (for a forward: the unit it left). */
  unitId: string | null;
  detail?: Record<string, string | number | boolean | null>;
  at?: Date;
}

export interface SubmissionEventView {
  id: string;
  at: Date;
  actor: { type: EventActor['type']; id: string | null; name: string | null };
  action: string;
  unit: { id: string; code: string } | null;
  detail: Record<string, unknown>;
}

/** The history of submissions (table `submission_event`), written in the transaction of the change it records. */
@Injectable()
export class SubmissionEvents {
  constructor(private readonly clock: Clock) {}

  async record(tx: EntityManager, event: SubmissionEventInput): Promise<void> {
    await tx.query(
      `INSERT INTO submission_event (submission_id, at, actor_type, actor_id, action, unit_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [event.submissionId, event.at ?? this.clock.now(), event.actor.type, event.actor.type === 'staff' ? event.actor.id : null, event.action, event.unitId, event.detail ?? {}],
    );
  }

  /** A submission's history, oldest first. */
  async historyOf(tx: EntityManager, submissionId: string): Promise<SubmissionEventView[]> {
    const rows = await tx.query(
      `SELECT e.id, e.at, e.actor_type, e.actor_id, st.name AS actor_name, e.action, e.unit_id, u.code AS unit_code, e.detail
         FROM submission_event e
         LEFT JOIN staff st ON st.id = e.actor_id
         LEFT JOIN unit u ON u.id = e.unit_id
        WHERE e.submission_id = $1 ORDER BY e.id`,
      [submissionId],
    );
    return rows.map((r: Record<string, never>) => ({
      id: String(r.id),
      at: r.at,
      actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
      action: r.action,
      unit: r.unit_id ? { id: r.unit_id, code: r.unit_code } : null,
      detail: r.detail,
    }));
  }
}
