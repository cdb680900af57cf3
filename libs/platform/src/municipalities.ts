import data from './data/finnish-municipalities.json';

export interface Municipality {
  code: string;
  name: { fi: string; sv: string };
  county: string;
}

export interface WellbeingServicesCounty {
  id: string;
  name: { fi: string; sv: string };
}

/** The 309 municipalities (Statistics Finland codes) with their wellbeing services county. */
export const MUNICIPALITIES: Municipality[] = data.municipalities.map(({ code, name, county }) => ({ code, name, county }));

/** The 21 wellbeing services counties, with Helsinki (`HEL`) and Åland (`AX`), which organise these services themselves. */
export const COUNTIES: WellbeingServicesCounty[] = data.counties.map(({ id, name }) => ({ id, name }));

const MUNICIPALITY_CODES = new Set(MUNICIPALITIES.map((m) => m.code));
const BY_COUNTY = new Map(COUNTIES.map((c) => [c.id, MUNICIPALITIES.filter((m) => m.county === c.id).map((m) => m.code)]));

export function isMunicipalityCode(value: unknown): value is string {
  return typeof value === 'string' && MUNICIPALITY_CODES.has(value);
}

export function isCountyCode(value: unknown): value is string {
  return typeof value === 'string' && BY_COUNTY.has(value);
}

/**
 * Municipality codes and county codes (a county meaning all its
 * municipalities) as a sorted list of municipality codes without repeats.
 * Unknown codes are left out: callers validate first.
 */
export function expandServiceArea(codes: readonly string[]): string[] {
  const out = new Set<string>();
  for (const code of codes) {
    if (isMunicipalityCode(code)) out.add(code);
    for (const member of BY_COUNTY.get(code) ?? []) out.add(member);
  }
  return [...out].sort();
}
