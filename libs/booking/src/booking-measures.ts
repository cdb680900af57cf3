import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/platform';
import { type AuthContext, isAdmin } from '@app/identity';

/** One unit's appointments in one Helsinki month (of the appointment's time). */
export interface BookingMonth {
  unitId: string;
  /** `YYYY-MM`, Helsinki. */
  month: string;
  /** Appointments at a time in the month, whatever became of them. */
  appointments: number;
  /** Queue time to service: the median days from booking to the appointment's time, of those not cancelled. */
  medianDaysToAppointment: number | null;
  cancellations: number;
  noShows: number;
}

/**
 * Measures of booking ("queue time to service"), computed in SQL over the
 * appointments and their history (`appointment_event`), per unit and per
 * Helsinki month of the appointment's time.
 */
@Injectable()
export class BookingMeasures {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async byUnitAndMonth(auth: AuthContext, from: Date, to: Date, unitId: string | null): Promise<BookingMonth[]> {
    if (!isAdmin(auth)) throw new DomainError('forbidden');
    const rows: { unit_id: string; month: string; appointments: number; median_days: number | null; cancellations: number; no_shows: number }[] = await this.db.query(
      `SELECT a.unit_id, to_char(a.starts_at AT TIME ZONE 'Europe/Helsinki', 'YYYY-MM') AS month, count(*)::int AS appointments,
              round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.starts_at - h.booked_at)::float8 / 86400) FILTER (WHERE NOT h.cancelled))::numeric, 2)::float8
                AS median_days,
              count(*) FILTER (WHERE h.cancelled)::int AS cancellations,
              count(*) FILTER (WHERE h.noshow)::int AS no_shows
         FROM appointment a
         CROSS JOIN LATERAL (
           SELECT coalesce(min(e.at) FILTER (WHERE e.action = 'booked'), a.created_at) AS booked_at,
                  coalesce(bool_or(e.action = 'cancelled'), false) AS cancelled,
                  coalesce(bool_or(e.action = 'noshow'), false) AS noshow
             FROM appointment_event e WHERE e.appointment_id = a.id) h
        WHERE a.starts_at >= $1 AND a.starts_at < $2 AND ($3::uuid IS NULL OR a.unit_id = $3)
        GROUP BY 1, 2`,
      [from, to, unitId],
    );
    return rows.map((r) => ({
      unitId: r.unit_id,
      month: r.month,
      appointments: r.appointments,
      medianDaysToAppointment: r.median_days,
      cancellations: r.cancellations,
      noShows: r.no_shows,
    }));
  }
}
