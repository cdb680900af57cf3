import { DomainError, LocalDate, helsinkiDateOf, isDateTimeWithOffset, startOfHelsinkiDay } from '@app/platform';

/**
 * A query period: a date means the whole Helsinki day (inclusive at both
 * ends), an ISO instant is taken as is (`to` exclusive).
 */
export function parseRange(from: string, to: string, maxDays: number): { from: Date; to: Date } {
  const start = isDateTimeWithOffset(from) ? new Date(from) : startOfHelsinkiDay(LocalDate.parse(from));
  const end = isDateTimeWithOffset(to) ? new Date(to) : startOfHelsinkiDay(LocalDate.parse(to).plusDays(1));
  if (end <= start || end.getTime() - start.getTime() > maxDays * 86_400_000 + 3_600_000) {
    throw new DomainError('invalid_range', { maxDays });
  }
  return { from: start, to: end };
}

/**
 * The first day beyond a service's booking horizon: slots are published for,
 * and bookable until, the Helsinki days before it. (The booking statement's
 * SQL computes the same day.)
 */
export function horizonEndDate(now: Date, horizonDays: number): LocalDate {
  return helsinkiDateOf(now).plusDays(horizonDays);
}
