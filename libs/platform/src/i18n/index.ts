import { en } from './en';
import { fi, type Translations } from './fi';
import { sv } from './sv';

export type { ErrorCode, Translations, ValidationRule } from './fi';

export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

const catalogues: Record<Lang, Translations> = { fi, sv, en };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function catalogue(lang: Lang): Translations {
  return catalogues[lang];
}

/** Replaces `{name}` placeholders with the given values. */
export function interpolate(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Picks fi, sv or en from an Accept-Language header (quality values honoured); Finnish by default. */
export function pickLanguage(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'fi';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag, ...rest] = part.trim().split(';');
      const q = rest.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.find((r) => isLang(r.lang) && r.q > 0)?.lang as Lang | undefined ?? 'fi';
}
