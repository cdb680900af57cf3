import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, DomainError, Envelope, type Lang } from '@app/platform';
import type { AuthContext } from '@app/identity';
import { FormDefinitionsService } from '@app/forms';
import { AccessLogService } from './access-log.service';
import type { ForwardDto, StatusChangeDto, SubmissionStatus } from './delivery.dto';
import { type HandledSubmission, lockForHandler } from './handler-access';
import type { InboxNote } from './inbox.service';
import { outcomesOf } from './outcomes';
import { refuseIfPurged } from './retention.service';
import { SubmissionEvents } from './submission-events';
import { SubmissionNotices } from './submission-notices';
import { type SubmissionMetadata, metadataOf } from './submission-metadata';

/** The one status each status may move to. */
export const NEXT_STATUS: Record<SubmissionStatus, SubmissionStatus | undefined> = {
  received: 'acknowledged',
  acknowledged: 'in_progress',
  in_progress: 'closed',
  closed: undefined,
};

/**
 * What handlers do with a submission of their unit: move its status, assign
 * it, write internal notes, forward it to another unit. Each change and its
 * history entry (and, where content is touched, its access-log row) are
 * written in one transaction, under the submission's row lock.
 */
@Injectable()
export class HandlingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly definitions: FormDefinitionsService,
    private readonly envelope: Envelope,
    private readonly clock: Clock,
    private readonly accessLog: AccessLogService,
    private readonly events: SubmissionEvents,
    private readonly notices: SubmissionNotices,
  ) {}

  /**
   * Moves the status one step on (received → acknowledged → in_progress →
   * closed); anything else is invalid_submission_status. Closing needs an
   * outcome from the form's list; no other step takes one.
   */
  async setStatus(auth: AuthContext, submissionId: string, dto: StatusChangeDto, lang: Lang): Promise<SubmissionMetadata> {
    return this.db.transaction(async (tx) => {
      const handled = await lockForHandler(tx, auth, submissionId, 'update');
      if (NEXT_STATUS[handled.status] !== dto.status) throw new DomainError('invalid_submission_status');
      const outcome = dto.status === 'closed' ? await this.checkedOutcome(tx, handled, dto.outcome) : null;
      if (dto.status !== 'closed' && dto.outcome !== undefined) throw new DomainError('validation_failed', {}, [{ field: 'outcome', rule: 'outcomeOnlyWhenClosing' }]);
      const now = this.clock.now();
      await tx.query(
        `UPDATE submission SET status = $2, status_changed_at = $3, outcome = $4, closed_at = CASE WHEN $2 = 'closed' THEN $3::timestamptz END WHERE id = $1`,
        [submissionId, dto.status, now, outcome],
      );
      await this.events.record(tx, {
        submissionId, actor: { type: 'staff', id: auth.staffId }, action: 'status', unitId: handled.unitId, at: now,
        detail: { from: handled.status, to: dto.status, ...(outcome ? { outcome } : {}) },
      });
      return metadataOf(tx, submissionId, lang, this.clock.now());
    });
  }

  /** Assigns to a handler of the submission's unit (the caller too), or to nobody with null. */
  async assign(auth: AuthContext, submissionId: string, staffId: string | null, lang: Lang): Promise<SubmissionMetadata> {
    return this.db.transaction(async (tx) => {
      const handled = await lockForHandler(tx, auth, submissionId, 'update');
      if (handled.status === 'closed') throw new DomainError('submission_closed');
      if (staffId !== null && !(await this.isActiveHandler(tx, staffId, handled.unitId))) throw new DomainError('assignee_not_handler');
      if (handled.assignedTo !== staffId) {
        const now = this.clock.now();
        await tx.query(`UPDATE submission SET assigned_to = $2 WHERE id = $1`, [submissionId, staffId]);
        await this.events.record(tx, {
          submissionId, actor: { type: 'staff', id: auth.staffId }, action: 'assign', unitId: handled.unitId, at: now,
          detail: { fromStaffId: handled.assignedTo, toStaffId: staffId },
        });
      }
      return metadataOf(tx, submissionId, lang, this.clock.now());
    });
  }

  /** Adds an internal note, sealed like the answers; in the history and the access log (`note`). */
  async addNote(auth: AuthContext, submissionId: string, text: string): Promise<InboxNote> {
    return this.db.transaction(async (tx) => {
      const handled = await lockForHandler(tx, auth, submissionId, 'share');
      await refuseIfPurged(tx, submissionId);
      const now = this.clock.now();
      const id = await this.writeNote(tx, auth, handled, text, now);
      await this.events.record(tx, { submissionId, actor: { type: 'staff', id: auth.staffId }, action: 'note', unitId: handled.unitId, at: now, detail: { noteId: id } });
      await this.accessLog.record(tx, { staffId: auth.staffId, unitId: handled.unitId, submissionId, action: 'note', purpose: 'handling', at: now });
      const [row] = await tx.query(
        `SELECT st.name AS staff_name, u.code AS unit_code FROM staff st, unit u WHERE st.id = $1 AND u.id = $2`,
        [auth.staffId, handled.unitId],
      );
      return { id, at: now, staff: { id: auth.staffId, name: row.staff_name }, unit: { id: handled.unitId, code: row.unit_code }, text };
    });
  }

  /**
   * Forwards to another existing unit with a reason (kept as a sealed note
   * that goes with the submission). The submission starts afresh there
   * (received, unassigned); the caller's unit loses access at once. The
   * history entry names both units, and the caller's access log the forward.
   * The receiving unit is told like of an arrival, without content.
   */
  async forward(auth: AuthContext, submissionId: string, dto: ForwardDto, lang: Lang) {
    return this.db.transaction(async (tx) => {
      const handled = await lockForHandler(tx, auth, submissionId, 'update');
      if (handled.status === 'closed') throw new DomainError('submission_closed');
      const [target] = await tx.query(`SELECT id, code FROM unit WHERE id = $1`, [dto.unitId]);
      if (!target) throw new DomainError('unknown_reference', { field: 'unitId' });
      if (target.id === handled.unitId) throw new DomainError('already_in_unit');
      const now = this.clock.now();
      const noteId = await this.writeNote(tx, auth, handled, dto.reason, now);
      await tx.query(
        `UPDATE submission SET unit_id = $2, unit_code = $3, assigned_to = NULL, status = 'received', status_changed_at = $4 WHERE id = $1`,
        [submissionId, target.id, target.code, now],
      );
      await this.events.record(tx, {
        submissionId, actor: { type: 'staff', id: auth.staffId }, action: 'forward', unitId: handled.unitId, at: now,
        detail: { fromUnitId: handled.unitId, toUnitId: target.id, fromStatus: handled.status, noteId },
      });
      await this.accessLog.record(tx, { staffId: auth.staffId, unitId: handled.unitId, submissionId, action: 'forward', purpose: 'handling', at: now });
      await this.notices.planInbox(tx, { submissionId, unitId: target.id, priority: handled.priority, event: 'forward' });
      const { unit, reference, status } = await metadataOf(tx, submissionId, lang, now);
      return { id: submissionId, reference, status, unit, forwardedAt: now };
    });
  }

  private async checkedOutcome(tx: EntityManager, handled: HandledSubmission, outcome: string | undefined): Promise<string> {
    const form = await this.definitions.pinned(handled.formId, handled.formVersion, tx);
    const values = outcomesOf(form.definition).map((o) => o.value);
    if (outcome === undefined) throw new DomainError('validation_failed', {}, [{ field: 'outcome', rule: 'outcomeRequired', params: { values: values.join(', ') } }]);
    if (!values.includes(outcome)) throw new DomainError('validation_failed', {}, [{ field: 'outcome', rule: 'isIn', params: { values: values.join(', ') } }]);
    return outcome;
  }

  private async isActiveHandler(tx: EntityManager, staffId: string, unitId: string): Promise<boolean> {
    const rows = await tx.query(
      `SELECT 1 FROM staff_unit su JOIN staff s ON s.id = su.staff_id AND s.active WHERE su.staff_id = $1 AND su.unit_id = $2 AND 'handler' = ANY(su.roles)`,
      [staffId, unitId],
    );
    return rows.length > 0;
  }

  private async writeNote(tx: EntityManager, auth: AuthContext, handled: HandledSubmission, text: string, at: Date): Promise<string> {
    const sealed = this.envelope.seal(text);
    const [row] = await tx.query(
      `INSERT INTO submission_note (submission_id, staff_id, unit_id, at, key_id, wrapped_key, payload) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [handled.id, auth.staffId, handled.unitId, at, sealed.keyId, sealed.wrappedKey, sealed.payload],
    );
    return row.id;
  }
}
