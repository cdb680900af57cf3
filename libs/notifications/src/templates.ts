import { type Lang, interpolate } from '@app/platform';
import { calendarEvent } from './icalendar';
import { mailEn } from './mail.en';
import { type MailTexts, mailFi } from './mail.fi';
import { mailSv } from './mail.sv';

const TEXTS: Record<Lang, MailTexts> = { fi: mailFi, sv: mailSv, en: mailEn };

export type MailChannel = 'in-person' | 'phone' | 'video';

/** What a family's appointment e-mail may say: service, time, place or channel, and the manage link. */
export interface AppointmentMail {
  kind: 'confirmation' | 'rescheduled' | 'cancelled' | 'reminder';
  appointmentId: string;
  reference: string;
  language: Lang;
  recipient: string;
  contactName: string;
  serviceName: Record<Lang, string>;
  unitName: Record<Lang, string>;
  address: string | null;
  channel: MailChannel;
  startsAt: Date;
  endsAt: Date;
  /** iCalendar SEQUENCE: grows with every change of the appointment. */
  sequence: number;
  /** When the change this message tells of was made (the calendar event's DTSTAMP). */
  changedAt: Date;
  manageUrl?: string;
  /** The link to the service's pre-information form, in the confirmation. */
  preInformationUrl?: string;
  cancelledBy?: 'family' | 'staff';
  cancelReason?: string | null;
}

/** A content-free notice to a staff member: only that something changed, and when. */
export interface StaffNotice {
  kind: 'booked' | 'rescheduled' | 'cancelled';
  recipient: string;
  language: Lang;
  startsAt: Date;
  calendarUrl: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const WHEN_FORMATS = Object.fromEntries(
  (Object.keys(TEXTS) as Lang[]).map((lang) => [
    lang,
    new Intl.DateTimeFormat(TEXTS[lang].locale, {
      timeZone: 'Europe/Helsinki',
      weekday: 'short',
      day: 'numeric',
      month: lang === 'en' ? 'short' : 'numeric',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
    }),
  ]),
) as Record<Lang, Intl.DateTimeFormat>;

/** A Helsinki wall-clock time in the reader's language, e.g. "ke 4.3.2026 klo 8.00". */
export function formatWhen(instant: Date, lang: Lang): string {
  return WHEN_FORMATS[lang].format(instant);
}

/** Paragraphs of plain text; each is escaped for HTML, links become anchors. */
export type Block = string | { label: string; value: string } | { link: string; text: string };

function blockText(b: Block): string {
  return typeof b === 'string' ? b : 'label' in b ? `${b.label}: ${b.value}` : `${b.text}\n${b.link}`;
}

function blockHtml(b: Block): string {
  return typeof b === 'string'
    ? `<p>${escapeHtml(b)}</p>`
    : 'label' in b
      ? `<p><strong>${escapeHtml(b.label)}:</strong> ${escapeHtml(b.value)}</p>`
      : `<p>${escapeHtml(b.text)}<br><a href="${escapeHtml(b.link)}">${escapeHtml(b.link)}</a></p>`;
}

const HTML_HEAD = (lang: Lang, subject: string) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`;
const HTML_BODY = '<body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">';

export function assemble(subject: string, blocks: Block[], lang: Lang): Omit<RenderedMail, 'calendar'> {
  const text = blocks.map(blockText).join('\n\n');
  const html = [HTML_HEAD(lang, subject), HTML_BODY, ...blocks.map(blockHtml), '</body></html>'].join('\n');
  return { subject, text, html };
}

/** One message in several languages, one section each (the first is the document's language), separated by a rule. */
export function assembleSections(subject: string, sections: { lang: Lang; blocks: Block[] }[]): Omit<RenderedMail, 'calendar'> {
  const text = sections.map((s) => s.blocks.map(blockText).join('\n\n')).join('\n\n----------\n\n');
  const html = [
    HTML_HEAD(sections[0].lang, subject),
    HTML_BODY,
    sections.map((s) => `<div lang="${s.lang}">\n${s.blocks.map(blockHtml).join('\n')}\n</div>`).join('\n<hr>\n'),
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

export function renderAppointmentMail(m: AppointmentMail, organizer: { name: string; email: string }): RenderedMail {
  const t = TEXTS[m.language];
  const when = formatWhen(m.startsAt, m.language);
  const service = m.serviceName[m.language];
  const place = m.channel === 'in-person' ? [m.unitName[m.language], m.address].filter(Boolean).join(', ') : m.unitName[m.language];
  const params = { service, when, name: m.contactName, reason: m.cancelReason ?? '' };
  const intro =
    m.kind === 'cancelled' ? (m.cancelledBy === 'staff' ? t.cancelled.byStaff : t.cancelled.byFamily) : t[m.kind].intro;
  const blocks: Block[] = [
    interpolate(t.greeting, params),
    intro,
    { label: t.labels.service, value: service },
    { label: t.labels.time, value: when },
    { label: t.labels.channel, value: t.channels[m.channel] },
    { label: t.labels.place, value: place },
    { label: t.labels.reference, value: m.reference },
  ];
  if (m.kind === 'cancelled' && m.cancelReason) blocks.push(interpolate(t.cancelled.reason, params));
  if (m.preInformationUrl) blocks.push({ text: t.preInformation, link: m.preInformationUrl });
  if (m.kind !== 'cancelled') blocks.push(m.manageUrl ? { text: t.manage, link: m.manageUrl } : t.manageLater);
  blocks.push(t.footer);
  const rendered = assemble(interpolate(t[m.kind].subject, params), blocks, m.language);
  if (m.kind === 'reminder') return rendered;
  const method = m.kind === 'cancelled' ? 'CANCEL' : 'REQUEST';
  return { ...rendered, calendar: { method, content: appointmentIcs(m, method, service, place, organizer) } };
}

export function renderStaffNotice(n: StaffNotice): RenderedMail {
  const t = TEXTS[n.language];
  const when = formatWhen(n.startsAt, n.language);
  return assemble(interpolate(t.staff.subject, { when }), [interpolate(t.staff[n.kind], { when }), { text: t.staff.see, link: n.calendarUrl }, t.footer], n.language);
}

/** One event per appointment: a stable UID and a growing SEQUENCE let calendar apps update it. */
function appointmentIcs(m: AppointmentMail, method: 'REQUEST' | 'CANCEL', title: string, location: string, organizer: { name: string; email: string }): string {
  return calendarEvent({
    method,
    uid: `${m.appointmentId}@perhe-booking`,
    sequence: m.sequence,
    stamp: m.changedAt,
    start: m.startsAt,
    end: m.endsAt,
    summary: title,
    location,
    organizer,
    attendee: { name: m.contactName, email: m.recipient },
  });
}
