import { type Lang, interpolate } from '@app/platform';
import { submissionMailEn } from './submission-mail.en';
import { type SubmissionMailTexts, submissionMailFi } from './submission-mail.fi';
import { submissionMailSv } from './submission-mail.sv';
import { type Block, type RenderedMail, assemble, assembleSections } from './templates';

const TEXTS: Record<Lang, SubmissionMailTexts> = { fi: submissionMailFi, sv: submissionMailSv, en: submissionMailEn };

/** What brings a submission to an inbox's attention. */
export type InboxNoticeEvent = keyof SubmissionMailTexts['subject'];

/**
 * A content-free notice to a unit or one of its handlers: that something
 * arrived, which form, its reference and priority, and where to open it.
 * Nothing else of the submission may be given to it.
 */
export interface InboxNotice {
  event: InboxNoticeEvent;
  reference: string;
  formTitle: Record<Lang, string>;
  priority: 'normal' | 'urgent';
  /** The inbox item's page: only a handler of the unit can open it. */
  inboxUrl: string;
}

function subjectOf(n: InboxNotice, lang: Lang): string {
  const t = TEXTS[lang];
  return (n.priority === 'urgent' ? t.urgentPrefix : '') + interpolate(t.subject[n.event], { form: n.formTitle[lang], reference: n.reference });
}

function blocksOf(n: InboxNotice, lang: Lang): Block[] {
  const t = TEXTS[lang];
  return [
    t.intro[n.event],
    ...(n.priority === 'urgent' ? [t.urgent] : []),
    { label: t.labels.reference, value: n.reference },
    { label: t.labels.form, value: n.formTitle[lang] },
    { label: t.labels.priority, value: t.priorities[n.priority] },
    { text: t.open, link: n.inboxUrl },
    t.noContent,
    t.footer,
  ];
}

/** To a handler, in their language. */
export function renderInboxNotice(n: InboxNotice, lang: Lang): RenderedMail {
  return assemble(subjectOf(n, lang), blocksOf(n, lang), lang);
}

/**
 * To a unit's shared address, read by whoever is on duty: Finnish, then
 * Swedish and English; the subject in Finnish and Swedish.
 */
export function renderUnitInboxNotice(n: InboxNotice): RenderedMail {
  const order: Lang[] = ['fi', 'sv', 'en'];
  return assembleSections(`${subjectOf(n, 'fi')} / ${subjectOf(n, 'sv')}`, order.map((lang) => ({ lang, blocks: blocksOf(n, lang) })));
}

/** To a sender who asked to be told of a reply: the reference and where to read it with the receipt code, nothing more. */
export interface ReplyNotice {
  reference: string;
  language: Lang;
  receiptUrl: string;
}

export function renderReplyNotice(n: ReplyNotice): RenderedMail {
  const t = TEXTS[n.language].reply;
  const params = { reference: n.reference };
  return assemble(
    interpolate(t.subject, params),
    [interpolate(t.body, params), { text: t.read, link: n.receiptUrl }, t.noContent, t.why, TEXTS[n.language].footer],
    n.language,
  );
}
