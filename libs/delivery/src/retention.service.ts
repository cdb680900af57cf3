import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig, Clock, DomainError } from '@app/platform';
import { SEALED_COLUMNS, sealedSql } from './sealed-columns';
import { SubmissionEvents } from './submission-events';

export interface PurgeResult {
  /** Closed submissions whose content was purged. */
  purged: number;
  /** Rows deleted with them, by table (notes, messages). */
  deleted: Record<string, number>;
  /** Submissions not closed although their retention period counted from arrival has passed: kept, counted only. */
  unclosedPastRetention: number;
  /** Pre-information (read through its appointment, never closed) past its retention period counted from arrival: kept, counted only. */
  preInformationPastRetention: number;
}

const DEFAULT_BATCH = 100;

/**
 * Closed submissions whose retention period has ended, counted from closing
 * (the end of the case): the form version's `retentionDays` after `closed_at`.
 * Locked with SKIP LOCKED, so concurrent purges (every instance runs the job)
 * and handlers reading one share the work instead of waiting or doing it twice.
 */
const DUE = `
  SELECT s.id, s.unit_id, (f.definition->>'retentionDays')::int AS retention_days
    FROM submission s JOIN form_definition f ON f.form_id = s.form_id AND f.version = s.form_version
   WHERE s.status = 'closed' AND s.purged_at IS NULL
     AND s.closed_at + make_interval(days => (f.definition->>'retentionDays')::int) <= $1
   ORDER BY s.closed_at, s.id
   LIMIT $2
     FOR UPDATE OF s SKIP LOCKED`;

/** Refuses to add content to a purged submission (the caller holds its row lock). */
export async function refuseIfPurged(tx: EntityManager, submissionId: string): Promise<void> {
  const [row] = await tx.query(`SELECT purged_at FROM submission WHERE id = $1`, [submissionId]);
  if (row?.purged_at) throw new DomainError('submission_purged');
}

/**
 * Retention of submissions. At the end of its form version's retention
 * period, counted from closing, a submission's sealed content — the answers,
 * the notes, the messages and any other sealed value of the submission (see
 * SEALED_COLUMNS) — is purged. What stays is the minimal record: reference,
 * form and version, unit, dates, status, outcome, priority, its history and
 * the access log (append-only, untouched). Unclosed submissions are never
 * purged, however old.
 */
@Injectable()
export class RetentionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly events: SubmissionEvents,
  ) {}

  /** Purges every submission now due, in batches of short transactions; safe to run on several instances at once. */
  async purge(options: { batchSize?: number } = {}): Promise<PurgeResult> {
    const now = this.clock.now();
    const sealed = SEALED_COLUMNS.map((entry) => ({ entry, sql: sealedSql(entry) }));
    const clear = sealed.filter((s) => s.entry.purge === 'clear').map((s) => s.sql.clear);
    const remove = sealed.filter((s) => s.entry.purge === 'delete').map((s) => s.entry.table);
    const result: PurgeResult = { purged: 0, deleted: Object.fromEntries(remove.map((t) => [t, 0])), unclosedPastRetention: 0, preInformationPastRetention: 0 };
    for (;;) {
      const done = await this.db.transaction(async (tx) => {
        const due: { id: string; unit_id: string | null; retention_days: number }[] = await tx.query(DUE, [now, options.batchSize ?? DEFAULT_BATCH]);
        if (!due.length) return 0;
        const ids = due.map((d) => d.id);
        for (const table of remove) {
          const [, deleted] = await tx.query(`DELETE FROM ${table} WHERE submission_id = ANY($1::uuid[])`, [ids]);
          result.deleted[table] += deleted;
        }
        await tx.query(`UPDATE submission SET purged_at = $2, ${clear.join(', ')} WHERE id = ANY($1::uuid[])`, [ids, now]);
        for (const d of due) {
          await this.events.record(tx, { submissionId: d.id, actor: { type: 'system' }, action: 'purge', unitId: d.unit_id, at: now, detail: { retentionDays: d.retention_days } });
        }
        return due.length;
      });
      if (!done) break;
      result.purged += done;
    }
    const [counts] = await this.db.query(
      `SELECT count(*) FILTER (WHERE purpose <> 'pre-information')::int AS unclosed, count(*) FILTER (WHERE purpose = 'pre-information')::int AS pre_information
         FROM submission WHERE status <> 'closed' AND retain_until <= $1`,
      [now],
    );
    result.unclosedPastRetention = counts.unclosed;
    result.preInformationPastRetention = counts.pre_information;
    return result;
  }
}

/** The line a purge leaves in the log: counts only. */
export function describePurge(result: PurgeResult): string {
  const deleted = Object.entries(result.deleted).map(([table, n]) => `${table} ${n}`).join(', ');
  return `retention: purged the content of ${result.purged} closed submission(s) past their retention period (rows deleted: ${deleted}); `
    + `${result.unclosedPastRetention} unclosed submission(s) and ${result.preInformationPastRetention} pre-information submission(s) `
    + `are past their retention period counted from arrival and are kept`;
}

/** The daily purge; a statement per batch with SKIP LOCKED, safe on every instance. */
@Injectable()
export class RetentionJobs {
  private readonly logger = new Logger(RetentionJobs.name);

  constructor(
    private readonly retention: RetentionService,
    private readonly config: AppConfig,
  ) {}

  @Cron('23 3 * * *', { name: 'retention-purge', timeZone: 'Europe/Helsinki' })
  async purgeDaily(): Promise<PurgeResult | undefined> {
    if (!this.config.jobsEnabled) return undefined;
    const result = await this.retention.purge();
    this.logger.log(describePurge(result));
    return result;
  }
}
