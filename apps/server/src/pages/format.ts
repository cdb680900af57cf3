import { HelsinkiDateTime, type Lang, type LocalDate } from '@app/platform';

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

/** A Helsinki wall-clock time: `12.30` in Finnish and Swedish, `12:30` in English. */
export function formatTime(instant: Date | string, lang: Lang): string {
  const time = HelsinkiDateTime.fromDate(new Date(instant)).time;
  const minutes = String(time.minute()).padStart(2, '0');
  return lang === 'en' ? `${time.hour()}:${minutes}` : `${time.hour()}.${minutes}`;
}

/** An instant in Helsinki time: `ti 8.12.2026 klo 12.30`, `ti 8.12.2026 kl. 12.30`, `Tue 8 December 2026 at 12:30`. */
export function formatDateTime(instant: Date | string, lang: Lang): string {
  const date = formatDate(HelsinkiDateTime.fromDate(new Date(instant)).date, lang);
  const word = { fi: 'klo', sv: 'kl.', en: 'at' }[lang];
  return `${date} ${word} ${formatTime(instant, lang)}`;
}
