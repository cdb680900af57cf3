import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Envelope, type Sealed, SealedDataError } from '@app/platform';
import { SEALED_COLUMNS, type SealedColumns, sealedSql } from './sealed-columns';

export interface RotationOptions {
  /** Read and check everything, change nothing. */
  dryRun?: boolean;
  /** Rows per transaction. */
  batchSize?: number;
  /** Told after each batch. */
  onProgress?: (count: RotationCount) => void;
  /** Which sealed values (default: all of them). */
  columns?: readonly SealedColumns[];
}

export interface RotationCount {
  /** `table.column` */
  label: string;
  /** Values found under each master key id when the run began. */
  before: Record<string, number>;
  /** Rewrapped under the current key (in a dry run: would be). */
  rewrapped: number;
  /** Failed their check (modified, or under a master key that is not configured); left as they are. */
  unreadable: number;
  /** Locked by someone else at every try (in use); left for the next run. */
  busy: number;
}

export interface UnreadableRow {
  table: string;
  id: string;
  reason: string;
}

export interface RotationReport {
  keyId: string;
  dryRun: boolean;
  counts: RotationCount[];
  unreadable: UnreadableRow[];
}

const DEFAULT_BATCH = 200;
/** Rows locked by others are tried again in later passes while they make progress. */
const MAX_PASSES = 3;
const NO_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Rewraps every record's data key under the current master key (the first of
 * MASTER_KEYS), while the service runs: rows are taken in small batches in
 * short transactions with `FOR UPDATE SKIP LOCKED`, and only the key id and
 * the wrapped key change (the payload's ciphertext stays). Rows already under
 * the current key are not touched, so a run that stopped halfway is simply run
 * again. Each row's wrapped key and payload are authenticated first; a row
 * that fails is reported (table and id) and left alone, and the run goes on.
 */
@Injectable()
export class KeyRotation {
  private readonly logger = new Logger(KeyRotation.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly envelope: Envelope,
  ) {}

  get currentKeyId(): string {
    return this.envelope.currentKeyId;
  }

  async rotate(options: RotationOptions = {}): Promise<RotationReport> {
    const report: RotationReport = { keyId: this.envelope.currentKeyId, dryRun: Boolean(options.dryRun), counts: [], unreadable: [] };
    for (const entry of options.columns ?? SEALED_COLUMNS) report.counts.push(await this.rotateColumns(entry, options, report.unreadable));
    return report;
  }

  private async rotateColumns(entry: SealedColumns, options: RotationOptions, unreadable: UnreadableRow[]): Promise<RotationCount> {
    const sql = sealedSql(entry);
    const current = this.envelope.currentKeyId;
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    const count: RotationCount = { label: sql.label, before: {}, rewrapped: 0, unreadable: 0, busy: 0 };
    for (const row of await this.db.query(
      `SELECT ${sql.keyId} AS key_id, count(*)::int AS n FROM ${entry.table} t WHERE ${sql.keyId} IS NOT NULL GROUP BY 1 ORDER BY 1`,
    )) {
      count.before[row.key_id] = row.n;
    }
    const failed: string[] = [];
    const pending = `${sql.keyId} IS NOT NULL AND ${sql.keyId} <> $1 AND t.id <> ALL($2::uuid[])`;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      let progress = 0;
      for (let after = NO_ID; ;) {
        const batch = await this.batch(entry, sql, options.dryRun ?? false, pending, [current, failed, after, batchSize]);
        if (!batch.rows) break;
        after = batch.last;
        progress += batch.rewrapped;
        count.rewrapped += batch.rewrapped;
        for (const bad of batch.unreadable) {
          failed.push(bad.id);
          unreadable.push({ table: entry.table, ...bad });
          count.unreadable++;
          this.logger.error(`key rotation: ${entry.table} ${bad.id} cannot be opened and was left as it is: ${bad.reason}`);
        }
        options.onProgress?.(count);
      }
      if (options.dryRun) break;
      const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM ${entry.table} t WHERE ${pending}`, [current, failed]);
      count.busy = n;
      if (n === 0 || progress === 0) break;
    }
    return count;
  }

  /** One batch in its own short transaction: the next rows after `after` not under the current key, those not locked by others. */
  private async batch(entry: SealedColumns, sql: ReturnType<typeof sealedSql>, dryRun: boolean, pending: string, params: unknown[]) {
    const work = async (tx: EntityManager) => {
      const rows: (Record<'id', string> & Record<'key_id' | 'wrapped_key' | 'payload', string>)[] = await tx.query(
        `SELECT t.id, ${sql.select} FROM ${entry.table} t WHERE ${pending} AND t.id > $3::uuid ORDER BY t.id LIMIT $4
         ${dryRun ? '' : 'FOR UPDATE OF t SKIP LOCKED'}`,
        params,
      );
      const ids: string[] = [];
      const wrapped: string[] = [];
      const unreadable: { id: string; reason: string }[] = [];
      for (const row of rows) {
        try {
          const sealed: Sealed = { keyId: row.key_id, wrappedKey: row.wrapped_key, payload: row.payload };
          wrapped.push(this.envelope.rewrap(sealed).wrappedKey);
          ids.push(row.id);
        } catch (error) {
          if (!(error instanceof SealedDataError)) throw error;
          unreadable.push({ id: row.id, reason: error.message });
        }
      }
      if (ids.length && !dryRun) {
        await tx.query(
          `UPDATE ${entry.table} t SET ${sql.set} FROM unnest($2::uuid[], $3::text[]) AS v(id, wrapped) WHERE t.id = v.id`,
          [this.envelope.currentKeyId, ids, wrapped],
        );
      }
      return { rows: rows.length, last: rows.at(-1)?.id ?? NO_ID, rewrapped: ids.length, unreadable };
    };
    return dryRun ? work(this.db.manager) : this.db.transaction(work);
  }
}
