import type { Lang } from '@app/platform';
import { en } from './en';
import { fi, type PageTexts } from './fi';
import { sv } from './sv';

export type { PageTexts };

const catalogues: Record<Lang, PageTexts> = { fi, sv, en };

export function pageTexts(lang: Lang): PageTexts {
  return catalogues[lang];
}
