export { MUNICIPALITIES, type Municipality, isMunicipalityCode } from '@app/platform';

const HETU = /^(\d{2})(\d{2})(\d{2})([-+ABCDEFYXWVU])(\d{3})([0-9A-FHJ-NPR-Y])$/;
const HETU_CHECK = '0123456789ABCDEFHJKLMNPRSTUVWXY';
const CENTURY: Record<string, number> = { '+': 1800, '-': 1900, Y: 1900, X: 1900, W: 1900, V: 1900, U: 1900, A: 2000, B: 2000, C: 2000, D: 2000, E: 2000, F: 2000 };

/** Finnish personal identity code (henkilötunnus): date, century sign (incl. the 2023 additions) and check character. */
export function isValidHetu(value: string): boolean {
  const m = HETU.exec(value);
  if (!m) return false;
  const [, dd, mm, yy, sign, serial, check] = m;
  const year = CENTURY[sign] + Number(yy);
  const date = new Date(Date.UTC(year, Number(mm) - 1, Number(dd)));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== Number(mm) - 1 || date.getUTCDate() !== Number(dd)) return false;
  return HETU_CHECK[Number(`${dd}${mm}${yy}${serial}`) % 31] === check;
}

export function isPostalCode(value: string): boolean {
  return /^\d{5}$/.test(value);
}

export function isPhoneNumber(value: string): boolean {
  return /^\+?[0-9][0-9 ()-]{5,19}$/.test(value);
}
