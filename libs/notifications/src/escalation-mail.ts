import { type Lang, interpolate } from '@app/platform';
import { escalationEn } from './escalation.en';
import { type EscalationTexts, escalationFi } from './escalation.fi';
import { escalationSv } from './escalation.sv';
import { type Block, type RenderedMail, assemble, formatWhen } from './templates';

const TEXTS: Record<Lang, EscalationTexts> = { fi: escalationFi, sv: escalationSv, en: escalationEn };

/** A deadline e-mail to a unit: one working day before a legal deadline, or once it has passed. Never any content. */
export interface EscalationMail {
  stage: 'warning' | 'overdue';
  deadline: keyof EscalationTexts['deadlines'];
  language: Lang;
  reference: string;
  formTitle: string;
  /** When it becomes overdue. */
  dueAt: Date;
  /** A working-day deadline's last day (`YYYY-MM-DD`); without it, `dueAt` is shown as a time. */
  dueDate: string | null;
  /** The submission in the unit's inbox. */
  link: string;
}

const DAY_FORMATS = Object.fromEntries(
  (Object.keys(TEXTS) as Lang[]).map((lang) => [
    lang,
    new Intl.DateTimeFormat(TEXTS[lang].locale, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: lang === 'en' ? 'short' : 'numeric', year: 'numeric' }),
  ]),
) as Record<Lang, Intl.DateTimeFormat>;

/** A calendar date in the reader's language, e.g. "to 12.3.2026". */
function formatDay(date: string, lang: Lang): string {
  return DAY_FORMATS[lang].format(new Date(`${date}T12:00:00Z`));
}

export function renderEscalation(m: EscalationMail): RenderedMail {
  const t = TEXTS[m.language];
  const deadline = t.deadlines[m.deadline];
  const due = m.dueDate ? interpolate(t.dueDay, { date: formatDay(m.dueDate, m.language) }) : formatWhen(m.dueAt, m.language);
  const blocks: Block[] = [
    t[m.stage].intro,
    { label: t.labels.deadline, value: deadline },
    { label: t.labels.due, value: due },
    { label: t.labels.reference, value: m.reference },
    { label: t.labels.form, value: m.formTitle },
    { text: t.open, link: m.link },
    t.noContent,
    t.footer,
  ];
  const { subject, text, html } = assemble(interpolate(t[m.stage].subject, { deadline, reference: m.reference }), blocks, m.language);
  return { subject, text, html };
}
