import { HelsinkiDateTime, type Lang, LocalDate } from '@app/platform';

const WEEKDAYS: Record<Lang, string[]> = {
  fi: ['ma', 'ti', 'ke', 'to', 'pe', 'la', 'su'],
  sv: ['må', 'ti', 'on', 'to', 'fr', 'lö', 'sö'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A calendar date as people in Finland write it: `ti 8.12.2026`, `ti 8.12.2026`, `Tue 8 December 2026`. */
export function formatDate(date: LocalDate, lang: Lang): string {
  const weekday = WEEKDAYS[lang][date.dayOfWeek().value() - 1];
  if (lang === 'en') return `${weekday} ${date.dayOfMonth()} ${EN_MONTHS[date.monthValue() - 1]} ${date.year()}`;
  return `${weekday} ${date.dayOfMonth()}.${date.monthValue()}.${date.year()}`;
}

/** An ISO 8601 time already written with a Helsinki offset (as the services write them): its wall-clock hour and minute. */
const HELSINKI_ISO = /^\d{4}-\d{2}-\d{2}T(\d{2}):(\d{2})(:\d{2}(\.\d+)?)?\+0[23]:00$/;

/** A Helsinki wall-clock time: `12.30` in Finnish and Swedish, `12:30` in English. */
export function formatTime(instant: Date | string, lang: Lang): string {
  // The free-times page writes hundreds of these: read the wall-clock time off a Helsinki ISO string when it is one.
  const written = typeof instant === 'string' ? HELSINKI_ISO.exec(instant) : null;
  let hour: number;
  let minute: number;
  if (written) {
    [hour, minute] = [Number(written[1]), Number(written[2])];
  } else {
    const time = HelsinkiDateTime.fromDate(new Date(instant)).time;
    [hour, minute] = [time.hour(), time.minute()];
  }
  const minutes = String(minute).padStart(2, '0');
  return lang === 'en' ? `${hour}:${minutes}` : `${hour}.${minutes}`;
}

/** An instant in Helsinki time: `ti 8.12.2026 klo 12.30`, `ti 8.12.2026 kl. 12.30`, `Tue 8 December 2026 at 12:30`. */
export function formatDateTime(instant: Date | string, lang: Lang): string {
  const date = formatDate(HelsinkiDateTime.fromDate(new Date(instant)).date, lang);
  const word = { fi: 'klo', sv: 'kl.', en: 'at' }[lang];
  return `${date} ${word} ${formatTime(instant, lang)}`;
}

const DATE_PARAM = /^20\d{2}-\d{2}-\d{2}$/;

/**
 * A `YYYY-MM-DD` date from a query or a form, or undefined when it is none
 * (not a string, 30 February, text) or outside this century: a page never
 * sends the database a year it cannot take.
 */
export function dateParam(value: unknown): LocalDate | undefined {
  if (typeof value !== 'string' || !DATE_PARAM.test(value)) return undefined;
  try {
    return LocalDate.parse(value);
  } catch {
    return undefined;
  }
}

export function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a.isAfter(b) ? a : b;
}
