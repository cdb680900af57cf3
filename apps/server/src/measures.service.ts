import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { Clock, DomainError, type Lang, type LocalDate, helsinkiDateOf, startOfHelsinkiDay } from '@app/platform';
import { type AuthContext, isAdmin } from '@app/identity';
import { type BookingMonth, BookingMeasures } from '@app/booking';
import { type MeasuresQuery, PRIORITIES, type SubmissionMonth, SubmissionMeasures, type TimeStat, periodOf } from '@app/delivery';

/** The longest period one request may cover. */
export const MEASURES_MAX_DAYS = 1830;

export interface MonthMeasures extends Omit<SubmissionMonth, 'unitId' | 'month'> {
  /** `YYYY-MM`, Helsinki. */
  month: string;
  bookings: Omit<BookingMonth, 'unitId' | 'month'>;
}

export interface Measures {
  from: Date;
  to: Date;
  units: { unit: { id: string; code: string; name: string }; months: MonthMeasures[] }[];
}

const NO_TIMES: TimeStat = { count: 0, median: null, p90: null };

/**
 * Measures for administrators, per unit and Helsinki month: the handling of
 * submissions (delivery) and the queue to booked services (booking), joined
 * here for the HTTP layer, as JSON or as CSV.
 */
@Injectable()
export class MeasuresService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly submissions: SubmissionMeasures,
    private readonly bookings: BookingMeasures,
    private readonly clock: Clock,
  ) {}

  /**
   * Every month of the period for every unit with a submission or an
   * appointment in it (or the one unit asked for), months without anything
   * as zeros. Default period: from the start of the Helsinki month eleven
   * months back until now.
   */
  async measures(auth: AuthContext, query: MeasuresQuery, lang: Lang): Promise<Measures> {
    if (!isAdmin(auth)) throw new DomainError('forbidden');
    const now = this.clock.now();
    const period = periodOf(query.from, query.to);
    const from = period.from ?? startOfHelsinkiDay(helsinkiDateOf(now).withDayOfMonth(1).minusMonths(11));
    const to = period.to ?? now;
    if (from >= to || to.getTime() - from.getTime() > MEASURES_MAX_DAYS * 86_400_000) throw new DomainError('invalid_range', { maxDays: MEASURES_MAX_DAYS });
    const unitId = query.unit ?? null;
    if (unitId && !(await this.db.query(`SELECT 1 FROM unit WHERE id = $1`, [unitId])).length) throw new DomainError('unknown_reference', { field: 'unit' });

    const submissions = await this.submissions.byUnitAndMonth(auth, from, to, unitId, now);
    const bookings = await this.bookings.byUnitAndMonth(auth, from, to, unitId);
    const unitIds = [...new Set([...(unitId ? [unitId] : []), ...submissions.map((s) => s.unitId), ...bookings.map((b) => b.unitId)])];
    const units: { id: string; code: string; name: Record<Lang, string> }[] = await this.db.query(`SELECT id, code, name FROM unit WHERE id = ANY($1::uuid[]) ORDER BY code`, [unitIds]);
    const months = monthsOf(helsinkiDateOf(from), helsinkiDateOf(new Date(to.getTime() - 1)));
    const bySubmission = new Map(submissions.map((s) => [`${s.unitId} ${s.month}`, s]));
    const byBooking = new Map(bookings.map((b) => [`${b.unitId} ${b.month}`, b]));
    return {
      from,
      to,
      units: units.map((u) => ({
        unit: { id: u.id, code: u.code, name: u.name[lang] },
        months: months.map((month) => {
          const s = bySubmission.get(`${u.id} ${month}`);
          const b = byBooking.get(`${u.id} ${month}`);
          return {
            month,
            submissions: s?.submissions ?? { total: 0, open: 0, byForm: {}, byPriority: {}, byOutcome: {} },
            hoursTo: s?.hoursTo ?? { acknowledgement: NO_TIMES, firstContact: NO_TIMES, assessment: NO_TIMES, decision: NO_TIMES },
            decidedInTime: s?.decidedInTime ?? { decided: 0, of: 0, share: null },
            bookings: b
              ? { appointments: b.appointments, medianDaysToAppointment: b.medianDaysToAppointment, cancellations: b.cancellations, noShows: b.noShows }
              : { appointments: 0, medianDaysToAppointment: null, cancellations: 0, noShows: 0 },
          };
        }),
      })),
    };
  }
}

/** `YYYY-MM` of every month from the one of `first` to the one of `last`. */
function monthsOf(first: LocalDate, last: LocalDate): string[] {
  const months: string[] = [];
  for (let d = first.withDayOfMonth(1); !d.isAfter(last); d = d.plusMonths(1)) months.push(d.toString().slice(0, 7));
  return months;
}

/** Text a spreadsheet would take for a formula gets a leading apostrophe (CSV injection). */
function cell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * The measures as CSV (RFC 4180: a header row, quoted where needed, CRLF):
 * one row per unit and month; the forms and outcomes found in the period
 * get a column each (`form:<id>`, `outcome:<value>`). Empty where a median
 * has no data.
 */
export function measuresCsv(measures: Measures): { filename: string; body: string } {
  const all = measures.units.flatMap((u) => u.months);
  const forms = [...new Set(all.flatMap((m) => Object.keys(m.submissions.byForm)))].sort();
  const outcomes = [...new Set(all.flatMap((m) => Object.keys(m.submissions.byOutcome)))].sort();
  const times = (['acknowledgement', 'firstContact', 'assessment', 'decision'] as const).map((key) => [key, key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] as const);
  const header = [
    'unit_code', 'unit_name', 'month', 'submissions', 'open', ...PRIORITIES.map((p) => `priority:${p}`), ...forms.map((f) => `form:${f}`),
    ...outcomes.map((o) => `outcome:${o}`), ...times.flatMap(([, name]) => [`${name}_count`, `${name}_median_hours`, `${name}_p90_hours`]),
    'decisions_due', 'decided_in_time', 'decided_in_time_share', 'appointments', 'median_days_to_appointment', 'cancellations', 'no_shows',
  ];
  const rows = measures.units.flatMap(({ unit, months }) =>
    months.map((m) => [
      unit.code, cell(unit.name), m.month, m.submissions.total, m.submissions.open, ...PRIORITIES.map((p) => m.submissions.byPriority[p] ?? 0),
      ...forms.map((f) => m.submissions.byForm[f] ?? 0), ...outcomes.map((o) => m.submissions.byOutcome[o] ?? 0),
      ...times.flatMap(([key]) => [m.hoursTo[key].count, m.hoursTo[key].median, m.hoursTo[key].p90]),
      m.decidedInTime.of, m.decidedInTime.decided, m.decidedInTime.share, m.bookings.appointments, m.bookings.medianDaysToAppointment,
      m.bookings.cancellations, m.bookings.noShows,
    ]),
  );
  const first = helsinkiDateOf(measures.from).toString();
  const last = helsinkiDateOf(new Date(measures.to.getTime() - 1)).toString();
  return { filename: `measures-${first}-${last}.csv`, body: stringify([header, ...rows], { record_delimiter: 'windows', cast: { number: (n) => String(n) } }) };
}
