import type { Lang } from '@app/platform';
import type { Question } from './form-definition';
import { MUNICIPALITIES } from './formats';
import type { OpenedSubmission } from './submissions.service';

export const ANSWER_TEXTS: Record<Lang, { reference: string; submitted: string; version: string; noAnswer: string; yes: string; no: string; page: string; locale: string }> = {
  fi: { reference: 'Viitenumero', submitted: 'Lähetetty', version: 'Lomakkeen versio', noAnswer: '—', yes: 'Kyllä', no: 'Ei', page: 'Sivu {n} / {total}', locale: 'fi-FI' },
  sv: { reference: 'Referensnummer', submitted: 'Skickat', version: 'Formulärversion', noAnswer: '—', yes: 'Ja', no: 'Nej', page: 'Sida {n} / {total}', locale: 'sv-FI' },
  en: { reference: 'Reference', submitted: 'Sent', version: 'Form version', noAnswer: '—', yes: 'Yes', no: 'No', page: 'Page {n} of {total}', locale: 'en-GB' },
};

export function formatTime(instant: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(ANSWER_TEXTS[lang].locale, { timeZone: 'Europe/Helsinki', dateStyle: 'long', timeStyle: 'short' }).format(instant);
}

/** An answer as a reader sees it: option labels, Yes/No, municipality names, Finnish dates. */
export function formatAnswer(question: Question, value: unknown, lang: Lang): string {
  const t = ANSWER_TEXTS[lang];
  if (value === undefined || value === null || value === '') return t.noAnswer;
  const option = (v: unknown) => question.options?.find((o) => o.value === v)?.label[lang] ?? String(v);
  switch (question.control) {
    case 'yesno':
      return value ? t.yes : t.no;
    case 'radio':
    case 'select':
      return option(value);
    case 'checkboxes':
      return (value as unknown[]).map(option).join(', ') || t.noAnswer;
    case 'municipality': {
      // The question's own choices (e.g. "I'd rather not say") by their label, codes by the municipality's name.
      const own = question.options?.find((o) => o.value === value);
      if (own) return own.label[lang];
      const m = MUNICIPALITIES.find((x) => x.code === value);
      return m ? (lang === 'sv' ? m.name.sv : m.name.fi) : String(value);
    }
    case 'date': {
      const [y, mo, d] = String(value).split('-').map(Number);
      return lang === 'en' ? `${d} ${new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }).format(Date.UTC(y, mo - 1, d))} ${y}` : `${d}.${mo}.${y}`;
    }
    default:
      return String(value);
  }
}


export interface AnsweredQuestion {
  page: string;
  answer: string;
  label: string;
  value: string;
  /** For repeatable groups: one list of answered questions per item, and an item's heading. */
  items?: { label: string; value: string }[][];
  itemLabel?: string;
}

/** The visible questions of a submission with readable answers, in one language. */
export function summarize(submission: OpenedSubmission, lang: Lang): AnsweredQuestion[] {
  const { visible } = submission.form.prune(submission.answers);
  const pageTitle = new Map(submission.form.definition.pages.map((p) => [p.id, p.title[lang]]));
  return visible.map(({ pageId, question }) => {
    const value = submission.answers[question.answer];
    const base = { page: pageTitle.get(pageId)!, answer: question.answer, label: question.label[lang], value: formatAnswer(question, value, lang) };
    if (question.control !== 'group') return base;
    const items = ((value as Record<string, unknown>[] | undefined) ?? []).map((item) =>
      (question.questions ?? []).map((nested) => ({ label: nested.label[lang], value: formatAnswer(nested, item[nested.answer], lang) })),
    );
    return { ...base, value: String(items.length), items, itemLabel: (question.itemLabel ?? question.label)[lang] };
  });
}
