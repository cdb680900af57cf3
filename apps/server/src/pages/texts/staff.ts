import type { Lang } from '@app/platform';
import { staffEn } from './staff.en';
import { staffFi, type StaffTexts } from './staff.fi';
import { staffSv } from './staff.sv';

export type { StaffTexts };

const catalogues: Record<Lang, StaffTexts> = { fi: staffFi, sv: staffSv, en: staffEn };

/** The staff, handler and admin pages' texts in one language. */
export function staffTexts(lang: Lang): StaffTexts {
  return catalogues[lang];
}
