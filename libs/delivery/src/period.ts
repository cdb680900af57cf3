import { LocalDate, isDateTimeWithOffset, startOfHelsinkiDay } from '@app/platform';

/** A query period's bounds: a date is a whole Helsinki day (`to` inclusive), an instant is taken as is (`to` exclusive). */
export function periodOf(from?: string, to?: string): { from: Date | null; to: Date | null } {
  return {
    from: from === undefined ? null : isDateTimeWithOffset(from) ? new Date(from) : startOfHelsinkiDay(LocalDate.parse(from)),
    to: to === undefined ? null : isDateTimeWithOffset(to) ? new Date(to) : startOfHelsinkiDay(LocalDate.parse(to).plusDays(1)),
  };
}

export const DEFAULT_LIMIT = 50;

/** A page of results. */
export interface Paged<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
