import type { ComponentChildren, JSX } from 'preact';
import type { AppointmentEventView, AppointmentView, StaffSlotView } from '@app/booking';
import type { AnsweredQuestion } from '@app/forms';
import { isAdmin } from '@app/identity';
import { type LocalDate, interpolate } from '@app/platform';
import { Notice, PostForm, SummaryList } from '../components/ui';
import { formatDate, formatDateTime, formatTime } from '../format';
import { SlotBlockForm } from './slot-block-form';
import { StaffLayout, type StaffPageContext } from './staff-layout';

export interface CalendarDay {
  date: LocalDate;
  slots: StaffSlotView[];
  appointments: (AppointmentView & { preInformation: boolean })[];
}

export interface CalendarProps {
  ctx: StaffPageContext;
  notice?: string;
  /** The form to add a single slot, and links to the other calendar pages. */
  tools?: ComponentChildren;
  view: 'day' | 'week';
  date: LocalDate;
  week: number;
  days: CalendarDay[];
  today: LocalDate;
}

const STATUS_KEY = { booked: 'statusBooked', cancelled: 'statusCancelled', fulfilled: 'statusFulfilled', noshow: 'statusNoshow' } as const;

/**
 * One day's times in order: the appointments (with the family, service,
 * channel, pre-information) and the slots not taken, each with block or
 * unblock, and remove for a single slot (`back`: the page to return to).
 */
export function DayList({ ctx, day, back, staffId }: { ctx: StaffPageContext; day: CalendarDay; back: string; /** Whose calendar it is. */ staffId: string }) {
  const auth = ctx.caller!.auth;
  const removable = staffId === auth.staffId || isAdmin(auth);
  const c = ctx.s.calendar;
  const { lang } = ctx;
  type Entry = { at: string; node: JSX.Element };
  const entries: Entry[] = [];
  for (const a of day.appointments.filter((x) => x.status !== 'cancelled')) {
    entries.push({
      at: a.startsAt,
      node: (
        <li class="slot--busy" key={a.id}>
          <span class="time">{formatTime(a.startsAt, lang)}–{formatTime(a.endsAt, lang)}</span>
          <a href={`/staff/appointments/${a.id}`}>{a.contact.name}</a>
          <span>{a.service.name[lang]}</span>
          <span>{ctx.t.channel[a.channel]}</span>
          {a.preInformation ? <span class="tag tag--ok">{c.preInformation}</span> : <span class="visually-hidden">{c.noPreInformation}</span>}
          {a.status !== 'booked' && <span class="tag">{ctx.s.appointment[STATUS_KEY[a.status]]}</span>}
          {a.conflict && <span class="tag tag--overdue">{c.conflict}</span>}
        </li>
      ),
    });
  }
  for (const s of day.slots.filter((x) => x.status !== 'busy' || x.capacity > 1)) {
    const label = s.blocked || s.status === 'busy-unavailable' ? c.blocked : s.status === 'busy' ? c.booked : c.free;
    entries.push({
      at: s.startsAt,
      node: (
        <li class={`slot--${s.blocked ? 'busy-unavailable' : s.status}`} key={s.id}>
          <span class="time">{formatTime(s.startsAt, lang)}–{formatTime(s.endsAt, lang)}</span>
          <span>{label}</span>
          {s.capacity > 1 && <span>{interpolate(c.places, { booked: s.booked, capacity: s.capacity })}</span>}
          <SlotBlockForm ctx={ctx} slot={s} back={back} removable={removable} />
        </li>
      ),
    });
  }
  entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (!entries.length) return <p>{c.nothing}</p>;
  return <ul class="slot-list">{entries.map((e) => e.node)}</ul>;
}

/** My day or week: next and previous, today, jump to a date; a list per day (no script, no grid to scroll). */
export function CalendarPage({ ctx, view, date, week, days, today, notice, tools }: CalendarProps) {
  const c = ctx.s.calendar;
  const { lang } = ctx;
  const step = view === 'week' ? 7 : 1;
  const href = (to: LocalDate, v = view) => `/staff/calendar?view=${v}&date=${to.toString()}`;
  const heading = view === 'week'
    ? interpolate(c.weekTitle, { week, from: formatDate(days[0].date, lang), to: formatDate(days[days.length - 1].date, lang) })
    : interpolate(c.dayTitle, { date: formatDate(date, lang) });
  return (
    <StaffLayout ctx={ctx} title={`${c.title}: ${heading}`} section="calendar">
      <h1>{c.title}</h1>
      <p class="lead">{heading}</p>
      {notice && <Notice kind="success"><p>{notice}</p></Notice>}
      <nav class="pager" aria-label={c.title}>
        <a href={href(date.minusDays(step))}>{view === 'week' ? c.previousWeek : c.previousDay}</a>
        <a href={href(today)}>{c.today}</a>
        <a href={href(date.plusDays(step))}>{view === 'week' ? c.nextWeek : c.nextDay}</a>
        {view === 'week' ? <a href={href(date, 'day')}>{c.day}</a> : <a href={href(date, 'week')}>{c.week}</a>}
      </nav>
      <form method="get" action="/staff/calendar" class="filters">
        <input type="hidden" name="view" value={view} />
        <div class="field">
          <label for="date">{c.jumpTo}</label>
          <input type="date" id="date" name="date" value={date.toString()} />
        </div>
        <button type="submit" class="hds-button hds-button--secondary"><span class="hds-button__label">{c.go}</span></button>
      </form>
      {days.map((day) => (
        <section class="day" key={day.date.toString()} aria-labelledby={`day-${day.date.toString()}`}>
          <h2 id={`day-${day.date.toString()}`}>{formatDate(day.date, lang)}</h2>
          <DayList ctx={ctx} day={day} back={href(date)} staffId={ctx.caller!.auth.staffId} />
        </section>
      ))}
      {tools}
    </StaffLayout>
  );
}

export interface PreInformationView {
  id: string;
  reference: string;
  submittedAt: string;
  form: { title: string };
  answers: AnsweredQuestion[];
  pdf: string;
}

export interface AppointmentPageProps {
  ctx: StaffPageContext;
  appointment: AppointmentView & { history?: AppointmentEventView[]; preInformation: PreInformationView[] };
  /** Whether it has begun: only then can it be marked done or no-show. */
  begun: boolean;
  notice?: string;
  error?: string;
  reason?: string;
}

/** An appointment as staff see it: the family's details, the pre-information, the history; done, no-show, cancel. */
export function AppointmentPage({ ctx, appointment: a, begun, notice, error, reason }: AppointmentPageProps) {
  const t = ctx.s.appointment;
  const { lang } = ctx;
  const title = interpolate(t.title, { reference: a.reference });
  const actor = (type: string) => (type === 'family' ? t.byFamily : type === 'staff' ? t.byStaff : t.bySystem);
  return (
    <StaffLayout ctx={ctx} title={title} section="calendar" hasErrors={!!error}>
      <h1>{title}</h1>
      {error && <div class="error-summary" role="alert"><h2>{ctx.s.common.errorTitle}</h2><p><a href="#cancel-reason">{error}</a></p></div>}
      {notice && <Notice kind="success"><p>{notice}</p></Notice>}
      {a.conflict && <Notice kind="alert"><p>{t.conflict}</p></Notice>}
      {a.status === 'booked' && <p><a href={`/staff/appointments/${a.id}/move`}>{ctx.s.schedule.move.link}</a></p>}
      <SummaryList
        rows={[
          [t.time, `${formatDateTime(a.startsAt, lang)}–${formatTime(a.endsAt, lang)}`],
          [t.service, a.service.name[lang]],
          [t.channel, ctx.t.channel[a.channel]],
          [t.status, t[STATUS_KEY[a.status]]],
          [t.family, a.contact.name],
          [t.email, a.contact.email ?? ctx.s.common.none],
          [t.phone, a.contact.phone ?? ctx.s.common.none],
          [t.child, a.childName ?? ctx.s.common.none],
          [t.language, a.language.toUpperCase()],
          [t.note, a.note ?? ctx.s.common.none],
          [t.unit, a.unit.name[lang]],
          [t.staff, a.staff.name],
          ...(a.cancelReason ? [[t.cancelReason, a.cancelReason] as [string, string]] : []),
        ]}
      />
      {a.status === 'booked' && begun && (
        <div class="actions">
          <PostForm ctx={ctx} action={`/staff/appointments/${a.id}/status`}>
            <input type="hidden" name="status" value="fulfilled" />
            <button type="submit" class="hds-button hds-button--primary"><span class="hds-button__label">{t.markDone}</span></button>
          </PostForm>
          <PostForm ctx={ctx} action={`/staff/appointments/${a.id}/status`}>
            <input type="hidden" name="status" value="noshow" />
            <button type="submit" class="hds-button hds-button--secondary"><span class="hds-button__label">{t.markNoShow}</span></button>
          </PostForm>
        </div>
      )}
      <h2>{t.preInformation}</h2>
      {a.preInformation.length === 0 ? <p>{t.noPreInformation}</p> : a.preInformation.map((p) => (
        <section key={p.id} aria-label={p.form.title}>
          <p>{p.form.title}, {interpolate(t.submittedAt, { at: formatDateTime(p.submittedAt, lang) })}</p>
          <dl class="summary-list">
            {p.answers.map((q) => (
              <div key={q.answer}>
                <dt>{q.label}</dt>
                <dd>{q.items ? q.items.map((entry) => entry.map((e) => `${e.label}: ${e.value}`).join(', ')).join('; ') : q.value}</dd>
              </div>
            ))}
          </dl>
          <p><a href={p.pdf}>{t.pdf}</a></p>
        </section>
      ))}
      {a.status === 'booked' && (
        <>
          <h2>{t.cancelHeading}</h2>
          <PostForm ctx={ctx} action={`/staff/appointments/${a.id}/cancel`}>
            <div class={`field${error ? ' field--error' : ''}`}>
              <label for="cancel-reason">{t.cancelReasonLabel}</label>
              <p class="hint" id="cancel-reason-hint">{t.cancelReasonHint}</p>
              <input type="text" id="cancel-reason" name="reason" maxLength={500} value={reason ?? ''} aria-describedby="cancel-reason-hint" />
            </div>
            <button type="submit" class="hds-button hds-button--secondary"><span class="hds-button__label">{t.cancel}</span></button>
          </PostForm>
        </>
      )}
      <h2>{t.history}</h2>
      <ol>
        {(a.history ?? []).map((e, n) => (
          <li key={n}>
            {formatDateTime(e.at, lang)}: {(t.actions as Record<string, string>)[e.action] ?? t.actions.other} ({actor(e.actor.type)})
            {e.toStartsAt && e.action === 'rescheduled' ? ` → ${formatDateTime(e.toStartsAt, lang)}` : ''}
            {e.reason ? `: ${e.reason}` : ''}
          </li>
        ))}
      </ol>
      <p><a href={`/staff/calendar?view=day&date=${a.startsAt.slice(0, 10)}`}>{t.back}</a></p>
    </StaffLayout>
  );
}
