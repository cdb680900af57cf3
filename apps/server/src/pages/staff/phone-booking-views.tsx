import type { JSX } from 'preact';
import type { AppointmentView, FreeSlotView, Service } from '@app/booking';
import { type Lang, LocalDate, interpolate } from '@app/platform';
import { ErrorSummary, type FieldError, Notice, PostForm, SummaryList } from '../components/ui';
import { formatDate, formatDateTime, formatTime } from '../format';
import { Field } from './schedule-views';
import { StaffLayout, type StaffPageContext } from './staff-layout';

/** The free times of a period, a list per day. `action` renders what choosing one does (a link or a form). */
function TimesList({ ctx, slots, choose }: { ctx: StaffPageContext; slots: FreeSlotView[]; choose: (slot: FreeSlotView) => JSX.Element }) {
  const days = new Map<string, FreeSlotView[]>();
  for (const slot of slots) {
    const day = slot.startsAt.slice(0, 10);
    days.set(day, [...(days.get(day) ?? []), slot]);
  }
  return (
    <>
      {[...days.entries()].map(([day, list]) => (
        <section class="day" key={day} aria-labelledby={`day-${day}`}>
          <h2 id={`day-${day}`}>{formatDate(dateOfIso(list[0].startsAt), ctx.lang)}</h2>
          <ul class="slot-list">
            {list.map((slot) => (
              <li class="slot--free" key={slot.id}>
                <span class="time">{formatTime(slot.startsAt, ctx.lang)}–{formatTime(slot.endsAt, ctx.lang)}</span>
                <span>{slot.staff.name}</span>
                <span>{slot.unit.name[ctx.lang]}</span>
                <span>{slot.staff.languages.map((l) => l.toUpperCase()).join(', ')}</span>
                {choose(slot)}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

/** The Helsinki date of an ISO instant with the Helsinki offset (its first ten characters). */
function dateOfIso(iso: string): LocalDate {
  return LocalDate.parse(iso.slice(0, 10));
}

function Pager({ ctx, from, href }: { ctx: StaffPageContext; from: LocalDate; href: (date: LocalDate) => string }) {
  const m = ctx.s.schedule.move;
  return (
    <nav class="pager" aria-label={ctx.s.calendar.title}>
      <a href={href(from.minusDays(7))}>{m.earlier}</a>
      <a href={href(from.plusDays(7))}>{m.later}</a>
    </nav>
  );
}

export interface MovePageProps {
  ctx: StaffPageContext;
  appointment: AppointmentView;
  from: LocalDate;
  otherLanguage: boolean;
  slots: FreeSlotView[];
  error?: string;
}

/** Moving an appointment: the free times of the same service by the staff rules, two weeks at a time. */
export function MovePage({ ctx, appointment: a, from, otherLanguage, slots, error }: MovePageProps) {
  const m = ctx.s.schedule.move;
  const title = interpolate(m.title, { reference: a.reference });
  const base = `/staff/appointments/${a.id}/move`;
  const href = (date: LocalDate) => `${base}?from=${date.toString()}${otherLanguage ? '&other=1' : ''}`;
  return (
    <StaffLayout ctx={ctx} title={title} section="calendar" hasErrors={!!error}>
      <h1>{title}</h1>
      {error && <ErrorSummary title={ctx.s.common.errorTitle} errors={[{ id: 'move-from', message: error }]} />}
      <p class="lead">{interpolate(m.lead, { time: formatDateTime(a.startsAt, ctx.lang) })}</p>
      <p>{a.service.name[ctx.lang]}, {a.contact.name}</p>
      <form method="get" action={base} class="filters">
        <Field id="move-from" name="from" type="date" label={m.from} value={from.toString()} />
        <div class="check">
          <input type="checkbox" id="move-other" name="other" value="1" checked={otherLanguage} aria-describedby="move-other-hint" />
          <label for="move-other">{interpolate(m.otherLanguage, { language: ctx.t.booking.languageNames[a.language] })}</label>
        </div>
        <p class="hint" id="move-other-hint">{m.otherLanguageHint}</p>
        <button type="submit" class="hds-button hds-button--secondary"><span class="hds-button__label">{ctx.s.calendar.go}</span></button>
      </form>
      <Pager ctx={ctx} from={from} href={href} />
      {slots.length === 0 ? <p>{m.none}</p> : (
        <TimesList ctx={ctx} slots={slots} choose={(slot) => (
          <PostForm ctx={ctx} action={base}>
            <input type="hidden" name="slotId" value={slot.id} />
            {otherLanguage && <input type="hidden" name="allowOtherLanguage" value="1" />}
            <button type="submit" class="link-button">{interpolate(m.chooseLabel, { time: formatTime(slot.startsAt, ctx.lang), staff: slot.staff.name })}</button>
          </PostForm>
        )} />
      )}
      <p><a href={`/staff/appointments/${a.id}`}>{m.back}</a></p>
    </StaffLayout>
  );
}

/** The first step of booking for a family on the phone: the service. */
export function ServicesPage({ ctx, services }: { ctx: StaffPageContext; services: Service[] }) {
  const p = ctx.s.schedule.phone;
  return (
    <StaffLayout ctx={ctx} title={p.title} section="calendar">
      <h1>{p.title}</h1>
      <p class="lead">{p.lead}</p>
      <h2>{p.chooseService}</h2>
      {services.length === 0 ? <p>{p.noServices}</p> : (
        <ul class="slot-list">
          {services.map((s) => <li key={s.id}><a href={`/staff/book/${s.id}`}>{s.name[ctx.lang]}</a></li>)}
        </ul>
      )}
    </StaffLayout>
  );
}

export interface PhoneTimesProps {
  ctx: StaffPageContext;
  service: Service;
  from: LocalDate;
  language?: Lang;
  slots: FreeSlotView[];
  taken?: boolean;
}

/** The second step: free times of the service by the staff rules, optionally of staff speaking one language. */
export function PhoneTimesPage({ ctx, service, from, language, slots, taken }: PhoneTimesProps) {
  const p = ctx.s.schedule.phone;
  const title = interpolate(p.timesTitle, { service: service.name[ctx.lang] });
  const base = `/staff/book/${service.id}`;
  const href = (date: LocalDate) => `${base}?from=${date.toString()}${language ? `&language=${language}` : ''}`;
  return (
    <StaffLayout ctx={ctx} title={title} section="calendar">
      <h1>{title}</h1>
      {taken && <Notice kind="alert"><p>{p.taken}</p></Notice>}
      <form method="get" action={base} class="filters">
        <Field id="book-from" name="from" type="date" label={ctx.s.schedule.move.from} value={from.toString()} />
        <Field id="book-language" label={p.language}>
          <select id="book-language" name="language">
            <option value="">{p.anyLanguage}</option>
            {service.languages.map((l) => <option key={l} value={l} selected={l === language}>{ctx.t.booking.languageNames[l]}</option>)}
          </select>
        </Field>
        <button type="submit" class="hds-button hds-button--secondary"><span class="hds-button__label">{ctx.s.calendar.go}</span></button>
      </form>
      <Pager ctx={ctx} from={from} href={href} />
      {slots.length === 0 ? <p>{p.none}</p> : (
        <TimesList ctx={ctx} slots={slots} choose={(slot) => (
          <a href={`${base}/${slot.id}${language ? `?language=${language}` : ''}`}>{interpolate(p.chooseTime, { time: formatTime(slot.startsAt, ctx.lang), staff: slot.staff.name })}</a>
        )} />
      )}
      <p><a href="/staff/book">{p.chooseService}</a></p>
    </StaffLayout>
  );
}

export interface PhoneContact {
  name: string;
  email: string;
  phone: string;
  childName: string;
  note: string;
  language: string;
  channel: string;
}

export const PHONE_CONTACT_FIELDS: (keyof PhoneContact)[] = ['name', 'email', 'phone', 'childName', 'note', 'language', 'channel'];

export interface PhoneContactProps {
  ctx: StaffPageContext;
  service: Service;
  slot: FreeSlotView;
  values: PhoneContact;
  errors: FieldError[];
  action: string;
  /** The idempotency key of this booking: a double click on confirm books once. */
  bookingKey: string;
}

function ContactHidden({ values, bookingKey }: { values: PhoneContact; bookingKey: string }) {
  return (
    <>
      {PHONE_CONTACT_FIELDS.map((name) => <input key={name} type="hidden" name={name} value={values[name]} />)}
      <input type="hidden" name="key" value={bookingKey} />
    </>
  );
}

/** The third step: the family's contact details, the booking's language and channel. */
export function PhoneContactPage({ ctx, service, slot, values, errors, action, bookingKey }: PhoneContactProps) {
  const p = ctx.s.schedule.phone;
  const err = (id: string) => errors.find((e) => e.id === id)?.message;
  const languages = service.languages.length ? service.languages : (['fi', 'sv', 'en'] as Lang[]);
  return (
    <StaffLayout ctx={ctx} title={p.contactTitle} section="calendar" hasErrors={errors.length > 0}>
      <ErrorSummary title={ctx.s.schedule.errorTitle} errors={errors} />
      <p class="caption">{service.name[ctx.lang]}</p>
      <h1>{p.contactTitle}</h1>
      <SummaryList rows={[[p.chosenTime, `${formatDateTime(slot.startsAt, ctx.lang)}, ${slot.staff.name}, ${slot.unit.name[ctx.lang]}`]]} />
      <p><a href={`/staff/book/${service.id}`}>{p.otherTimes}</a></p>
      <PostForm ctx={ctx} action={action}>
        <input type="hidden" name="key" value={bookingKey} />
        <Field id="name" label={p.name} value={values.name} error={err('name')} />
        <Field id="email" type="email" label={p.email} hint={p.contactHint} value={values.email} error={err('email')} />
        <Field id="phone" type="tel" label={p.phone} value={values.phone} error={err('phone')} />
        <Field id="childName" label={p.childName} value={values.childName} error={err('childName')} />
        <Field id="language" label={p.bookingLanguage} error={err('language')}>
          <select id="language" name="language">
            {languages.map((l) => <option key={l} value={l} selected={l === values.language}>{ctx.t.booking.languageNames[l]}</option>)}
          </select>
        </Field>
        <Field id="channel" label={p.channel} error={err('channel')}>
          <select id="channel" name="channel">
            {service.channels.map((c) => <option key={c} value={c} selected={c === values.channel}>{ctx.t.channel[c]}</option>)}
          </select>
        </Field>
        <div class={`field${err('note') ? ' field--error' : ''}`}>
          <label for="note">{p.note}</label>
          {err('note') && <p class="error-text" id="note-error">{err('note')}</p>}
          <textarea id="note" name="note" rows={3} maxLength={1000} aria-invalid={err('note') ? 'true' : undefined}>{values.note}</textarea>
        </div>
        <div class="actions">
          <button type="submit" name="go" value="check" class="hds-button hds-button--primary"><span class="hds-button__label">{p.continue}</span></button>
        </div>
      </PostForm>
    </StaffLayout>
  );
}

/** The last step: check and confirm (or change the details). */
export function PhoneCheckPage({ ctx, service, slot, values, action, bookingKey }: Omit<PhoneContactProps, 'errors'>) {
  const p = ctx.s.schedule.phone;
  const none = ctx.s.common.none;
  return (
    <StaffLayout ctx={ctx} title={p.checkTitle} section="calendar">
      <p class="caption">{service.name[ctx.lang]}</p>
      <h1>{p.checkTitle}</h1>
      <SummaryList rows={[
        [p.chosenTime, `${formatDateTime(slot.startsAt, ctx.lang)}, ${slot.staff.name}, ${slot.unit.name[ctx.lang]}`],
        [p.name, values.name],
        [p.email, values.email || none],
        [p.phone, values.phone || none],
        [p.childName, values.childName || none],
        [p.bookingLanguage, ctx.t.booking.languageNames[values.language as Lang] ?? values.language],
        [p.channel, ctx.t.channel[values.channel as keyof typeof ctx.t.channel] ?? values.channel],
        [p.note, values.note || none],
      ]} />
      <PostForm ctx={ctx} action={action}>
        <ContactHidden values={values} bookingKey={bookingKey} />
        <div class="actions">
          <button type="submit" name="go" value="confirm" class="hds-button hds-button--primary"><span class="hds-button__label">{p.confirm}</span></button>
          <button type="submit" name="go" value="change" class="hds-button hds-button--secondary"><span class="hds-button__label">{p.change}</span></button>
        </div>
      </PostForm>
    </StaffLayout>
  );
}
