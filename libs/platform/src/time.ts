import { DateTimeFormatter, Instant, LocalDate, LocalTime, ZonedDateTime, ZoneId } from '@js-joda/core';
import '@js-joda/timezone';
import Holidays from 'date-holidays';

export { LocalDate, LocalTime };

/** Every calendar in the product runs on Helsinki time. */
export const HELSINKI = ZoneId.of('Europe/Helsinki');

const ISO_WITH_OFFSET = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

/**
 * An instant seen on a Helsinki wall clock. Local times keep their meaning
 * across daylight-saving changes: 08:00 stays 08:00, the offset moves.
 */
export class HelsinkiDateTime {
  private constructor(private readonly zoned: ZonedDateTime) {}

  static of(date: LocalDate, time: LocalTime): HelsinkiDateTime {
    return new HelsinkiDateTime(ZonedDateTime.of(date, time, HELSINKI));
  }

  static fromDate(instant: Date): HelsinkiDateTime {
    return new HelsinkiDateTime(ZonedDateTime.ofInstant(Instant.ofEpochMilli(instant.getTime()), HELSINKI));
  }

  get date(): LocalDate {
    return this.zoned.toLocalDate();
  }

  get time(): LocalTime {
    return this.zoned.toLocalTime();
  }

  plusMinutes(minutes: number): HelsinkiDateTime {
    return new HelsinkiDateTime(this.zoned.plusMinutes(minutes));
  }

  toDate(): Date {
    return new Date(this.zoned.toInstant().toEpochMilli());
  }

  /** ISO 8601 with the Helsinki offset of that moment, e.g. 2026-03-30T08:00:00+03:00. */
  toIso(): string {
    return this.zoned.format(ISO_WITH_OFFSET);
  }
}

/** Formats a stored instant for API responses: ISO 8601 with the Helsinki offset. */
export function toHelsinkiIso(instant: Date): string {
  return HelsinkiDateTime.fromDate(instant).toIso();
}

/** The Helsinki calendar date of an instant. */
export function helsinkiDateOf(instant: Date): LocalDate {
  return HelsinkiDateTime.fromDate(instant).date;
}

/** Start of a Helsinki calendar day as an instant. */
export function startOfHelsinkiDay(date: LocalDate): Date {
  return HelsinkiDateTime.of(date, LocalTime.MIDNIGHT).toDate();
}

const holidays = new Holidays('FI');
// Midsummer Eve and Christmas Eve are days off in Finnish public services
// although date-holidays lists them as bank holidays; New Year's Eve is not.
const CLOSED_BANK_HOLIDAYS = new Set(['06-19', '06-20', '06-21', '06-22', '06-23', '06-24', '06-25', '12-24']);
const closedCache = new Map<number, Set<string>>();

function closedDaysOf(year: number): Set<string> {
  let days = closedCache.get(year);
  if (!days) {
    days = new Set();
    for (const h of holidays.getHolidays(year)) {
      const iso = h.date.slice(0, 10);
      if (h.type === 'public' || (h.type === 'bank' && CLOSED_BANK_HOLIDAYS.has(iso.slice(5)))) days.add(iso);
    }
    closedCache.set(year, days);
  }
  return days;
}

/** Finnish public holidays (and Midsummer and Christmas Eve) close calendars by default. */
export function isFinnishHoliday(date: LocalDate): boolean {
  return closedDaysOf(date.year()).has(date.toString());
}

/** Mon–Fri that is not a Finnish holiday: the unit of legal deadlines. */
export function isWorkingDay(date: LocalDate): boolean {
  return date.dayOfWeek().value() <= 5 && !isFinnishHoliday(date);
}

/** The date `days` working days after `date` (not counting `date` itself). */
export function addWorkingDays(date: LocalDate, days: number): LocalDate {
  let d = date;
  let left = days;
  while (left > 0) {
    d = d.plusDays(1);
    if (isWorkingDay(d)) left--;
  }
  return d;
}
