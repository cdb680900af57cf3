import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, DomainError, Envelope, type Lang } from '@app/platform';
import type { AuthContext } from '@app/identity';
import { type AnsweredQuestion, type Answers, SubmissionPdf, SubmissionsService, summarize } from '@app/forms';
import { AccessLogService } from './access-log.service';
import type { AccessPurposeQuery, InboxPdfQuery, InboxQuery, PageQuery } from './delivery.dto';
import { lockForHandler } from './handler-access';
import { overdueSql } from './legal-clocks';
import { localizedOutcomes } from './outcomes';
import { DEFAULT_LIMIT, type Paged } from './period';
import { SubmissionEvents, type SubmissionEventView } from './submission-events';
import { METADATA_FROM, type SubmissionMetadata, metadataOf, toMetadata } from './submission-metadata';

export interface InboxNote {
  id: string;
  at: Date;
  staff: { id: string; name: string };
  unit: { id: string; code: string };
  text: string;
}

export interface InboxMessage {
  id: string;
  at: Date;
  direction: 'handler' | 'sender';
  staff: { id: string; name: string } | null;
  text: string;
}

/** A submission opened by a handler: its metadata, the answers, notes, messages and history. */
export interface InboxDetail extends SubmissionMetadata {
  /** The answers as a reader sees them (the visible questions, labels and readable values), in the reader's language. */
  answers: AnsweredQuestion[];
  /** The answers as stored, by answer id. */
  rawAnswers: Answers;
  notes: InboxNote[];
  messages: InboxMessage[];
  history: SubmissionEventView[];
  /** What it may be closed with. */
  outcomes: { value: string; label: string }[];
}

/** A submission that left one of the caller's units: metadata of the move only. */
export interface ForwardedAway {
  reference: string;
  form: { id: string; version: number };
  priority: string;
  submittedAt: Date;
  forwardedAt: Date;
  from: { id: string; code: string };
  to: { id: string; code: string };
  by: { id: string; name: string };
}

/** Refusals of a read whose access-log row still commits: the content is purged, or fails its check. */
const REFUSED_READS = new Set(['submission_purged', 'record_unreadable']);

/** Runs a read of sealed content in the caller's transaction; a refusal comes back as a value, so the transaction commits. */
async function attempt<T>(read: () => Promise<T>): Promise<T | DomainError> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof DomainError && REFUSED_READS.has(error.code)) return error;
    throw error;
  }
}

/** After the commit: the content, or its refusal thrown. */
function orRefused<T>(outcome: T | DomainError): T {
  if (outcome instanceof DomainError) throw outcome;
  return outcome;
}

/**
 * The inboxes of units: what their handlers see. Listing shows metadata of
 * the caller's units only; opening decrypts the answers and writes one
 * access-log row in the same transaction.
 */
@Injectable()
export class InboxService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly submissions: SubmissionsService,
    private readonly pdfs: SubmissionPdf,
    private readonly envelope: Envelope,
    private readonly accessLog: AccessLogService,
    private readonly events: SubmissionEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * Metadata of the submissions with the caller's handler units (or one of
   * them), urgent before normal, then newest first, with their deadlines;
   * `overdue` keeps those past an open deadline (or, false, the others).
   */
  async list(auth: AuthContext, query: InboxQuery, lang: Lang): Promise<Paged<SubmissionMetadata>> {
    if (query.unit && !auth.handlerUnitIds.includes(query.unit)) throw new DomainError('forbidden');
    const units = query.unit ? [query.unit] : auth.handlerUnitIds;
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = query.offset ?? 0;
    const now = this.clock.now();
    const where = `WHERE s.unit_id = ANY($1::uuid[]) AND s.purpose <> 'pre-information'
                     AND ($2::text IS NULL OR s.status = $2) AND ($3::text IS NULL OR s.form_id = $3)
                     AND ($4::text IS NULL OR s.priority = $4) AND ($5::uuid IS NULL OR s.assigned_to = $5)
                     AND ($6::boolean IS NULL OR $6 = ${overdueSql('s', '$7::timestamptz')})`;
    const params = [units, query.status ?? null, query.form ?? null, query.priority ?? null, query.assignedToMe ? auth.staffId : null, query.overdue ?? null, now];
    const rows = await this.db.query(
      `${METADATA_FROM} ${where} ORDER BY (s.priority = 'urgent') DESC, s.submitted_at DESC, s.id DESC LIMIT $8 OFFSET $9`,
      [...params, limit, offset],
    );
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM submission s ${where}`, params);
    return { items: await toMetadata(this.db.manager, rows, lang, now), total, limit, offset };
  }

  /**
   * Opens a submission for a handler of its unit: the answers (readable and
   * raw), the notes and messages, decrypted, with the history. One access-log
   * row (`view`, with the purpose) is written in the same transaction: if it
   * cannot be written, nothing is returned. An attempt on a purged submission
   * (410) or on one whose ciphertext fails its check (500) returns no content,
   * and its access-log row stays: the attempt to read a person's record is
   * itself worth accounting for.
   */
  async open(auth: AuthContext, submissionId: string, access: AccessPurposeQuery, lang: Lang): Promise<InboxDetail> {
    return orRefused(await this.db.transaction(async (tx) => {
      const handled = await lockForHandler(tx, auth, submissionId, 'share');
      await this.accessLog.record(tx, { staffId: auth.staffId, unitId: handled.unitId, submissionId, action: 'view', purpose: access.purpose, purposeText: access.purposeText });
      return attempt(async () => {
        const opened = await this.submissions.open(submissionId, tx);
        return {
          ...(await metadataOf(tx, submissionId, lang, this.clock.now())),
          answers: summarize(opened, lang),
          rawAnswers: opened.answers,
          notes: await this.notesOf(tx, submissionId),
          messages: await this.messagesOf(tx, submissionId),
          history: await this.events.historyOf(tx, submissionId),
          outcomes: localizedOutcomes(opened.form.definition, lang),
        };
      });
    }));
  }

  /** The submission as PDF (in its language, or `lang`), for a handler of its unit; logged as `pdf` in the same transaction, attempts too (see `open`). */
  async pdf(auth: AuthContext, submissionId: string, query: InboxPdfQuery): Promise<{ reference: string; pdf: Buffer }> {
    return orRefused(await this.db.transaction(async (tx) => {
      const handled = await lockForHandler(tx, auth, submissionId, 'share');
      await this.accessLog.record(tx, { staffId: auth.staffId, unitId: handled.unitId, submissionId, action: 'pdf', purpose: query.purpose, purposeText: query.purposeText });
      return attempt(async () => {
        const opened = await this.submissions.open(submissionId, tx);
        return { reference: opened.reference, pdf: await this.pdfs.render(opened, query.lang) };
      });
    }));
  }

  /** Submissions forwarded away from the caller's units (they no longer have access): when, where to and by whom, newest first. */
  async forwardedAway(auth: AuthContext, query: PageQuery): Promise<Paged<ForwardedAway>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = query.offset ?? 0;
    const where = `WHERE e.action = 'forward' AND e.unit_id = ANY($1::uuid[])`;
    const rows = await this.db.query(
      `SELECT s.reference, s.form_id, s.form_version, s.priority, s.submitted_at, e.at, e.unit_id AS from_id, fu.code AS from_code,
              tu.id AS to_id, tu.code AS to_code, e.actor_id, st.name AS actor_name
         FROM submission_event e
         JOIN submission s ON s.id = e.submission_id
         JOIN unit fu ON fu.id = e.unit_id
         JOIN unit tu ON tu.id = (e.detail->>'toUnitId')::uuid
         JOIN staff st ON st.id = e.actor_id
         ${where} ORDER BY e.at DESC, e.id DESC LIMIT $2 OFFSET $3`,
      [auth.handlerUnitIds, limit, offset],
    );
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM submission_event e ${where}`, [auth.handlerUnitIds]);
    return {
      items: rows.map((r: Record<string, never>) => ({
        reference: r.reference,
        form: { id: r.form_id, version: r.form_version },
        priority: r.priority,
        submittedAt: r.submitted_at,
        forwardedAt: r.at,
        from: { id: r.from_id, code: r.from_code },
        to: { id: r.to_id, code: r.to_code },
        by: { id: r.actor_id, name: r.actor_name },
      })),
      total,
      limit,
      offset,
    };
  }

  private async notesOf(tx: EntityManager, submissionId: string): Promise<InboxNote[]> {
    const rows = await tx.query(
      `SELECT n.id, n.at, n.staff_id, st.name AS staff_name, n.unit_id, u.code AS unit_code, n.key_id, n.wrapped_key, n.payload
         FROM submission_note n JOIN staff st ON st.id = n.staff_id JOIN unit u ON u.id = n.unit_id
        WHERE n.submission_id = $1 ORDER BY n.at, n.id`,
      [submissionId],
    );
    return rows.map((r: Record<string, never>) => ({
      id: r.id,
      at: r.at,
      staff: { id: r.staff_id, name: r.staff_name },
      unit: { id: r.unit_id, code: r.unit_code },
      text: this.envelope.open({ keyId: r.key_id, wrappedKey: r.wrapped_key, payload: r.payload }, `submission_note ${r.id}`),
    }));
  }

  private async messagesOf(tx: EntityManager, submissionId: string): Promise<InboxMessage[]> {
    const rows = await tx.query(
      `SELECT m.id, m.at, m.direction, m.staff_id, st.name AS staff_name, m.key_id, m.wrapped_key, m.payload
         FROM submission_message m LEFT JOIN staff st ON st.id = m.staff_id
        WHERE m.submission_id = $1 ORDER BY m.at, m.id`,
      [submissionId],
    );
    return rows.map((r: Record<string, never>) => ({
      id: r.id,
      at: r.at,
      direction: r.direction,
      staff: r.staff_id ? { id: r.staff_id, name: r.staff_name } : null,
      text: this.envelope.open({ keyId: r.key_id, wrappedKey: r.wrapped_key, payload: r.payload }, `submission_message ${r.id}`),
    }));
  }
}
