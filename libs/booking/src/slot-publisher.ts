import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, HelsinkiDateTime, LocalDate, LocalTime, helsinkiDateOf, isFinnishHoliday, startOfHelsinkiDay } from '@app/platform';
import { horizonEndDate } from './time-range';

/** A booked appointment whose time the calendar no longer has: staff must act on it. */
export interface CalendarConflict {
  appointmentId: string;
  reference: string;
  serviceId: string;
  startsAt: Date;
}

interface Interval {
  date: LocalDate;
  start: string;
  end: string;
  unitId: string;
}

interface DesiredSlot {
  unitId: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Publishes slots from staff calendars (FHIR Schedule → Slot): weekly working
 * hours within their validity, plus extra hours, minus absences and Finnish
 * holidays, for each service's booking horizon.
 *
 * Publishing is idempotent and serialised per (staff, service) with an
 * advisory lock, so any number of instances may run it. It never touches a
 * booked slot's booking: a booked slot that no longer fits the calendar is
 * withdrawn from search and reported as a conflict.
 */
@Injectable()
export class SlotPublisher {
  private readonly logger = new Logger(SlotPublisher.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Republishes every service a staff member has calendar entries or slots for. */
  async publishForStaff(staffId: string, em?: EntityManager): Promise<CalendarConflict[]> {
    const run = (tx: EntityManager) => this.publishCalendars(tx, { staffId });
    return em ? run(em) : this.db.transaction(run);
  }

  /** Republishes every staff calendar of one service (after its horizon or status changed). */
  publishForService(serviceId: string): Promise<CalendarConflict[]> {
    return this.db.transaction((tx) => this.publishCalendars(tx, { serviceId }));
  }

  /** Rolls every calendar's horizon forward. Pairs another instance is publishing are skipped. */
  async publishAll(): Promise<number> {
    const pairs = await this.calendars(this.db.manager, {});
    let published = 0;
    for (const pair of pairs) {
      const done = await this.db.transaction((tx) => this.publish(tx, pair.staff_id, pair.service_id, false).then((c) => c !== null));
      if (done) published++;
    }
    this.logger.log(`published slots for ${published}/${pairs.length} calendars`);
    return published;
  }

  /** The (staff, service) calendars with hours, extra hours or future published slots, optionally of one staff member or service. */
  private calendars(em: EntityManager, of: { staffId?: string; serviceId?: string }): Promise<{ staff_id: string; service_id: string }[]> {
    const filter = `($1::uuid IS NULL OR staff_id = $1) AND ($2::uuid IS NULL OR service_id = $2)`;
    return em.query(
      `SELECT staff_id, service_id FROM working_hours WHERE ${filter}
       UNION SELECT staff_id, service_id FROM extra_hours WHERE ${filter}
       UNION SELECT staff_id, service_id FROM slot WHERE ${filter} AND origin = 'calendar' AND starts_at >= $3`,
      [of.staffId ?? null, of.serviceId ?? null, this.clock.now()],
    );
  }

  private async publishCalendars(tx: EntityManager, of: { staffId?: string; serviceId?: string }): Promise<CalendarConflict[]> {
    const conflicts: CalendarConflict[] = [];
    for (const pair of await this.calendars(tx, of)) conflicts.push(...((await this.publish(tx, pair.staff_id, pair.service_id, true)) ?? []));
    return conflicts;
  }

  /**
   * Publishes one (staff, service) calendar inside the caller's transaction.
   * With `wait` false, returns null at once when another transaction holds the lock.
   */
  private async publish(tx: EntityManager, staffId: string, serviceId: string, wait: boolean): Promise<CalendarConflict[] | null> {
    const lockKey = `publish:${staffId}:${serviceId}`;
    if (wait) {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [lockKey]);
    } else {
      const [{ locked }] = await tx.query(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`, [lockKey]);
      if (!locked) return null;
    }
    const now = this.clock.now();
    const [service] = await tx.query(
      `SELECT duration_minutes, buffer_minutes, capacity, horizon_days, active FROM service WHERE id = $1`,
      [serviceId],
    );
    const desired = service?.active ? await this.desiredSlots(tx, staffId, serviceId, service, now) : [];

    if (desired.length) {
      await tx.query(
        `INSERT INTO slot (service_id, staff_id, unit_id, starts_at, ends_at, capacity)
         SELECT $1, $2, t.unit_id, t.starts_at, t.ends_at, $3
           FROM unnest($4::uuid[], $5::timestamptz[], $6::timestamptz[]) AS t(unit_id, starts_at, ends_at)
         ON CONFLICT (staff_id, service_id, starts_at) DO UPDATE SET withdrawn = false
          WHERE slot.withdrawn AND slot.origin = 'calendar'`,
        [serviceId, staffId, service.capacity, desired.map((s) => s.unitId), desired.map((s) => s.startsAt), desired.map((s) => s.endsAt)],
      );
    }
    const keep = desired.map((s) => s.startsAt);
    // Unbooked slots the calendar no longer has are removed; those with any
    // appointment (active or in history) are withdrawn instead.
    await tx.query(
      `DELETE FROM slot s
        WHERE s.staff_id = $1 AND s.service_id = $2 AND s.origin = 'calendar' AND s.starts_at >= $3
          AND s.booked = 0 AND s.starts_at <> ALL($4::timestamptz[])
          AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.slot_id = s.id)`,
      [staffId, serviceId, now, keep],
    );
    await tx.query(
      `UPDATE slot SET withdrawn = true
        WHERE staff_id = $1 AND service_id = $2 AND origin = 'calendar' AND starts_at >= $3
          AND NOT withdrawn AND starts_at <> ALL($4::timestamptz[])`,
      [staffId, serviceId, now, keep],
    );
    const conflicts: { id: string; reference: string; starts_at: Date }[] = await tx.query(
      `SELECT a.id, a.reference, a.starts_at FROM appointment a JOIN slot s ON s.id = a.slot_id
        WHERE a.staff_id = $1 AND a.service_id = $2 AND a.status = 'booked' AND s.withdrawn AND a.starts_at >= $3
        ORDER BY a.starts_at`,
      [staffId, serviceId, now],
    );
    return conflicts.map((c) => ({ appointmentId: c.id, reference: c.reference, serviceId, startsAt: c.starts_at }));
  }

  private async desiredSlots(
    tx: EntityManager,
    staffId: string,
    serviceId: string,
    service: { duration_minutes: number; buffer_minutes: number; horizon_days: number },
    now: Date,
  ): Promise<DesiredSlot[]> {
    const today = helsinkiDateOf(now);
    const end = horizonEndDate(now, service.horizon_days);
    // One connection runs one query at a time: these are sequential on purpose.
    const weekly: { weekday: number; start_time: string; end_time: string; valid_from: string; valid_to: string | null; unit_id: string }[] = await tx.query(
        `SELECT weekday, start_time, end_time, valid_from, valid_to, unit_id FROM working_hours
          WHERE staff_id = $1 AND service_id = $2 AND valid_from < $4 AND (valid_to IS NULL OR valid_to >= $3)`,
        [staffId, serviceId, today.toString(), end.toString()],
    );
    const extra: { date: string; start_time: string; end_time: string; unit_id: string }[] = await tx.query(
        `SELECT date, start_time, end_time, unit_id FROM extra_hours
          WHERE staff_id = $1 AND service_id = $2 AND date >= $3 AND date < $4`,
        [staffId, serviceId, today.toString(), end.toString()],
    );
    const absences = await tx.query(`SELECT starts_at, ends_at FROM absence WHERE staff_id = $1 AND ends_at > $2 AND starts_at < $3`, [
        staffId, now, startOfHelsinkiDay(end),
    ]) as { starts_at: Date; ends_at: Date }[];

    const intervals: Interval[] = [];
    for (let date = today; date.isBefore(end); date = date.plusDays(1)) {
      const iso = date.toString();
      if (!isFinnishHoliday(date)) {
        for (const w of weekly) {
          if (w.weekday === date.dayOfWeek().value() && w.valid_from <= iso && (!w.valid_to || w.valid_to >= iso)) {
            intervals.push({ date, start: w.start_time, end: w.end_time, unitId: w.unit_id });
          }
        }
      }
      for (const x of extra) if (x.date === iso) intervals.push({ date, start: x.start_time, end: x.end_time, unitId: x.unit_id });
    }

    const step = service.duration_minutes + service.buffer_minutes;
    const byStart = new Map<number, DesiredSlot>();
    for (const interval of intervals) {
      const close = HelsinkiDateTime.of(interval.date, LocalTime.parse(interval.end)).toDate().getTime();
      for (let t = HelsinkiDateTime.of(interval.date, LocalTime.parse(interval.start)); ; t = t.plusMinutes(step)) {
        const startsAt = t.toDate();
        const endsAt = t.plusMinutes(service.duration_minutes).toDate();
        if (endsAt.getTime() > close) break;
        if (startsAt <= now || byStart.has(startsAt.getTime())) continue;
        if (absences.some((a) => a.starts_at < endsAt && a.ends_at > startsAt)) continue;
        byStart.set(startsAt.getTime(), { unitId: interval.unitId, startsAt, endsAt });
      }
    }
    return [...byStart.values()];
  }
}
