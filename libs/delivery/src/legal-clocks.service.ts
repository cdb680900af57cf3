import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, DomainError, type Lang, toHelsinkiIso } from '@app/platform';
import type { AuthContext } from '@app/identity';
import type { DeadlineKind } from '@app/forms';
import { type HandledSubmission, lockForHandler } from './handler-access';
import type { AssessmentDto, DecisionDto, FirstContactDto, InformedDto } from './legal-clocks.dto';
import { SubmissionEvents } from './submission-events';
import { type SubmissionMetadata, metadataOf } from './submission-metadata';

const CHILD_WELFARE = 'child-welfare-notification';

/**
 * What handlers record to meet the legal clocks: the urgency assessment and
 * the decision on a child-welfare notification (Lastensuojelulaki 417/2007
 * §26), when the child and the guardians were informed, and the first
 * contact with the sender of a help request. Each is recorded once, under the
 * submission's row lock, with its history entry, in one transaction; a met
 * clock never escalates.
 */
@Injectable()
export class LegalClocksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly events: SubmissionEvents,
  ) {}

  /** The urgency assessment: its result and when it was made. `urgent-action` makes the notification urgent in the inbox. */
  async recordAssessment(auth: AuthContext, submissionId: string, dto: AssessmentDto, lang: Lang): Promise<SubmissionMetadata> {
    return this.db.transaction(async (tx) => {
      const { handled, now, at } = await this.open(tx, auth, submissionId, 'child-welfare', dto.at);
      await this.meet(tx, auth, handled, 'assessment', at, now, dto.result);
      const raise = dto.result === 'urgent-action' && handled.priority !== 'urgent';
      if (raise) await tx.query(`UPDATE submission SET priority = 'urgent' WHERE id = $1`, [submissionId]);
      await this.record(tx, auth, handled, 'assessment', now, { result: dto.result, at: toHelsinkiIso(at), ...(raise ? { priority: 'urgent' } : {}) });
      return metadataOf(tx, submissionId, lang, now);
    });
  }

  /** The decision on opening a case (or not), made now; the urgency assessment comes first. */
  async recordDecision(auth: AuthContext, submissionId: string, dto: DecisionDto, lang: Lang): Promise<SubmissionMetadata> {
    return this.db.transaction(async (tx) => {
      const { handled, now } = await this.open(tx, auth, submissionId, 'child-welfare', undefined);
      const [assessed] = await tx.query(`SELECT 1 FROM submission_deadline WHERE submission_id = $1 AND kind = 'assessment' AND met_at IS NOT NULL`, [submissionId]);
      if (!assessed) throw new DomainError('assessment_first');
      await this.meet(tx, auth, handled, 'decision', now, now, dto.decision);
      await this.record(tx, auth, handled, 'decision', now, { decision: dto.decision });
      return metadataOf(tx, submissionId, lang, now);
    });
  }

  /** When the child or the guardians were told of the notification; may be recorded after closing too. */
  async recordInformed(auth: AuthContext, submissionId: string, dto: InformedDto, lang: Lang): Promise<SubmissionMetadata> {
    return this.db.transaction(async (tx) => {
      const { handled, now, at } = await this.open(tx, auth, submissionId, 'child-welfare', dto.at, { closedToo: true });
      const inserted = await tx.query(
        `INSERT INTO submission_informed (submission_id, who, at, staff_id, recorded_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING who`,
        [submissionId, dto.who, at, auth.staffId, now],
      );
      if (!inserted.length) throw new DomainError('already_recorded');
      await this.record(tx, auth, handled, 'informed', now, { who: dto.who, at: toHelsinkiIso(at) });
      return metadataOf(tx, submissionId, lang, now);
    });
  }

  /** The first contact with the sender (when, and how): it stops the first-contact clock. */
  async recordFirstContact(auth: AuthContext, submissionId: string, dto: FirstContactDto, lang: Lang): Promise<SubmissionMetadata> {
    return this.db.transaction(async (tx) => {
      const { handled, now, at } = await this.open(tx, auth, submissionId, 'first-contact', dto.at);
      await this.meet(tx, auth, handled, 'first-contact', at, now, dto.channel ?? null);
      await this.record(tx, auth, handled, 'first-contact', now, { at: toHelsinkiIso(at), channel: dto.channel ?? null });
      return metadataOf(tx, submissionId, lang, now);
    });
  }

  /**
   * Locks the submission for a handler of its unit and checks the clock fits
   * its purpose and that it is open; `at` (when it was done) defaults to now
   * and must lie between arrival and now.
   */
  private async open(
    tx: EntityManager, auth: AuthContext, submissionId: string, clock: 'child-welfare' | 'first-contact', at: string | undefined, options: { closedToo?: boolean } = {},
  ): Promise<{ handled: HandledSubmission; now: Date; at: Date }> {
    const handled = await lockForHandler(tx, auth, submissionId, 'update');
    if (clock === 'child-welfare' && handled.purpose !== CHILD_WELFARE) throw new DomainError('child_welfare_only');
    if (clock === 'first-contact' && handled.purpose === CHILD_WELFARE) throw new DomainError('not_for_child_welfare');
    if (handled.status === 'closed' && !options.closedToo) throw new DomainError('submission_closed');
    const now = this.clock.now();
    const when = at === undefined ? now : new Date(at);
    if (when > now || when < handled.submittedAt) throw new DomainError('validation_failed', {}, [{ field: 'at', rule: 'recordedTime' }]);
    return { handled, now, at: when };
  }

  /** Marks a clock met (creating it when the form set no deadline for it); once only. */
  private async meet(tx: EntityManager, auth: AuthContext, handled: HandledSubmission, kind: DeadlineKind, at: Date, now: Date, result: string | null): Promise<void> {
    const met = await tx.query(
      `INSERT INTO submission_deadline (submission_id, kind, met_at, met_by, result, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (submission_id, kind) DO UPDATE SET met_at = EXCLUDED.met_at, met_by = EXCLUDED.met_by, result = EXCLUDED.result, recorded_at = EXCLUDED.recorded_at
        WHERE submission_deadline.met_at IS NULL
       RETURNING kind`,
      [handled.id, kind, at, auth.staffId, result, now],
    );
    if (!met.length) throw new DomainError('already_recorded');
  }

  private record(tx: EntityManager, auth: AuthContext, handled: HandledSubmission, action: string, now: Date, detail: Record<string, string | null>): Promise<void> {
    return this.events.record(tx, { submissionId: handled.id, actor: { type: 'staff', id: auth.staffId }, action, unitId: handled.unitId, at: now, detail });
  }
}
