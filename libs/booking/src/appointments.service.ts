import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AppConfig, Clock, DomainError, EXCLUSION_VIOLATION, type Lang, RateLimiter, hashToken, pgErrorCode, randomToken, sealWithSecret, toHelsinkiIso,
  unsealWithSecret,
} from '@app/platform';
import { type AuthContext, isAdmin } from '@app/identity';
import { JOB_RECORD_TYPE, OutboxService } from '@app/notifications';
import type { BookAppointmentDto, Channel } from './booking.dto';
import {
  APPOINTMENT_VIEW_COLUMNS, APPOINTMENT_VIEW_JOINS, type AppointmentEventView, type AppointmentRow, type AppointmentView,
  changeDeadline, toView,
} from './appointment.view';
import { AppointmentNotices, preInformationUrl } from './appointment-notices';

interface IssuedTokens {
  manageToken: string;
  preInformationToken?: string;
}

/** Who acts on an appointment. Families hold a manage token; staff a session. */
export type Actor = { type: 'family'; manageToken: string } | { type: 'staff'; auth: AuthContext };

export interface BookingResult {
  appointment: AppointmentView;
  manageToken: string;
  /** When the service asks for pre-information: the form and the link to fill it in for this appointment. */
  preInformation?: { formId: string; token: string; url: string };
  /** True when an Idempotency-Key repeated an earlier, identical request. */
  replayed: boolean;
}

interface ClaimedSlot {
  id: string;
  service_id: string;
  staff_id: string;
  unit_id: string;
  starts_at: Date;
  ends_at: Date;
  busy_until: Date;
  channel: Channel;
  pre_information_form: string | null;
  service_code: string;
  service_name: AppointmentRow['service_name'];
  change_deadline_minutes: number;
  unit_code: string;
  unit_name: AppointmentRow['unit_name'];
  unit_address: string | null;
  staff_name: string;
}

const HORIZON_END = `((($2::timestamptz AT TIME ZONE 'Europe/Helsinki')::date + sv.horizon_days)::timestamp AT TIME ZONE 'Europe/Helsinki')`;

/**
 * Takes one place of a slot with a single conditional UPDATE: PostgreSQL's
 * row lock serialises concurrent claims and the WHERE re-checks capacity, so
 * a slot is never overbooked. Families are also held to the minimum notice
 * and the booking horizon; staff only to "not in the past", and to slots of
 * their own or their units' unless they are admins.
 *
 * $1 slot, $2 now, $3 staff booking (no notice or horizon), $4 channel (null:
 * the service's first), $5 any staff member's slot allowed, $6 the acting
 * staff member, $7 their units; `language` is the SQL of the language the
 * slot's staff member must speak (NULL: any).
 */
const claimSlot = (language: string) => `
  UPDATE slot s SET booked = s.booked + 1
    FROM service sv, unit u, staff st
   WHERE s.id = $1 AND sv.id = s.service_id AND u.id = s.unit_id AND st.id = s.staff_id
     AND sv.active AND st.active AND s.booked < s.capacity AND NOT s.blocked AND NOT s.withdrawn
     AND s.starts_at > $2
     AND ($3 OR (s.starts_at >= $2::timestamptz + sv.min_notice_minutes * interval '1 minute' AND s.starts_at < ${HORIZON_END}))
     AND coalesce($4::text, sv.channels[1]) = ANY (sv.channels)
     AND ($5 OR s.staff_id = $6::uuid OR s.unit_id = ANY ($7::uuid[]))
     AND (${language}::text IS NULL OR ${language}::text = ANY (st.languages))
  RETURNING s.id, s.service_id, s.staff_id, s.unit_id, s.starts_at, s.ends_at,
            s.ends_at + sv.buffer_minutes * interval '1 minute' AS busy_until, coalesce($4::text, sv.channels[1]) AS channel,
            sv.pre_information_form, sv.code AS service_code, sv.name AS service_name, sv.change_deadline_minutes,
            u.code AS unit_code, u.name AS unit_name, u.address AS unit_address, st.name AS staff_name`;

/** The claim on its own (a reschedule): $1–$7 as above, $8 the language the new slot's staff member must speak, or null. */
export const CLAIM_SLOT = claimSlot('$8');

/**
 * A whole booking in one statement, atomic without an explicit transaction:
 * the claim, the appointment, its "booked" event and its outbox jobs (their
 * times taken from the claimed slot). A new booking is held to no language:
 * the family chose the staff member. Parameters $1–$7 as in CLAIM_SLOT, then
 * $8 language, $9–$13 contact name, e-mail, phone, child's name, note, $14
 * manage token hash, $15 booked by, $16 pre-information token hash (kept only
 * when the service has a form), $17 the appointment id, $18 the outbox jobs.
 */
export const BOOK_SLOT = `
  WITH s AS (${claimSlot('NULL')}),
  a AS (
    INSERT INTO appointment (id, reference, slot_id, service_id, staff_id, unit_id, starts_at, ends_at, busy_until, status, channel,
                             language, contact_name, contact_email, contact_phone, child_name, note, manage_token_hash, booked_by,
                             created_at, updated_at, pre_information_token_hash)
    SELECT $17, 'AV-' || to_char($2::timestamptz AT TIME ZONE 'Europe/Helsinki', 'YYYY') || '-' || lpad(nextval('appointment_reference_seq')::text, 6, '0'),
           s.id, s.service_id, s.staff_id, s.unit_id, s.starts_at, s.ends_at, s.busy_until, 'booked', s.channel,
           $8, $9, $10, $11, $12, $13, $14, $15, $2, $2, CASE WHEN s.pre_information_form IS NOT NULL THEN $16 END
      FROM s
    RETURNING id, reference),
  e AS (
    INSERT INTO appointment_event (appointment_id, at, actor_type, actor_id, action, to_starts_at)
    SELECT a.id, $2, $15, $6::uuid, 'booked', s.starts_at FROM a, s),
  o AS (
    INSERT INTO outbox (id, message_id, kind, appointment_id, facts, secrets, next_attempt_at, created_at)
    SELECT j.id, j.message_id, j.kind, a.id, j.facts || jsonb_build_object('startsAt', s.starts_at, 'endsAt', s.ends_at), j.secrets, $2, $2
      FROM a, s, jsonb_to_recordset($18::jsonb) AS j${JOB_RECORD_TYPE})
  SELECT s.*, a.reference FROM s, a`;

/**
 * What anonymous bookings are limited by: the e-mail address (lower-case,
 * without a `+tag`, which reaches the same mailbox) and the phone number
 * (digits only; a Finnish `0…` number as `358…`).
 */
export function bookingContacts(contact: { email?: string; phone?: string }): string[] {
  const keys: string[] = [];
  if (contact.email) {
    const email = contact.email.trim().toLowerCase();
    const at = email.lastIndexOf('@');
    const local = email.slice(0, at).split('+')[0] || email.slice(0, at);
    keys.push(`email:${local}${email.slice(at)}`);
  }
  if (contact.phone) {
    const phone = contact.phone.trim();
    let digits = phone.replace(/\D/g, '');
    if (!phone.startsWith('+')) {
      if (digits.startsWith('00')) digits = digits.slice(2);
      else if (digits.startsWith('0')) digits = `358${digits.slice(1)}`;
    }
    keys.push(`phone:${digits}`);
  }
  return keys;
}

const INSERT_EVENT = `INSERT INTO appointment_event (appointment_id, at, actor_type, actor_id, action, from_starts_at, to_starts_at, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

@Injectable()
export class AppointmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly notices: AppointmentNotices,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    private readonly limiter: RateLimiter,
  ) {}

  /**
   * Books a slot. An anonymous booking first reserves one of the allowance
   * of its contact e-mail address and phone number (so nobody can flood a
   * stranger's mailbox through the service) and gives it back when no
   * booking was made; staff booking for a family are not limited by it.
   */
  async book(actor: Actor | { type: 'anonymous' }, dto: BookAppointmentDto, idempotencyKey?: string): Promise<BookingResult> {
    if (actor.type !== 'anonymous') return this.insertBooking(actor, dto, idempotencyKey);
    const reservation = this.limiter.reserveBookingContacts(bookingContacts(dto.contact));
    try {
      const result = await this.insertBooking(actor, dto, idempotencyKey);
      if (result.replayed) reservation.release();
      return result;
    } catch (error) {
      reservation.release();
      throw error;
    }
  }

  /**
   * Books a slot in one statement. With an Idempotency-Key, the statement
   * runs in a transaction that first takes the key, and a repeated identical
   * request returns the first result.
   */
  private async insertBooking(actor: Actor | { type: 'anonymous' }, dto: BookAppointmentDto, idempotencyKey?: string): Promise<BookingResult> {
    if (!dto.contact.email && !dto.contact.phone) {
      throw new DomainError('validation_failed', {}, [{ field: 'contact', rule: 'contactRequired' }]);
    }
    const now = this.clock.now();
    const id = randomUUID();
    const by = actor.type === 'staff' ? 'staff' : 'family';
    const tokens: IssuedTokens = { manageToken: randomToken(), preInformationToken: randomToken() };
    const jobs = this.notices.plan(id, 'booked', by, { ...tokens, familyEmail: Boolean(dto.contact.email), sequence: 0 });
    const params = [
      ...this.claimParams(actor, dto.slotId, now, dto.channel),
      dto.language, dto.contact.name, dto.contact.email ?? null, dto.contact.phone ?? null, dto.childName ?? null, dto.note ?? null,
      hashToken(tokens.manageToken), by, hashToken(tokens.preInformationToken!), id, JSON.stringify(this.outbox.records(jobs)),
    ];
    const insert = async (em: EntityManager): Promise<BookingResult> => {
      const [row]: (ClaimedSlot & { reference: string })[] = await em.query(BOOK_SLOT, params);
      if (!row) throw await this.whyNotClaimed(em, actor, dto.slotId, now, dto.channel);
      const appointment = toView({
        ...row,
        id,
        status: 'booked',
        slot_id: row.id,
        language: dto.language,
        contact_name: dto.contact.name,
        contact_email: dto.contact.email ?? null,
        contact_phone: dto.contact.phone ?? null,
        child_name: dto.childName ?? null,
        note: dto.note ?? null,
        cancel_reason: null,
        conflict: false,
      });
      return this.result(appointment, tokens, row.pre_information_form, false);
    };
    try {
      if (!idempotencyKey) return await insert(this.db.manager);
      return await this.db.transaction(async (tx) => {
        const scope = actor.type === 'staff' ? `staff:${actor.auth.staffId}` : 'public';
        const keyHash = hashToken(`${scope}:${idempotencyKey}`);
        const replay = await this.replayIdempotent(tx, keyHash, hashToken(JSON.stringify(dto)), idempotencyKey, now);
        if (replay) return replay;
        const result = await insert(tx);
        await tx.query(`UPDATE idempotency_key SET appointment_id = $2, sealed_token = $3 WHERE key_hash = $1`, [
          keyHash, id, sealWithSecret(JSON.stringify(tokens), idempotencyKey),
        ]);
        return result;
      });
    } catch (error) {
      throw mapStaffOverlap(error);
    }
  }

  /** $1–$7 of CLAIM_SLOT for this actor. */
  private claimParams(actor: Actor | { type: 'anonymous' }, slotId: string, now: Date, channel: Channel | undefined): unknown[] {
    const staff = actor.type === 'staff' ? actor.auth : undefined;
    return [slotId, now, Boolean(staff), channel ?? null, !staff || isAdmin(staff), staff?.staffId ?? null, staff?.unitIds ?? []];
  }

  async get(actor: Actor, id: string): Promise<AppointmentView & { history?: AppointmentEventView[] }> {
    const row = await this.load(this.db.manager, actor, id, false);
    if (actor.type === 'family') return toView(row);
    return { ...toView(row), history: await this.history(id) };
  }

  /** The version of the appointment's calendar event, raised by each move and by the cancellation (a calendar file carries it). */
  async calendarSequence(actor: Actor, id: string): Promise<number> {
    return (await this.load(this.db.manager, actor, id, false)).ics_sequence;
  }

  /**
   * Moves an appointment to another slot of the same service: all or nothing.
   * The new slot's staff member must speak the booking's language, unless
   * staff explicitly allow another.
   */
  async reschedule(actor: Actor, id: string, slotId: string, options: { allowOtherLanguage?: boolean } = {}): Promise<AppointmentView> {
    const now = this.clock.now();
    try {
      await this.db.transaction(async (tx) => {
        const current = await this.load(tx, actor, id, true);
        this.assertChangeable(actor, current, now);
        // Its own slot is no time to move to, even when the slot has room for more (a repeated request must not move it again).
        if (current.slot_id === slotId) throw new DomainError('slot_taken');
        const language = actor.type === 'staff' && options.allowOtherLanguage ? null : current.language;
        const slot = await this.claimSlot(tx, actor, slotId, now, current.channel, language);
        if (slot.service_id !== current.service_id) throw new DomainError('wrong_service');
        await tx.query(`UPDATE slot SET booked = booked - 1 WHERE id = $1`, [current.slot_id]);
        const [[{ ics_sequence }]] = await tx.query(
          `UPDATE appointment SET slot_id = $2, staff_id = $3, unit_id = $4, starts_at = $5, ends_at = $6, busy_until = $7, updated_at = $8,
                  ics_sequence = ics_sequence + 1
            WHERE id = $1 RETURNING ics_sequence`,
          [id, slot.id, slot.staff_id, slot.unit_id, slot.starts_at, slot.ends_at, slot.busy_until, now],
        );
        await this.recordEvent(tx, id, actor, now, 'rescheduled', { from: current.starts_at, to: slot.starts_at });
        await this.notices.afterChange(tx, id, 'rescheduled', actor.type, {
          familyEmail: Boolean(current.contact_email),
          startsAt: slot.starts_at,
          endsAt: slot.ends_at,
          sequence: ics_sequence,
          previousStartsAt: current.starts_at,
          ...(actor.type === 'family' ? { manageToken: actor.manageToken } : {}),
        });
      });
    } catch (error) {
      throw mapStaffOverlap(error);
    }
    return toView(await this.load(this.db.manager, actor, id, false));
  }

  async cancel(actor: Actor, id: string, reason: string | undefined): Promise<AppointmentView> {
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      const current = await this.load(tx, actor, id, true);
      this.assertChangeable(actor, current, now);
      const [[{ ics_sequence }]] = await tx.query(
        `UPDATE appointment SET status = 'cancelled', cancel_reason = $2, updated_at = $3, ics_sequence = ics_sequence + 1 WHERE id = $1 RETURNING ics_sequence`,
        [id, reason ?? null, now],
      );
      await tx.query(`UPDATE slot SET booked = booked - 1 WHERE id = $1`, [current.slot_id]);
      await this.recordEvent(tx, id, actor, now, 'cancelled', { from: current.starts_at, reason });
      await this.notices.afterChange(tx, id, 'cancelled', actor.type, {
        familyEmail: Boolean(current.contact_email),
        startsAt: current.starts_at,
        endsAt: current.ends_at,
        sequence: ics_sequence,
      });
    });
    return toView(await this.load(this.db.manager, actor, id, false));
  }

  /** Staff mark a visit that has started as fulfilled or no-show. */
  async setStatus(auth: AuthContext, id: string, status: 'fulfilled' | 'noshow'): Promise<AppointmentView> {
    const actor: Actor = { type: 'staff', auth };
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      const current = await this.load(tx, actor, id, true);
      if (current.status !== 'booked' || current.starts_at > now) throw new DomainError('invalid_status_change');
      await tx.query(`UPDATE appointment SET status = $2, updated_at = $3 WHERE id = $1`, [id, status, now]);
      await this.recordEvent(tx, id, actor, now, status, {});
    });
    return toView(await this.load(this.db.manager, actor, id, false));
  }

  async history(id: string): Promise<AppointmentEventView[]> {
    const rows: { at: Date; actor_type: 'family' | 'staff' | 'system'; actor_id: string | null; action: string; from_starts_at: Date | null; to_starts_at: Date | null; reason: string | null }[] =
      await this.db.query(`SELECT * FROM appointment_event WHERE appointment_id = $1 ORDER BY id`, [id]);
    return rows.map((e) => ({
      at: toHelsinkiIso(e.at),
      actor: { type: e.actor_type, id: e.actor_id },
      action: e.action,
      fromStartsAt: e.from_starts_at && toHelsinkiIso(e.from_starts_at),
      toStartsAt: e.to_starts_at && toHelsinkiIso(e.to_starts_at),
      reason: e.reason,
    }));
  }

  /** Staff's own appointments starting in [from, to). */
  async listForStaff(staffId: string, from: Date, to: Date): Promise<AppointmentView[]> {
    const rows: AppointmentRow[] = await this.db.query(
      `SELECT ${APPOINTMENT_VIEW_COLUMNS} FROM appointment a ${APPOINTMENT_VIEW_JOINS}
        WHERE a.staff_id = $1 AND a.starts_at >= $2 AND a.starts_at < $3 ORDER BY a.starts_at, a.reference`,
      [staffId, from, to],
    );
    return rows.map(toView);
  }

  private async claimSlot(tx: EntityManager, actor: Actor, slotId: string, now: Date, channel: Channel, language: Lang | null): Promise<ClaimedSlot> {
    const [claimed]: [ClaimedSlot[], number] = await tx.query(CLAIM_SLOT, [...this.claimParams(actor, slotId, now, channel), language]);
    const slot = claimed[0];
    if (slot) return slot;
    throw await this.whyNotClaimed(tx, actor, slotId, now, channel, language);
  }

  /** Explains a failed claim; the claim itself never reads before it writes. */
  private async whyNotClaimed(
    em: EntityManager, actor: Actor | { type: 'anonymous' }, slotId: string, now: Date, channel: Channel | undefined, language: Lang | null = null,
  ): Promise<DomainError> {
    const byStaff = actor.type === 'staff';
    const [row] = await em.query(
      `SELECT s.starts_at, s.booked, s.capacity, s.blocked, s.withdrawn, s.staff_id, s.unit_id, sv.channels, sv.active AND st.active AS active,
              st.languages,
              sv.min_notice_minutes, sv.horizon_days, ${HORIZON_END} AS horizon_end
         FROM slot s JOIN service sv ON sv.id = s.service_id JOIN staff st ON st.id = s.staff_id WHERE s.id = $1`,
      [slotId, now],
    );
    if (!row) return new DomainError('slot_not_found');
    if (actor.type === 'staff' && !isAdmin(actor.auth) && row.staff_id !== actor.auth.staffId && !actor.auth.unitIds.includes(row.unit_id)) {
      return new DomainError('forbidden');
    }
    if (channel && !row.channels.includes(channel)) {
      return new DomainError('validation_failed', {}, [{ field: 'channel', rule: 'isIn', params: { values: row.channels.join(', ') } }]);
    }
    if (row.starts_at <= now) return new DomainError('slot_in_past');
    if (!byStaff && row.starts_at.getTime() < now.getTime() + row.min_notice_minutes * 60_000) {
      return new DomainError('slot_within_minimum_notice', { minutes: row.min_notice_minutes });
    }
    if (!byStaff && row.starts_at >= row.horizon_end) return new DomainError('slot_beyond_horizon', { days: row.horizon_days });
    if (language && !row.languages.includes(language)) return new DomainError('staff_language_mismatch');
    if (row.blocked || row.withdrawn || !row.active) return new DomainError('slot_unavailable');
    return new DomainError('slot_taken');
  }

  private async replayIdempotent(tx: EntityManager, keyHash: string, requestHash: string, key: string, now: Date): Promise<BookingResult | null> {
    // A concurrent request with the same key waits here until the first commits or rolls back.
    const inserted = await tx.query(
      `INSERT INTO idempotency_key (key_hash, request_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key_hash`,
      [keyHash, requestHash, now],
    );
    if (inserted.length) return null;
    const [previous] = await tx.query(`SELECT request_hash, appointment_id, sealed_token FROM idempotency_key WHERE key_hash = $1`, [keyHash]);
    if (previous.request_hash !== requestHash) throw new DomainError('idempotency_key_reused');
    const tokens = JSON.parse(unsealWithSecret(previous.sealed_token, key)) as IssuedTokens;
    const [row]: (AppointmentRow & { pre_information_form: string | null })[] = await tx.query(
      `SELECT ${APPOINTMENT_VIEW_COLUMNS}, sv.pre_information_form FROM appointment a ${APPOINTMENT_VIEW_JOINS} WHERE a.id = $1`,
      [previous.appointment_id],
    );
    return this.result(toView(row), tokens, row.pre_information_form, true);
  }

  private result(appointment: AppointmentView, tokens: IssuedTokens, formId: string | null, replayed: boolean): BookingResult {
    const preInformation =
      formId && tokens.preInformationToken
        ? { formId, token: tokens.preInformationToken, url: preInformationUrl(this.config.publicUrl, appointment.id, tokens.preInformationToken) }
        : undefined;
    return { appointment, manageToken: tokens.manageToken, ...(preInformation ? { preInformation } : {}), replayed };
  }

  /**
   * The pre-information form an appointment's link may fill in, and the
   * appointment's unit (which receives it). The link's
   * token is checked against its hash; a cancelled appointment takes none.
   * Within a transaction (`lock`), the appointment's row stays locked until
   * it ends, so pre-information for one appointment is stored one at a time.
   */
  async preInformationTarget(
    appointmentId: string, token: string, lock?: EntityManager,
  ): Promise<{ formId: string; language: string; unitCode: string; contact: { name: string; email: string | null; phone: string | null } }> {
    const [row] = await (lock ?? this.db.manager).query(
      `SELECT a.status, a.language, a.contact_name, a.contact_email, a.contact_phone, sv.pre_information_form, u.code AS unit_code
         FROM appointment a JOIN service sv ON sv.id = a.service_id JOIN unit u ON u.id = a.unit_id
        WHERE a.id = $1 AND a.pre_information_token_hash = $2 ${lock ? 'FOR NO KEY UPDATE OF a' : ''}`,
      [appointmentId, hashToken(token)],
    );
    if (!row?.pre_information_form) throw new DomainError('not_found');
    if (row.status !== 'booked') throw new DomainError('appointment_not_active');
    return {
      formId: row.pre_information_form, language: row.language, unitCode: row.unit_code,
      contact: { name: row.contact_name, email: row.contact_email, phone: row.contact_phone },
    };
  }

  /** Notes in the appointment's history that the family sent its pre-information, or replaced what it sent before. */
  async recordPreInformation(tx: EntityManager, appointmentId: string, at: Date, replaced: boolean): Promise<void> {
    await tx.query(INSERT_EVENT, [appointmentId, at, 'family', null, replaced ? 'pre-information-replaced' : 'pre-information-sent', null, null, null]);
  }

  /**
   * Loads an appointment the actor may see (optionally locking it first); otherwise not found.
   * The lock is taken on its own: a locking join would re-check a row changed
   * meanwhile (moved to another slot) against the slot it joined before, and
   * find nothing. The read after it sees the change that released the lock.
   */
  private async load(em: EntityManager, actor: Actor, id: string, forUpdate: boolean): Promise<AppointmentRow & { ics_sequence: number }> {
    if (forUpdate) await em.query(`SELECT 1 FROM appointment WHERE id = $1 FOR UPDATE`, [id]);
    const [row]: (AppointmentRow & { manage_token_hash: string; ics_sequence: number })[] = await em.query(
      `SELECT ${APPOINTMENT_VIEW_COLUMNS}, a.manage_token_hash, a.ics_sequence FROM appointment a ${APPOINTMENT_VIEW_JOINS} WHERE a.id = $1`,
      [id],
    );
    const allowed =
      row &&
      (actor.type === 'family'
        ? row.manage_token_hash === hashToken(actor.manageToken)
        : isAdmin(actor.auth) || row.staff_id === actor.auth.staffId || actor.auth.unitIds.includes(row.unit_id));
    if (!allowed) throw new DomainError('not_found');
    return row;
  }

  private assertChangeable(actor: Actor, row: AppointmentRow, now: Date): void {
    if (row.status !== 'booked') throw new DomainError('appointment_not_active');
    if (actor.type === 'family' && now >= changeDeadline(row)) throw new DomainError('change_deadline_passed');
  }


  private async recordEvent(
    tx: EntityManager,
    appointmentId: string,
    actor: Actor,
    at: Date,
    action: string,
    change: { from?: Date; to?: Date; reason?: string },
  ): Promise<void> {
    await tx.query(
      INSERT_EVENT,
      [
        appointmentId, at, actor.type === 'staff' ? 'staff' : 'family', actor.type === 'staff' ? actor.auth.staffId : null, action,
        change.from ?? null, change.to ?? null, change.reason ?? null,
      ],
    );
  }
}

function mapStaffOverlap(error: unknown): unknown {
  return pgErrorCode(error) === EXCLUSION_VIOLATION ? new DomainError('staff_overlap') : error;
}
