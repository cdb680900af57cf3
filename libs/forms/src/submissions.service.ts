import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, DomainError, Envelope, type Lang, addWorkingDays, hashToken, helsinkiDateOf, toHelsinkiIso } from '@app/platform';
import { referencePrefixOf } from './form-definition';
import { FormDefinitionsService } from './form-definitions.service';
import type { Answers, CompiledForm } from './form-runtime';

export interface SubmissionReceipt {
  id: string;
  reference: string;
  /** Shown once; only its hash is kept. The sender's way to follow up. */
  receiptCode: string;
  submittedAt: string;
  form: { id: string; version: number };
  /** Working-day target for the first response, when the form has one. */
  firstResponseBy?: string;
  senderNotice?: string;
}

export interface SubmissionMeta {
  id: string;
  reference: string;
  formId: string;
  formVersion: number;
  purpose: string;
  language: Lang;
  submittedAt: Date;
  identified: boolean;
  unitCode: string;
  priority: 'normal' | 'urgent';
  appointmentId: string | null;
}

export interface OpenedSubmission extends SubmissionMeta {
  answers: Answers;
  form: CompiledForm;
}

/** The next number of a reference prefix in a year; the row lock serialises concurrent senders. */
export const NEXT_REFERENCE = `INSERT INTO reference_counter (prefix, year, value) VALUES ($1, $2, 1)
  ON CONFLICT (prefix, year) DO UPDATE SET value = reference_counter.value + 1 RETURNING value`;

export const INSERT_SUBMISSION = `INSERT INTO submission (reference, form_id, form_version, purpose, language, submitted_at, identified, unit_code, priority,
                                 appointment_id, receipt_hash, key_id, wrapped_key, payload, retain_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`;

/** Receipt codes: 16 characters without look-alikes, in groups of four. */
const RECEIPT_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
function receiptCode(): string {
  const chars = [...randomBytes(16)].map((b) => RECEIPT_ALPHABET[b % 32]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/**
 * Submissions: prune → validate → route → seal → receipt. Each submission is
 * pinned to the exact form version it was filled in; its answers are
 * encrypted at rest; the metadata inboxes need stays in clear.
 */
@Injectable()
export class SubmissionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly definitions: FormDefinitionsService,
    private readonly envelope: Envelope,
    private readonly clock: Clock,
  ) {}

  /** Validates without storing: the whole form, or one page. */
  async validate(formId: string, answers: Answers, options: { version?: number; pageId?: string } = {}) {
    const form = await this.definitions.published(formId, options.version);
    if (options.pageId && !form.definition.pages.some((p) => p.id === options.pageId)) throw new DomainError('not_found');
    const { errors } = form.validate(answers, options.pageId);
    return { form, errors };
  }

  async submit(
    formId: string,
    input: { language: Lang; answers: Answers; version?: number },
    options: { appointmentId?: string; tx?: EntityManager } = {},
  ): Promise<SubmissionReceipt> {
    const form = await this.definitions.published(formId, input.version);
    const outcome = form.validate(input.answers);
    if (outcome.errors.length) throw new DomainError('answers_invalid', {}, outcome.errors);
    const { unit, priority } = form.route(outcome.answers);
    const definition = form.definition;
    const now = this.clock.now();
    const year = helsinkiDateOf(now).year();
    const prefix = referencePrefixOf(definition);
    const code = receiptCode();
    const sealed = this.envelope.seal(JSON.stringify(outcome.answers));

    const run = async (tx: EntityManager) => {
      const [{ value }] = await tx.query(NEXT_REFERENCE, [prefix, year]);
      const reference = `${prefix}-${year}-${String(value).padStart(6, '0')}`;
      const [row] = await tx.query(
        INSERT_SUBMISSION,
        [
          reference, definition.id, definition.version, definition.purpose, input.language, now, form.identified(outcome.answers), unit,
          priority, options.appointmentId ?? null, hashToken(code), sealed.keyId, sealed.wrappedKey, sealed.payload,
          new Date(now.getTime() + definition.retentionDays * 86_400_000),
        ],
      );
      return { id: row.id as string, reference };
    };
    const { id, reference } = options.tx ? await run(options.tx) : await this.db.transaction(run);
    const days = definition.handling.firstResponseWorkingDays;
    return {
      id,
      reference,
      receiptCode: code,
      submittedAt: toHelsinkiIso(now),
      form: { id: definition.id, version: definition.version },
      ...(days !== undefined && days > 0 ? { firstResponseBy: addWorkingDays(helsinkiDateOf(now), days).toString() } : {}),
      ...(definition.handling.senderNotice ? { senderNotice: definition.handling.senderNotice[input.language] } : {}),
    };
  }

  /** Metadata of the submissions attached to an appointment (pre-information), newest first. */
  async forAppointment(appointmentId: string): Promise<SubmissionMeta[]> {
    const rows = await this.db.query(`SELECT * FROM submission WHERE appointment_id = $1 ORDER BY submitted_at DESC`, [appointmentId]);
    return rows.map(toMeta);
  }

  /** Decrypts a submission with the exact form version it was filled in. Callers log the access. */
  async open(id: string): Promise<OpenedSubmission> {
    const [row] = await this.db.query(`SELECT * FROM submission WHERE id = $1`, [id]);
    if (!row) throw new DomainError('not_found');
    const answers = JSON.parse(this.envelope.open({ keyId: row.key_id, wrappedKey: row.wrapped_key, payload: row.payload })) as Answers;
    return { ...toMeta(row), answers, form: await this.definitions.pinned(row.form_id, row.form_version) };
  }
}

function toMeta(row: Record<string, never>): SubmissionMeta {
  return {
    id: row.id,
    reference: row.reference,
    formId: row.form_id,
    formVersion: row.form_version,
    purpose: row.purpose,
    language: row.language,
    submittedAt: row.submitted_at,
    identified: row.identified,
    unitCode: row.unit_code,
    priority: row.priority,
    appointmentId: row.appointment_id,
  };
}
