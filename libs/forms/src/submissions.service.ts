import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, DomainError, Envelope, type Lang, type Sealed, hashToken, helsinkiDateOf, toHelsinkiIso } from '@app/platform';
import { UnitsService } from '@app/identity';
import { type FormDefinition, type Priority, referencePrefixOf } from './form-definition';
import { FormDefinitionsService } from './form-definitions.service';
import type { Answers, CompiledForm } from './form-runtime';
import { type Deadline, deadlinesOf } from './legal-clocks';
import { SubmissionArrivals } from './submission-arrivals';

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
  /** Pre-information: the appointment's earlier submission that this one replaces. */
  replaces?: { reference: string; submittedAt: string };
}

export interface SubmissionInput {
  language: Lang;
  answers: Answers;
  version?: number;
}

/** A validated, routed and sealed submission, ready to store. */
export interface PreparedSubmission {
  form: CompiledForm;
  language: Lang;
  /** The receiving unit's code and id: from routing, or for pre-information the appointment's unit (set when stored). */
  unit: string;
  unitId: string | null;
  priority: Priority;
  identified: boolean;
  now: Date;
  receiptCode: string;
  sealed: Sealed;
  /** The address for the reply notice, sealed apart from the answers; null unless the sender asked for the notice. */
  replyNoticeTo: Sealed | null;
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
  /** The unit the submission is with now (routed, or forwarded since). */
  unitId: string | null;
  priority: 'normal' | 'urgent';
  appointmentId: string | null;
  /** When a later submission for the same appointment replaced this one. */
  replacedAt: Date | null;
}

export interface OpenedSubmission extends SubmissionMeta {
  answers: Answers;
  form: CompiledForm;
}

/** A deadline as a row of `jsonb_to_recordset` ($17 of `INSERT_SUBMISSION`). */
const DEADLINE_RECORD = `d(kind text, due_at timestamptz, due_date date, warn_at timestamptz)`;

/** The deadlines as `INSERT_SUBMISSION` takes them ($17). */
export function deadlineRecords(deadlines: Deadline[]): string {
  return JSON.stringify(deadlines.map((d) => ({ kind: d.kind, due_at: d.dueAt.toISOString(), due_date: d.dueDate?.toString() ?? null, warn_at: d.warnAt?.toISOString() ?? null })));
}

/**
 * Stores one submission with the deadlines its legal clocks set on arrival; $1 is a fresh random reference, and a collision with
 * an existing one (vanishingly rare) inserts nothing, so the caller retries
 * with another without aborting its transaction.
 */
export const INSERT_SUBMISSION = `
  WITH s AS (
    INSERT INTO submission (reference, form_id, form_version, purpose, language, submitted_at, identified, unit_code, priority,
                            appointment_id, receipt_hash, key_id, wrapped_key, payload, retain_until, unit_id, reply_notice_to)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) ON CONFLICT (reference) DO NOTHING RETURNING id),
  d AS (
    INSERT INTO submission_deadline (submission_id, kind, due_at, due_date, warn_at)
    SELECT s.id, d.kind, d.due_at, d.due_date, d.warn_at FROM s, jsonb_to_recordset($18::jsonb) AS ${DEADLINE_RECORD})
  SELECT id FROM s`;

/** The appointment's unit: where its pre-information is read. */
const APPOINTMENT_UNIT = `SELECT u.id, u.code FROM appointment a JOIN unit u ON u.id = a.unit_id WHERE a.id = $1`;

/** Marks an appointment's current submission replaced (the caller holds the appointment's row lock). */
const REPLACE_CURRENT = `UPDATE submission SET replaced_at = $2 WHERE appointment_id = $1 AND replaced_at IS NULL RETURNING id, reference, submitted_at`;

/** Receipt codes and references: characters without look-alikes (no 0/O, 1/I). 256 is a multiple of 32, so every character is equally likely. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const randomChars = (length: number) => [...randomBytes(length)].map((b) => ALPHABET[b % 32]).join('');

/** Receipt codes: 16 random characters in groups of four (80 bits). */
function receiptCode(): string {
  return randomChars(16).match(/.{4}/g)!.join('-');
}

/** Dashes a person may type or paste, and spaces. */
const TYPED_SEPARATORS = /[\s\u002D\u00AD\u2010-\u2015\u2212_]/g;
const RECEIPT_CODE_CHARACTERS = new RegExp(`^[${ALPHABET}]{16}$`);

/**
 * A receipt code as a person types it — any case, with or without spaces
 * and dashes — in the form it was issued (`7KQ4-M9XZ-…`, whose hash is
 * kept), or undefined when it cannot be a receipt code at all.
 */
export function canonicalReceiptCode(typed: string): string | undefined {
  const compact = typed.normalize('NFKC').toUpperCase().replace(TYPED_SEPARATORS, '');
  return RECEIPT_CODE_CHARACTERS.test(compact) ? compact.match(/.{4}/g)!.join('-') : undefined;
}

/** A reference as a person types it: any case, spaces (and soft hyphens) removed, typographic dashes as `-`. */
export function canonicalReference(typed: string): string {
  return typed.normalize('NFKC').toUpperCase().replace(/[\s\u00AD]+/g, '').replace(/[\u2010-\u2015\u2212]/g, '-');
}

/** The form of every reference, e.g. `LSI-2026-7KQ4M9XZ`. */
export const REFERENCE_PATTERN = /^[A-Z]{2,5}-\d{4}-[0-9A-Z]{1,12}$/;

/** Random characters in a reference: 32^8 ≈ 1.1·10^12 per prefix and year. */
export const REFERENCE_RANDOM_LENGTH = 8;

/**
 * A submission reference, e.g. `LSI-2026-7KQ4M9XZ`: the form's prefix, the
 * Helsinki year and random characters, so a reference tells nothing about
 * how many were sent before it.
 */
export function newReference(prefix: string, year: number): string {
  return `${prefix}-${year}-${randomChars(REFERENCE_RANDOM_LENGTH)}`;
}

const REFERENCE_ATTEMPTS = 5;

/**
 * Submissions: prune → validate → route → seal → receipt. Each submission is
 * pinned to the exact form version it was filled in; its answers are
 * encrypted at rest; the metadata inboxes need stays in clear.
 */
@Injectable()
export class SubmissionsService {
  private readonly logger = new Logger(SubmissionsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly definitions: FormDefinitionsService,
    private readonly units: UnitsService,
    private readonly envelope: Envelope,
    private readonly clock: Clock,
    private readonly arrivals: SubmissionArrivals,
  ) {}

  /**
   * Validates without storing: the whole form, or one page. Takes the body of
   * a submission; with its `language`, errors are worded in that language.
   */
  async validate(formId: string, input: { answers: Answers; version?: number; page?: string; language?: Lang }): Promise<{ valid: true }> {
    const form = await this.definitions.published(formId, input.version);
    if (input.page && !form.definition.pages.some((p) => p.id === input.page)) throw new DomainError('not_found', {}, [], input.language);
    const { errors } = form.validate(input.answers, input.page);
    if (errors.length) throw new DomainError('answers_invalid', {}, errors, input.language);
    return { valid: true };
  }

  /**
   * Sends a form publicly. Pre-information is sent only for its appointment,
   * with the appointment's link. Those told of an arrival (the receiving
   * unit's notices) are told in the transaction that stores it.
   */
  async submit(formId: string, input: SubmissionInput): Promise<SubmissionReceipt> {
    const prepared = await this.prepare(formId, input, 'public');
    return this.db.transaction(async (tx) => {
      const receipt = await this.store(prepared, tx);
      const { definition } = prepared.form;
      await this.arrivals.announce(tx, {
        id: receipt.id, reference: receipt.reference, formId: definition.id, formVersion: definition.version, purpose: definition.purpose,
        unitId: prepared.unitId!, priority: prepared.priority, submittedAt: prepared.now,
      });
      return receipt;
    });
  }

  /**
   * Prune → validate → route → seal, without storing. `public` refuses a
   * pre-information form: one sent without its appointment would reach no one.
   * Sent for an appointment, it goes to the appointment's unit.
   */
  async prepare(formId: string, input: SubmissionInput, channel: 'public' | { appointmentUnit: string }): Promise<PreparedSubmission> {
    const form = await this.definitions.published(formId, input.version);
    if (channel === 'public' && form.definition.purpose === 'pre-information') throw new DomainError('pre_information_by_link_only');
    const outcome = form.validate(input.answers);
    if (outcome.errors.length) throw new DomainError('answers_invalid', {}, outcome.errors);
    const { unit, unitId, priority } =
      channel === 'public'
        ? await this.route(form, outcome.answers)
        : { unit: channel.appointmentUnit, unitId: null, priority: form.route(outcome.answers, new Map())?.priority ?? 'normal' };
    return {
      form,
      language: input.language,
      unit,
      unitId,
      priority,
      identified: form.identified(outcome.answers),
      now: this.clock.now(),
      receiptCode: receiptCode(),
      sealed: this.envelope.seal(JSON.stringify(outcome.answers)),
      replyNoticeTo: this.sealedReplyNoticeAddress(form.definition, outcome.answers),
    };
  }

  /**
   * The address for the reply notice, when the form offers one and the
   * sender answered yes: the first of the form's e-mail answers given (the
   * answers are pruned, so a hidden question's address is never taken).
   */
  private sealedReplyNoticeAddress(definition: FormDefinition, answers: Answers): Sealed | null {
    const rule = definition.handling.replyNotice;
    if (!rule || answers[rule.optIn] !== true) return null;
    const address = rule.email.map((name) => answers[name]).find((value): value is string => typeof value === 'string' && value !== '');
    return address ? this.envelope.seal(address) : null;
  }

  /**
   * The receiving unit (code and id), from the units' service areas as this
   * instance last read them. A unit that is not there is looked up once more
   * (it may have just been created); a submission no unit can receive is
   * refused before anything is stored.
   */
  private async route(form: CompiledForm, answers: Answers): Promise<{ unit: string; unitId: string; priority: Priority }> {
    for (const fresh of [false, true]) {
      const units = await this.units.directory({ fresh });
      const routed = form.route(answers, units);
      const found = routed && units.get(routed.unit);
      if (found) return { ...routed, unitId: found.id };
      if (fresh) {
        const { id, version } = form.definition;
        this.logger.warn(`refused a submission of ${id} v${version}: it routes to unit "${routed?.unit ?? '(none)'}", which does not exist`);
      }
    }
    throw new DomainError('no_receiving_unit');
  }

  /**
   * Stores a prepared submission. For an appointment, the caller holds the
   * appointment's row lock in `tx`: the appointment's current submission is
   * marked replaced and the new one becomes current, so concurrent senders
   * leave exactly one current (a unique index stands behind it).
   */
  async store(prepared: PreparedSubmission, tx: EntityManager, appointmentId?: string): Promise<SubmissionReceipt> {
    const { form, now, language } = prepared;
    const definition = form.definition;
    const year = helsinkiDateOf(now).year();
    const prefix = referencePrefixOf(definition);
    let replaced: { reference: string; submitted_at: Date } | undefined;
    let { unit, unitId } = prepared;
    if (appointmentId) {
      // Pre-information goes to the unit of its appointment, wherever the form's routing points.
      const [own] = await tx.query(APPOINTMENT_UNIT, [appointmentId]);
      if (own) ({ id: unitId, code: unit } = own);
      const [rows]: [{ reference: string; submitted_at: Date }[], number] = await tx.query(REPLACE_CURRENT, [appointmentId, now]);
      replaced = rows[0];
    }
    const deadlines = deadlinesOf(definition, now);
    const records = deadlineRecords(deadlines);
    let stored: { id: string; reference: string } | undefined;
    for (let attempt = 0; !stored; attempt++) {
      if (attempt === REFERENCE_ATTEMPTS) throw new Error(`no free ${prefix}-${year} reference in ${REFERENCE_ATTEMPTS} attempts`);
      const reference = newReference(prefix, year);
      const [row] = await tx.query(INSERT_SUBMISSION, [
        reference, definition.id, definition.version, definition.purpose, language, now, prepared.identified, unit, prepared.priority,
        appointmentId ?? null, hashToken(prepared.receiptCode), prepared.sealed.keyId, prepared.sealed.wrappedKey, prepared.sealed.payload,
        new Date(now.getTime() + definition.retentionDays * 86_400_000), unitId, prepared.replyNoticeTo, records,
      ]);
      if (row) stored = { id: row.id, reference };
    }
    const firstContact = deadlines.find((d) => d.kind === 'first-contact');
    return {
      id: stored.id,
      reference: stored.reference,
      receiptCode: prepared.receiptCode,
      submittedAt: toHelsinkiIso(now),
      form: { id: definition.id, version: definition.version },
      ...(firstContact?.dueDate ? { firstResponseBy: firstContact.dueDate.toString() } : {}),
      ...(definition.handling.senderNotice ? { senderNotice: definition.handling.senderNotice[language] } : {}),
      ...(replaced ? { replaces: { reference: replaced.reference, submittedAt: toHelsinkiIso(replaced.submitted_at) } } : {}),
    };
  }

  /** Metadata of the submissions attached to an appointment (pre-information): the current one first, then the replaced ones, newest first. */
  async forAppointment(appointmentId: string): Promise<SubmissionMeta[]> {
    const rows = await this.db.query(`SELECT * FROM submission WHERE appointment_id = $1 ORDER BY replaced_at IS NOT NULL, submitted_at DESC, id`, [appointmentId]);
    return rows.map(toMeta);
  }

  /**
   * Decrypts a submission with the exact form version it was filled in:
   * `submission_purged` once its content was purged, `record_unreadable` when
   * the ciphertext fails its check (never the data). Callers log the access (in `tx`, when they pass the transaction that writes the log).
   */
  async open(id: string, tx?: EntityManager): Promise<OpenedSubmission> {
    const [row] = await (tx ?? this.db.manager).query(`SELECT * FROM submission WHERE id = $1`, [id]);
    if (!row) throw new DomainError('not_found');
    // Its retention period has ended: only the minimal record is left.
    if (row.purged_at) throw new DomainError('submission_purged');
    const answers = JSON.parse(this.envelope.open({ keyId: row.key_id, wrappedKey: row.wrapped_key, payload: row.payload }, `submission ${row.id}`)) as Answers;
    return { ...toMeta(row), answers, form: await this.definitions.pinned(row.form_id, row.form_version, tx) };
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
    unitId: row.unit_id,
    priority: row.priority,
    appointmentId: row.appointment_id,
    replacedAt: row.replaced_at,
  };
}
