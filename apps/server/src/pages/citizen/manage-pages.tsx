import type { AppointmentView } from '@app/booking';
import { interpolate } from '@app/platform';
import { Layout } from '../components/layout';
import { ErrorSummary, Notice, PostForm, SummaryList } from '../components/ui';
import { formatDateTime, formatTime } from '../format';
import type { PageContext } from '../page-context';

export type ManageNotice = 'cancelled-now' | 'deadline-passed' | 'not-active';

const STATUS_KEY = { booked: 'statusBooked', cancelled: 'statusCancelled', fulfilled: 'statusFulfilled', noshow: 'statusNoshow' } as const;

/** The appointment's details, as a summary list. */
export function AppointmentSummary({ ctx, appointment }: { ctx: PageContext; appointment: AppointmentView }) {
  const { t, lang } = ctx;
  const a = t.appointment;
  return (
    <SummaryList
      rows={[
        [a.service, appointment.service.name[lang]],
        [a.time, `${formatDateTime(appointment.startsAt, lang)}–${formatTime(appointment.endsAt, lang)}`],
        [a.place, [appointment.unit.name[lang], appointment.unit.address].filter(Boolean).join(', ')],
        [a.channel, t.channel[appointment.channel]],
        [a.staff, appointment.staff.name],
        [a.reference, appointment.reference],
        [a.status, a[STATUS_KEY[appointment.status]]],
      ]}
    />
  );
}

export interface ManageProps {
  ctx: PageContext;
  appointment: AppointmentView;
  /** May the family still change it online (status booked, before the deadline)? */
  changeable: boolean;
  unitPhone: string | null;
  notice?: ManageNotice;
}

/** What to do once the change deadline has passed: whom to call. */
function CallTheUnit({ ctx, appointment, unitPhone }: { ctx: PageContext; appointment: AppointmentView; unitPhone: string | null }) {
  const m = ctx.t.manage;
  const unit = appointment.unit.name[ctx.lang];
  return (
    <Notice kind="alert">
      <p>
        {m.deadlinePassed}{' '}
        {unitPhone ? (
          <>
            {interpolate(m.callUnit, { unit })} <a href={`tel:${unitPhone.replace(/[^\d+]/g, '')}`}>{unitPhone}</a>.
          </>
        ) : (
          interpolate(m.contactUnit, { unit })
        )}
      </p>
    </Notice>
  );
}

/** The manage page: the appointment, and moving or cancelling it while the deadline allows. */
export function ManagePage({ ctx, appointment, changeable, unitPhone, notice }: ManageProps) {
  const m = ctx.t.manage;
  const base = `/appointments/${appointment.id}`;
  const deadlinePassed = appointment.status === 'booked' && !changeable;
  return (
    <Layout ctx={ctx} title={m.title} noindex>
      <h1>{m.title}</h1>
      {notice === 'cancelled-now' && (
        <Notice kind="success"><p>{m.cancelledNow}</p></Notice>
      )}
      {notice === 'not-active' && (
        <Notice kind="alert"><p>{m.notActive}</p></Notice>
      )}
      {(deadlinePassed || notice === 'deadline-passed') && <CallTheUnit ctx={ctx} appointment={appointment} unitPhone={unitPhone} />}
      {appointment.status === 'cancelled' && notice !== 'cancelled-now' && (
        <Notice><p>{m.cancelled}</p></Notice>
      )}
      <AppointmentSummary ctx={ctx} appointment={appointment} />
      {changeable && (
        <>
          <p>{interpolate(m.changeableUntil, { until: formatDateTime(appointment.changeableUntil, ctx.lang) })}</p>
          <div class="actions">
            <a class="hds-button hds-button--primary" href={`${base}/move`}>{ctx.t.manageMove.move}</a>
            <a class="hds-button hds-button--secondary" href={`${base}/cancel`}>{m.cancel}</a>
          </div>
        </>
      )}
    </Layout>
  );
}

/** The confirmation step before cancelling. */
export function CancelPage({ ctx, appointment, reason, error }: { ctx: PageContext; appointment: AppointmentView; reason?: string; error?: string }) {
  const m = ctx.t.manage;
  const base = `/appointments/${appointment.id}`;
  return (
    <Layout ctx={ctx} title={m.cancelTitle} noindex hasErrors={Boolean(error)}>
      <ErrorSummary title={ctx.t.form.errorSummaryTitle} errors={error ? [{ id: 'reason', message: `${m.cancelReason}: ${error}` }] : []} />
      <h1>{m.cancelTitle}</h1>
      <AppointmentSummary ctx={ctx} appointment={appointment} />
      <p>{m.cancelLead}</p>
      <PostForm ctx={ctx} action={`${base}/cancel`}>
        <div class={`field${error ? ' field--error' : ''}`}>
          <label for="reason">{m.cancelReason}</label>
          <p class="hint" id="reason-hint">{m.cancelReasonHint}</p>
          {error && <p class="error-text" id="reason-error">{error}</p>}
          <input type="text" id="reason" name="reason" value={reason ?? ''} maxLength={500} autoComplete="off"
            aria-describedby={error ? 'reason-hint reason-error' : 'reason-hint'} aria-invalid={error ? 'true' : undefined} />
        </div>
        <div class="actions">
          <button type="submit" class="hds-button hds-button--primary">{m.cancelConfirm}</button>
          <a href={`${base}/manage`}>{m.cancelBack}</a>
        </div>
      </PostForm>
    </Layout>
  );
}
