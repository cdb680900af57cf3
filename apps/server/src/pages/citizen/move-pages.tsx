import type { AppointmentView, FreeSlotView } from '@app/booking';
import { interpolate } from '@app/platform';
import { Layout } from '../components/layout';
import { Notice, PostForm, SummaryList } from '../components/ui';
import { formatDateTime, formatTime } from '../format';
import type { PageContext } from '../page-context';
import { AppointmentSummary } from './manage-pages';

/** An appointment's or a slot's time as one line: `ke 4.3.2026 klo 8.00–8.20`. */
export function timeRange(ctx: PageContext, time: { startsAt: string; endsAt: string }): string {
  return `${formatDateTime(time.startsAt, ctx.lang)}–${formatTime(time.endsAt, ctx.lang)}`;
}

/** Above the week of free times: the time being moved, whose language the new times keep, and the way back. */
export function MoveNotice({ ctx, appointment, languageBound }: { ctx: PageContext; appointment: AppointmentView; languageBound: boolean }) {
  const m = ctx.t.manageMove;
  return (
    <Notice>
      <p>{interpolate(m.currentTime, { time: timeRange(ctx, appointment) })}</p>
      {languageBound && <p>{m.sameLanguage}</p>}
      <p><a href={`/appointments/${appointment.id}/manage`}>{m.back}</a></p>
    </Notice>
  );
}

/** On the "taken" page of a move: the appointment still holds its time, and the way back to it. */
export function StillBooked({ ctx, appointment }: { ctx: PageContext; appointment: AppointmentView }) {
  const m = ctx.t.manageMove;
  return (
    <p>
      {interpolate(m.stillBooked, { time: timeRange(ctx, appointment) })} <a href={`/appointments/${appointment.id}/manage`}>{m.back}</a>
    </p>
  );
}

/** Check the move: the current and the new time side by side, then one button that moves it. */
export function MoveCheckPage({ ctx, appointment, slot, timesHref }: {
  ctx: PageContext; appointment: AppointmentView; slot: FreeSlotView; timesHref: string;
}) {
  const m = ctx.t.manageMove;
  const a = ctx.t.appointment;
  const base = `/appointments/${appointment.id}`;
  const samePlace = slot.unit.id === appointment.unit.id;
  const place = samePlace ? [appointment.unit.name[ctx.lang], appointment.unit.address].filter(Boolean).join(', ') : slot.unit.name[ctx.lang];
  return (
    <Layout ctx={ctx} title={m.checkTitle} noindex>
      <p class="caption">{appointment.service.name[ctx.lang]}</p>
      <h1>{m.checkTitle}</h1>
      <SummaryList rows={[
        [m.currentLabel, timeRange(ctx, appointment)],
        [m.newLabel, <strong key="new">{timeRange(ctx, slot)}</strong>],
        [a.place, samePlace ? place : <strong key="place">{place}</strong>],
        [a.staff, slot.staff.name],
        [a.channel, ctx.t.channel[appointment.channel]],
        [a.reference, appointment.reference],
      ]} />
      <p>{m.checkLead}</p>
      <PostForm ctx={ctx} action={`${base}/move/${slot.id}`}>
        <input type="hidden" name="to" value={slot.startsAt} />
        <div class="actions">
          <button type="submit" name="_go" value="confirm" class="hds-button hds-button--primary">{m.confirm}</button>
        </div>
      </PostForm>
      <p><a href={timesHref}>{m.otherTime}</a></p>
      <p><a href={`${base}/manage`}>{m.back}</a></p>
    </Layout>
  );
}

/** The appointment at its new time: reference, the details, the calendar file, the way back to the appointment. */
export function MovedPage({ ctx, appointment }: { ctx: PageContext; appointment: AppointmentView }) {
  const m = ctx.t.manageMove;
  const base = `/appointments/${appointment.id}`;
  return (
    <Layout ctx={ctx} title={m.movedTitle} noindex>
      <div class="panel">
        <h1>{m.movedTitle}</h1>
        <p>{m.newLabel}: <strong>{timeRange(ctx, appointment)}</strong></p>
      </div>
      <p>{m.movedLead}</p>
      <AppointmentSummary ctx={ctx} appointment={appointment} />
      <div class="actions">
        <a class="hds-button hds-button--secondary" href={`${base}/calendar.ics`} download="appointment.ics">{ctx.t.booking.addToCalendar}</a>
      </div>
      <p><a href={`${base}/manage`}>{m.backToAppointment}</a></p>
    </Layout>
  );
}
