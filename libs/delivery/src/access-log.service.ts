import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, DomainError } from '@app/platform';
import { type AuthContext, isAdmin } from '@app/identity';
import type { AccessAction, AccessLogQuery, AccessPurpose } from './delivery.dto';
import { DEFAULT_LIMIT, type Paged, periodOf } from './period';

/** One access to a submission's content. */
export interface AccessEntry {
  staffId: string;
  /** The unit through which the reader had access; null only for an admin's export of the log. */
  unitId: string | null;
  submissionId: string;
  action: AccessAction;
  purpose: AccessPurpose;
  purposeText?: string | null;
  at?: Date;
}

export interface AccessLogRow {
  id: string;
  at: Date;
  staff: { id: string; name: string };
  unit: { id: string; code: string; name: Record<string, string> } | null;
  submission: { id: string; reference: string };
  action: AccessAction;
  purpose: AccessPurpose;
  purposeText: string | null;
}

const SELECT_ROWS = `
  SELECT l.id, l.at, l.action, l.purpose, l.purpose_text, l.staff_id, st.name AS staff_name,
         l.unit_id, u.code AS unit_code, u.name AS unit_name, l.submission_id, s.reference
    FROM access_log l
    JOIN staff st ON st.id = l.staff_id
    JOIN submission s ON s.id = l.submission_id
    LEFT JOIN unit u ON u.id = l.unit_id`;

function toRow(r: Record<string, never>): AccessLogRow {
  return {
    id: String(r.id),
    at: r.at,
    staff: { id: r.staff_id, name: r.staff_name },
    unit: r.unit_id ? { id: r.unit_id, code: r.unit_code, name: r.unit_name } : null,
    submission: { id: r.submission_id, reference: r.reference },
    action: r.action,
    purpose: r.purpose,
    purposeText: r.purpose_text,
  };
}

/**
 * The access log (asiakastietolaki 703/2023): who opened which submission,
 * through which unit, why and when. Rows are written by `record` in the very
 * transaction that reads the content, so a read that cannot be logged does
 * not happen; a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
@Injectable()
export class AccessLogService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Writes one row in `tx`. If it fails, the caller's transaction fails with it. */
  async record(tx: EntityManager, entry: AccessEntry): Promise<void> {
    await tx.query(
      `INSERT INTO access_log (at, staff_id, unit_id, submission_id, action, purpose, purpose_text) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [entry.at ?? this.clock.now(), entry.staffId, entry.unitId, entry.submissionId, entry.action, entry.purpose, entry.purposeText ?? null],
    );
  }

  /** Admins: the log by submission, staff member and period, newest first. */
  async list(auth: AuthContext, query: AccessLogQuery): Promise<Paged<AccessLogRow>> {
    if (!isAdmin(auth)) throw new DomainError('forbidden');
    const { from, to } = periodOf(query.from, query.to);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = query.offset ?? 0;
    const where = `WHERE ($1::uuid IS NULL OR l.submission_id = $1) AND ($2::uuid IS NULL OR l.staff_id = $2)
                     AND ($3::timestamptz IS NULL OR l.at >= $3) AND ($4::timestamptz IS NULL OR l.at < $4)`;
    const params = [query.submission ?? null, query.staff ?? null, from, to];
    const rows = await this.db.query(`${SELECT_ROWS} ${where} ORDER BY l.at DESC, l.id DESC LIMIT $5 OFFSET $6`, [...params, limit, offset]);
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM access_log l ${where}`, params);
    return { items: rows.map(toRow), total, limit, offset };
  }

  /**
   * Admins: the whole log of one submission, oldest first, for a data
   * subject's request. The export is itself logged (action `export`, purpose
   * `data-subject-request`, no unit) in the same transaction, and is the last
   * entry of what it returns.
   */
  async export(auth: AuthContext, submissionId: string) {
    if (!isAdmin(auth)) throw new DomainError('forbidden');
    return this.db.transaction(async (tx) => {
      const [submission] = await tx.query(
        `SELECT s.id, s.reference, s.form_id, s.form_version, s.submitted_at, s.status, s.purged_at, u.id AS unit_id, u.code AS unit_code
           FROM submission s LEFT JOIN unit u ON u.id = s.unit_id WHERE s.id = $1 FOR SHARE OF s`,
        [submissionId],
      );
      if (!submission) throw new DomainError('not_found');
      const exportedAt = this.clock.now();
      await this.record(tx, { staffId: auth.staffId, unitId: null, submissionId, action: 'export', purpose: 'data-subject-request', at: exportedAt });
      const rows = await tx.query(`${SELECT_ROWS} WHERE l.submission_id = $1 ORDER BY l.at, l.id`, [submissionId]);
      return {
        submission: {
          id: submission.id,
          reference: submission.reference,
          form: { id: submission.form_id, version: submission.form_version },
          unit: submission.unit_id ? { id: submission.unit_id, code: submission.unit_code } : null,
          submittedAt: submission.submitted_at as Date,
          status: submission.status,
          /** Entries after it were attempts: nothing of the content was left to show. */
          purgedAt: submission.purged_at as Date | null,
        },
        exportedAt,
        exportedBy: auth.staffId,
        entries: rows.map(toRow),
      };
    });
  }
}
