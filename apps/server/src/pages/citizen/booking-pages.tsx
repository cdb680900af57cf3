import type { ComponentChildren } from 'preact';
import type { AppointmentView, FreeSlotView, Service } from '@app/booking';
import { type Lang, LocalDate, interpolate } from '@app/platform';
import { Layout } from '../components/layout';
import { ErrorSummary, type FieldError, Notice, PostForm, SummaryList } from '../components/ui';
import { formatDate, formatDateTime, formatTime, maxDate } from '../format';
import type { PageContext } from '../page-context';
import { AppointmentSummary } from './manage-pages';

/** The family's contact details as typed on the page. */
export interface ContactInput {
  name: string;
  email: string;
  phone: string;
  childName: string;
  note: string;
  channel: string;
}

export const EMPTY_CONTACT: ContactInput = { name: '', email: '', phone: '', childName: '', note: '', channel: '' };

export interface DayTimes {
  date: LocalDate;
  slots: FreeSlotView[];
}

/** The place and language chosen before the times, as query parameters kept by every link of the flow. */
export interface BookingChoice {
  unit?: string;
  language?: Lang;
  /** The choice step was answered (or is being changed when false). */
  done?: boolean;
}

export function choiceQuery(choice: BookingChoice, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (choice.unit) params.set('unit', choice.unit);
  if (choice.language) params.set('kieli', choice.language);
  if (choice.done) params.set('valittu', '1');
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** A slot's time and staff member as one line: `8.00–8.20, Hoitaja Virtanen`. */
function slotLabel(ctx: PageContext, slot: FreeSlotView, withUnit: boolean): string {
  const time = `${formatTime(slot.startsAt, ctx.lang)}–${formatTime(slot.endsAt, ctx.lang)}`;
  const label = interpolate(ctx.t.booking.timeWith, { time, staff: slot.staff.name });
  return withUnit ? `${label}, ${slot.unit.name[ctx.lang]}` : label;
}

/** The step before the times when the service is given at several places or in several languages. */
export function ChoosePage({ ctx, service, units, languages, choice }: {
  ctx: PageContext; service: Service; units: FreeSlotView['unit'][]; languages: Lang[]; choice: BookingChoice;
}) {
  const b = ctx.t.booking;
  const wanted = choice.language ?? (languages.includes(ctx.lang) ? ctx.lang : languages[0]);
  return (
    <Layout ctx={ctx} title={`${b.chooseTitle} – ${service.name[ctx.lang]}`}>
      <p class="caption">{service.name[ctx.lang]}</p>
      <h1>{b.chooseTitle}</h1>
      <form method="get" action={`/varaa/${service.id}`}>
        {units.length > 1 && (
          <fieldset class="field hds-selection-group">
            <legend>{b.unit}</legend>
            {[{ id: '', name: null }, ...units].map((unit, index) => (
              <div class="hds-radio-button" key={unit.id}>
                <input class="hds-radio-button__input" type="radio" id={`unit-${index}`} name="unit" value={unit.id}
                  checked={(choice.unit ?? '') === unit.id} />
                <label class="hds-radio-button__label" for={`unit-${index}`}>{unit.name ? unit.name[ctx.lang] : b.anyUnit}</label>
              </div>
            ))}
          </fieldset>
        )}
        {languages.length > 1 && (
          <fieldset class="field hds-selection-group">
            <legend>{b.staffLanguage}</legend>
            {languages.map((lang) => (
              <div class="hds-radio-button" key={lang}>
                <input class="hds-radio-button__input" type="radio" id={`kieli-${lang}`} name="kieli" value={lang} checked={wanted === lang} />
                <label class="hds-radio-button__label" for={`kieli-${lang}`}>{b.languageNames[lang]}</label>
              </div>
            ))}
          </fieldset>
        )}
        <input type="hidden" name="valittu" value="1" />
        <div class="actions">
          <button type="submit" class="hds-button hds-button--primary">{b.continue}</button>
        </div>
      </form>
    </Layout>
  );
}

export interface TimesProps {
  ctx: PageContext;
  title: string;
  /** A line above the heading: the service's name. */
  caption: string;
  days: DayTimes[];
  /** Where each time leads. */
  hrefFor: (slot: FreeSlotView) => string;
  previous?: string;
  next?: string;
  /** What was chosen before, with a link to change it. */
  chosen?: { text: string; href: string };
  /** Nothing at all to book in the whole horizon. */
  none?: boolean;
  notice?: ComponentChildren;
  withUnit: boolean;
}

/** Free times day by day for one week, with the previous and next week; every time is a plain link. */
export function TimesPage({ ctx, title, caption, days, hrefFor, previous, next, chosen, none, notice, withUnit }: TimesProps) {
  const b = ctx.t.booking;
  const empty = days.every((d) => !d.slots.length);
  return (
    <Layout ctx={ctx} title={`${title} – ${caption}`} noindex>
      <p class="caption">{caption}</p>
      <h1>{title}</h1>
      {notice}
      {chosen && (
        <p>{b.chosen}: {chosen.text} <a href={chosen.href}>{b.changeChoice}</a></p>
      )}
      {none ? (
        <Notice><p>{b.noTimesAtAll}</p></Notice>
      ) : (
        <>
          <p>{b.timesLead}</p>
          <h2 id="week">{interpolate(b.weekOf, { from: formatDate(days[0].date, ctx.lang), to: formatDate(days[days.length - 1].date, ctx.lang) })}</h2>
          {empty && <Notice><p>{b.noTimesThisWeek}</p></Notice>}
          <WeekNav ctx={ctx} previous={previous} next={next} label="week-top" />
          {days.map((day) => (
            <section class="day" key={day.date.toString()} aria-labelledby={`day-${day.date.toString()}`}>
              <h3 id={`day-${day.date.toString()}`}>{formatDate(day.date, ctx.lang)}</h3>
              {day.slots.length ? (
                <ul class="times">
                  {day.slots.map((slot) => (
                    <li key={slot.id}><a href={hrefFor(slot)}>{slotLabel(ctx, slot, withUnit)}</a></li>
                  ))}
                </ul>
              ) : (
                <p class="hint">{b.noTimesThisDay}</p>
              )}
            </section>
          ))}
          <WeekNav ctx={ctx} previous={previous} next={next} label="week-bottom" />
        </>
      )}
    </Layout>
  );
}

function WeekNav({ ctx, previous, next, label }: { ctx: PageContext; previous?: string; next?: string; label: string }) {
  if (!previous && !next) return null;
  const b = ctx.t.booking;
  return (
    <nav class="week-nav" aria-label={`${b.previousWeek} / ${b.nextWeek}`} id={label}>
      {previous ? <a href={previous}>← {b.previousWeek}</a> : <span />}
      {next && <a href={next}>{b.nextWeek} →</a>}
    </nav>
  );
}

export interface ContactProps {
  ctx: PageContext;
  service: Service;
  slot: FreeSlotView;
  values: ContactInput;
  errors: Partial<Record<keyof ContactInput, string>>;
  action: string;
  timesHref: string;
}

function TextField({ id, label, hint, value, error, type = 'text', autoComplete, inputMode }: {
  id: string; label: string; hint?: string; value: string; error?: string; type?: string; autoComplete?: string; inputMode?: 'tel' | 'email';
}) {
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id}>{label}</label>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="error-text" id={`${id}-error`}>{error}</p>}
      <input type={type} id={id} name={id} value={value} autoComplete={autoComplete} inputMode={inputMode}
        aria-describedby={described} aria-invalid={error ? 'true' : undefined} />
    </div>
  );
}

/** The contact details of the family, for the chosen time. */
export function ContactPage({ ctx, service, slot, values, errors, action, timesHref }: ContactProps) {
  const b = ctx.t.booking;
  const error = (id: keyof ContactInput) => errors[id];
  const labels: Record<keyof ContactInput, string> = { name: b.name, email: b.email, phone: b.phone, childName: b.childName, note: b.note, channel: b.channel };
  const summary: FieldError[] = (Object.keys(labels) as (keyof ContactInput)[])
    .filter((key) => errors[key])
    .map((key) => ({ id: key === 'channel' ? 'channel-0' : key, message: `${labels[key]}: ${errors[key]}` }));
  return (
    <Layout ctx={ctx} title={`${b.contactTitle} – ${service.name[ctx.lang]}`} noindex hasErrors={summary.length > 0}>
      <ErrorSummary title={ctx.t.form.errorSummaryTitle} errors={summary} />
      <p class="caption">{service.name[ctx.lang]}</p>
      <h1>{b.contactTitle}</h1>
      <SummaryList rows={[[b.selectedTime, formatDateTime(slot.startsAt, ctx.lang)], [ctx.t.appointment.place, slot.unit.name[ctx.lang]]]} />
      <p><a href={timesHref}>{b.otherTime}</a></p>
      <p>{b.contactLead}</p>
      <PostForm ctx={ctx} action={action}>
        <TextField id="name" label={b.name} value={values.name} error={error('name')} autoComplete="name" />
        <TextField id="email" label={b.email} hint={b.emailHint} value={values.email} error={error('email')} type="email" autoComplete="email" inputMode="email" />
        <TextField id="phone" label={b.phone} hint={b.phoneHint} value={values.phone} error={error('phone')} type="tel" autoComplete="tel" inputMode="tel" />
        <TextField id="childName" label={b.childName} value={values.childName} error={error('childName')} autoComplete="off" />
        {service.channels.length > 1 && (
          <fieldset class={`field hds-selection-group${error('channel') ? ' field--error' : ''}`}>
            <legend>{b.channel}</legend>
            {error('channel') && <p class="error-text">{error('channel')}</p>}
            {service.channels.map((channel, index) => (
              <div class="hds-radio-button" key={channel}>
                <input class="hds-radio-button__input" type="radio" id={`channel-${index}`} name="channel" value={channel}
                  checked={(values.channel || service.channels[0]) === channel} />
                <label class="hds-radio-button__label" for={`channel-${index}`}>{ctx.t.channel[channel]}</label>
              </div>
            ))}
          </fieldset>
        )}
        <div class={`field${error('note') ? ' field--error' : ''}`}>
          <label for="note">{b.note}</label>
          <p class="hint" id="note-hint">{b.noteHint}</p>
          {error('note') && <p class="error-text" id="note-error">{error('note')}</p>}
          <textarea id="note" name="note" rows={4} maxLength={1000} aria-describedby={error('note') ? 'note-hint note-error' : 'note-hint'}
            aria-invalid={error('note') ? 'true' : undefined}>{values.note}</textarea>
        </div>
        <div class="actions">
          <button type="submit" name="_go" value="check" class="hds-button hds-button--primary">{b.continue}</button>
        </div>
      </PostForm>
    </Layout>
  );
}

/** Check your answers: the time and the contact details, a change button, and the confirm button. */
export function CheckBookingPage({ ctx, service, slot, values, state, action }: {
  ctx: PageContext; service: Service; slot: FreeSlotView; values: ContactInput; state: string; action: string;
}) {
  const b = ctx.t.booking;
  const a = ctx.t.appointment;
  const given = (value: string) => value || b.notGiven;
  return (
    <Layout ctx={ctx} title={b.checkTitle} noindex>
      <p class="caption">{service.name[ctx.lang]}</p>
      <h1>{b.checkTitle}</h1>
      <p>{b.checkLead}</p>
      <SummaryList rows={[
        [a.service, service.name[ctx.lang]],
        [a.time, `${formatDateTime(slot.startsAt, ctx.lang)}–${formatTime(slot.endsAt, ctx.lang)}`],
        [a.place, slot.unit.name[ctx.lang]],
        [a.staff, slot.staff.name],
        [a.channel, ctx.t.channel[(values.channel || service.channels[0]) as keyof PageContext['t']['channel']]],
        [b.name, values.name],
        [b.email, given(values.email)],
        [b.phone, given(values.phone)],
        [b.childName, given(values.childName)],
        [b.note, given(values.note)],
      ]} />
      <PostForm ctx={ctx} action={action}>
        <input type="hidden" name="_state" value={state} />
        <div class="actions">
          <button type="submit" name="_go" value="confirm" class="hds-button hds-button--primary">{b.confirm}</button>
          <button type="submit" name="_go" value="change" class="hds-button hds-button--secondary">{b.change}</button>
        </div>
      </PostForm>
    </Layout>
  );
}

/**
 * The time was taken meanwhile: the nearest free times. With the contact
 * details already given, each time is a button that keeps them and goes
 * straight to checking the booking; otherwise a link to the contact step.
 */
export function TakenPage({ ctx, service, nearest, state, actionFor, hrefFor, timesHref, notice }: {
  ctx: PageContext; service: Service; nearest: FreeSlotView[]; state?: string; actionFor: (slot: FreeSlotView) => string;
  hrefFor: (slot: FreeSlotView) => string; timesHref: string; notice?: ComponentChildren;
}) {
  const b = ctx.t.booking;
  const label = (slot: FreeSlotView) => `${formatDate(dateOf(slot), ctx.lang)} ${slotLabel(ctx, slot, false)}`;
  return (
    <Layout ctx={ctx} title={b.takenTitle} noindex>
      <p class="caption">{service.name[ctx.lang]}</p>
      <h1>{b.takenTitle}</h1>
      <Notice kind="alert"><p>{b.taken}</p></Notice>
      {notice}
      <h2>{b.nearestHeading}</h2>
      {!nearest.length && <p>{b.noTimesThisWeek}</p>}
      {state && nearest.length ? (
        <PostForm ctx={ctx} action={actionFor(nearest[0])}>
          <input type="hidden" name="_state" value={state} />
          <ul class="times times--stacked">
            {nearest.map((slot) => (
              <li key={slot.id}>
                <button type="submit" class="time-button" name="_go" value="check-kept" formAction={actionFor(slot)}>{label(slot)}</button>
              </li>
            ))}
          </ul>
        </PostForm>
      ) : (
        <ul class="times times--stacked">
          {nearest.map((slot) => <li key={slot.id}><a href={hrefFor(slot)}>{label(slot)}</a></li>)}
        </ul>
      )}
      <p><a href={timesHref}>{b.allTimes}</a></p>
    </Layout>
  );
}

/**
 * The week from `start` of the free times found, day by day (empty days
 * too), and the links to the weeks before (not before `earliest`) and after
 * (not past `horizonEnd`): the booking's and the move's week pages.
 */
export function weekOf(found: FreeSlotView[], start: LocalDate, earliest: LocalDate | undefined, horizonEnd: LocalDate, href: (week: LocalDate) => string): {
  days: DayTimes[]; previous?: string; next?: string;
} {
  const byDay = new Map<string, FreeSlotView[]>(); // Helsinki ISO times: the date is the first ten characters
  for (const slot of found) {
    const day = byDay.get(slot.startsAt.slice(0, 10));
    if (day) day.push(slot);
    else byDay.set(slot.startsAt.slice(0, 10), [slot]);
  }
  const days: DayTimes[] = [];
  for (let date = start, end = start.plusDays(6); !date.isAfter(end); date = date.plusDays(1)) days.push({ date, slots: byDay.get(date.toString()) ?? [] });
  return {
    days,
    previous: earliest && start.isAfter(earliest) ? href(maxDate(earliest, start.minusDays(7))) : undefined,
    next: start.plusDays(7).isBefore(horizonEnd) ? href(start.plusDays(7)) : undefined,
  };
}

/** The Helsinki date of a slot (its times carry the Helsinki offset). */
export function dateOf(slot: FreeSlotView): LocalDate {
  return LocalDate.parse(slot.startsAt.slice(0, 10));
}

/** The confirmation: reference, time, place or channel, the calendar file, the manage link (and the pre-information link). */
export function BookedPage({ ctx, appointment, manageUrl, preInformationUrl }: {
  ctx: PageContext; appointment: AppointmentView; manageUrl: string; preInformationUrl?: string;
}) {
  const b = ctx.t.booking;
  return (
    <Layout ctx={ctx} title={b.bookedTitle} noindex>
      <div class="panel">
        <h1>{b.bookedTitle}</h1>
        <p>{ctx.t.appointment.reference}</p>
        <p class="reference">{appointment.reference}</p>
      </div>
      <p>{b.bookedLead}</p>
      <AppointmentSummary ctx={ctx} appointment={appointment} />
      <div class="actions">
        <a class="hds-button hds-button--secondary" href={`/appointments/${appointment.id}/calendar.ics`} download="appointment.ics">{b.addToCalendar}</a>
      </div>
      {preInformationUrl && (
        <>
          <h2>{b.preInformationHeading}</h2>
          <p>{b.preInformationText}</p>
          <p><a href={preInformationUrl}>{b.preInformationLink}</a></p>
        </>
      )}
      <h2>{b.manageHeading}</h2>
      <p>{b.manageText}</p>
      <p class="manage-link"><a href={manageUrl}>{manageUrl}</a></p>
    </Layout>
  );
}
