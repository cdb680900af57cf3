import type { ComponentChildren } from 'preact';
import type { Absence, AppointmentView, ExtraHours, WorkingHours } from '@app/booking';
import { LocalDate, interpolate } from '@app/platform';
import { ErrorSummary, type FieldError, Notice, PostForm } from '../components/ui';
import { formatDate, formatDateTime, formatTime } from '../format';
import { DayList, type CalendarDay } from './calendar-views';
import { StaffLayout, type StaffPageContext } from './staff-layout';

export type ScheduleKind = 'working-hours' | 'extra-hours' | 'absences';

/** What a refused form keeps: which form, the values typed, and the errors by control id. */
export interface FormState {
  kind: ScheduleKind | 'slot';
  values: Record<string, string>;
  errors: FieldError[];
  message?: string;
}

export interface Choice {
  id: string;
  name: string;
}

export interface SchedulePageProps {
  ctx: StaffPageContext;
  staff: Choice;
  /** Other staff whose calendars the caller may edit (admins), for the picker. */
  staffChoices: Choice[];
  services: Choice[];
  serviceNames: Map<string, string>;
  workingHours: WorkingHours[];
  extraHours: ExtraHours[];
  absences: Absence[];
  /** Booked appointments the calendar no longer covers. */
  conflicts: AppointmentView[];
  notice?: string;
  form?: FormState;
}

/** A labelled input with its hint and error, as on the citizen pages. */
export function Field({ id, name, label, hint, value, error, type = 'text', children }: {
  id: string; name?: string; label: string; hint?: string; value?: string; error?: string; type?: string; children?: ComponentChildren;
}) {
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field field--narrow${error ? ' field--error' : ''}`}>
      <label for={id}>{label}</label>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="error-text" id={`${id}-error`}>{error}</p>}
      {children ?? <input type={type} id={id} name={name ?? id} value={value ?? ''} aria-describedby={described} aria-invalid={error ? 'true' : undefined} />}
    </div>
  );
}

function Select({ id, name, label, options, value, error }: { id: string; name: string; label: string; options: Choice[]; value?: string; error?: string }) {
  return (
    <Field id={id} label={label} error={error}>
      <select id={id} name={name} aria-describedby={error ? `${id}-error` : undefined} aria-invalid={error ? 'true' : undefined}>
        {options.map((o) => <option key={o.id} value={o.id} selected={o.id === value}>{o.name}</option>)}
      </select>
    </Field>
  );
}

const hhmm = (time: string) => time.slice(0, 5);

/** The list of booked appointments a change leaves uncovered (or would). */
export function ConflictList({ ctx, appointments }: { ctx: StaffPageContext; appointments: AppointmentView[] }) {
  return (
    <ul class="slot-list">
      {appointments.map((a) => (
        <li class="slot--busy" key={a.id}>
          <span class="time">{formatDateTime(a.startsAt, ctx.lang)}–{formatTime(a.endsAt, ctx.lang)}</span>
          <a href={`/staff/appointments/${a.id}`}>{a.contact.name}</a>
          <span>{a.service.name[ctx.lang]}</span>
          <span>{a.reference}</span>
        </li>
      ))}
    </ul>
  );
}

/** Weekly hours, extra hours and absences of one staff member: list, add, remove. */
export function SchedulePage(p: SchedulePageProps) {
  const { ctx, staff, form } = p;
  const t = ctx.s.schedule;
  const { lang } = ctx;
  const own = staff.id === ctx.caller!.auth.staffId;
  const title = own ? t.title : interpolate(t.titleOf, { name: staff.name });
  const err = (kind: FormState['kind'], id: string) => (form?.kind === kind ? form.errors.find((e) => e.id === id)?.message : undefined);
  const val = (kind: FormState['kind'], name: string, fallback = '') => (form?.kind === kind ? form.values[name] ?? fallback : fallback);
  const hidden = <input type="hidden" name="staff" value={staff.id} />;
  const remove = (kind: ScheduleKind, id: string, what: string) => (
    <PostForm ctx={ctx} action={`/staff/schedule/${kind}/${id}/remove`}>
      {hidden}
      <button type="submit" class="link-button" aria-label={interpolate(t.removeLabel, { what })}>{t.remove}</button>
    </PostForm>
  );
  const weekdays = t.weekdays.map((name, i) => ({ id: String(i + 1), name }));
  const submit = (label: string) => (
    <button type="submit" class="hds-button hds-button--secondary"><span class="hds-button__label">{label}</span></button>
  );
  return (
    <StaffLayout ctx={ctx} title={title} section="calendar" hasErrors={!!form?.errors.length || !!form?.message}>
      <h1>{title}</h1>
      {form && (form.errors.length > 0 || form.message) && (
        <ErrorSummary title={t.errorTitle} errors={form.errors.length ? form.errors : [{ id: `${form.kind}-form`, message: form.message! }]} />
      )}
      {p.notice && <Notice kind="success"><p>{p.notice}</p></Notice>}
      {p.conflicts.length > 0 && (
        <Notice kind="alert">
          <p>{t.conflictsAfter}</p>
          <ConflictList ctx={ctx} appointments={p.conflicts} />
        </Notice>
      )}
      {p.staffChoices.length > 1 && (
        <form method="get" action="/staff/schedule" class="filters">
          <Select id="staff" name="staff" label={t.staffLabel} options={p.staffChoices} value={staff.id} />
          {submit(t.show)}
        </form>
      )}
      <p><a href="/staff/calendar">{ctx.s.appointment.back}</a></p>

      <h2 id="working-hours-form">{t.workingHours}</h2>
      {p.workingHours.length === 0 ? <p>{t.noWorkingHours}</p> : (
        <ul class="slot-list">
          {p.workingHours.map((w) => {
            const text = `${t.weekdays[w.weekday - 1]} ${hhmm(w.startTime)}–${hhmm(w.endTime)}`;
            return (
              <li key={w.id}>
                <span class="time">{text}</span>
                <span>{p.serviceNames.get(w.serviceId) ?? ''}</span>
                <span>{formatDate(LocalDate.parse(w.validFrom), lang)} – {w.validTo ? formatDate(LocalDate.parse(w.validTo), lang) : t.untilFurther}</span>
                {remove('working-hours', w.id, text)}
              </li>
            );
          })}
        </ul>
      )}
      {p.services.length > 0 && (
        <PostForm ctx={ctx} action="/staff/schedule/working-hours">
          {hidden}
          <div class="filters">
            <Select id="wh-serviceId" name="serviceId" label={t.service} options={p.services} value={val('working-hours', 'serviceId')} error={err('working-hours', 'wh-serviceId')} />
            <Select id="wh-weekday" name="weekday" label={t.weekday} options={weekdays} value={val('working-hours', 'weekday', '1')} error={err('working-hours', 'wh-weekday')} />
            <Field id="wh-startTime" name="startTime" type="time" label={t.startTime} value={val('working-hours', 'startTime')} error={err('working-hours', 'wh-startTime')} />
            <Field id="wh-endTime" name="endTime" type="time" label={t.endTime} value={val('working-hours', 'endTime')} error={err('working-hours', 'wh-endTime')} />
            <Field id="wh-validFrom" name="validFrom" type="date" label={t.validFrom} value={val('working-hours', 'validFrom')} error={err('working-hours', 'wh-validFrom')} />
            <Field id="wh-validTo" name="validTo" type="date" label={t.validTo} hint={t.validToHint} value={val('working-hours', 'validTo')} error={err('working-hours', 'wh-validTo')} />
          </div>
          {submit(t.addWorkingHours)}
        </PostForm>
      )}

      <h2 id="extra-hours-form">{t.extraHours}</h2>
      {p.extraHours.length === 0 ? <p>{t.noExtraHours}</p> : (
        <ul class="slot-list">
          {p.extraHours.map((x) => {
            const text = `${formatDate(LocalDate.parse(x.date), lang)} ${hhmm(x.startTime)}–${hhmm(x.endTime)}`;
            return (
              <li key={x.id}>
                <span class="time">{text}</span>
                <span>{p.serviceNames.get(x.serviceId) ?? ''}</span>
                {remove('extra-hours', x.id, text)}
              </li>
            );
          })}
        </ul>
      )}
      {p.services.length > 0 && (
        <PostForm ctx={ctx} action="/staff/schedule/extra-hours">
          {hidden}
          <div class="filters">
            <Select id="xh-serviceId" name="serviceId" label={t.service} options={p.services} value={val('extra-hours', 'serviceId')} error={err('extra-hours', 'xh-serviceId')} />
            <Field id="xh-date" name="date" type="date" label={t.date} value={val('extra-hours', 'date')} error={err('extra-hours', 'xh-date')} />
            <Field id="xh-startTime" name="startTime" type="time" label={t.startTime} value={val('extra-hours', 'startTime')} error={err('extra-hours', 'xh-startTime')} />
            <Field id="xh-endTime" name="endTime" type="time" label={t.endTime} value={val('extra-hours', 'endTime')} error={err('extra-hours', 'xh-endTime')} />
          </div>
          {submit(t.addExtraHours)}
        </PostForm>
      )}

      <h2 id="absences-form">{t.absences}</h2>
      {p.absences.length === 0 ? <p>{t.noAbsences}</p> : (
        <ul class="slot-list">
          {p.absences.map((a) => {
            const text = `${formatDateTime(a.startsAt, lang)} – ${formatDateTime(a.endsAt, lang)}`;
            return (
              <li key={a.id} class="slot--busy-unavailable">
                <span class="time">{text}</span>
                {a.reason && <span>{a.reason}</span>}
                {remove('absences', a.id, text)}
              </li>
            );
          })}
        </ul>
      )}
      <PostForm ctx={ctx} action="/staff/schedule/absences">
        {hidden}
        <AbsenceFields ctx={ctx} values={form?.kind === 'absences' ? form.values : {}} errors={form?.kind === 'absences' ? form.errors : []} />
        {submit(t.addAbsence)}
      </PostForm>
    </StaffLayout>
  );
}

function AbsenceFields({ ctx, values, errors }: { ctx: StaffPageContext; values: Record<string, string>; errors: FieldError[] }) {
  const t = ctx.s.schedule;
  const err = (id: string) => errors.find((e) => e.id === id)?.message;
  return (
    <>
      <div class="filters">
        <Field id="ab-startDate" name="startDate" type="date" label={t.startDate} value={values.startDate} error={err('ab-startDate')} />
        <Field id="ab-startTime" name="startTime" type="time" label={t.startTime} value={values.startTime} error={err('ab-startTime')} />
        <Field id="ab-endDate" name="endDate" type="date" label={t.endDate} value={values.endDate} error={err('ab-endDate')} />
        <Field id="ab-endTime" name="endTime" type="time" label={t.endTime} value={values.endTime} error={err('ab-endTime')} />
      </div>
      <Field id="ab-reason" name="reason" label={t.reason} hint={t.reasonHint} value={values.reason} error={err('ab-reason')} />
    </>
  );
}

/** Before an absence that hits booked times is saved: the times, and saving anyway or going back. */
export function AbsenceConfirmPage({ ctx, staffId, values, from, to, hits }: {
  ctx: StaffPageContext; staffId: string; values: Record<string, string>; from: string; to: string; hits: AppointmentView[];
}) {
  const t = ctx.s.schedule;
  const back = staffId === ctx.caller!.auth.staffId ? '/staff/schedule' : `/staff/schedule?staff=${staffId}`;
  return (
    <StaffLayout ctx={ctx} title={t.confirmTitle} section="calendar">
      <h1>{t.confirmTitle}</h1>
      <Notice kind="alert">
        <p>{interpolate(t.confirmLead, { from: formatDateTime(from, ctx.lang), to: formatDateTime(to, ctx.lang) })}</p>
      </Notice>
      <ConflictList ctx={ctx} appointments={hits} />
      <PostForm ctx={ctx} action="/staff/schedule/absences">
        <input type="hidden" name="staff" value={staffId} />
        {['startDate', 'startTime', 'endDate', 'endTime', 'reason'].map((name) => <input key={name} type="hidden" name={name} value={values[name] ?? ''} />)}
        <input type="hidden" name="confirmed" value="1" />
        <div class="actions">
          <button type="submit" class="hds-button hds-button--primary"><span class="hds-button__label">{t.confirm}</span></button>
          <a href={back}>{t.back}</a>
        </div>
      </PostForm>
    </StaffLayout>
  );
}

/** Adding a single slot: a form on the calendar, and a page of its own when it was refused. */
export function SlotForm({ ctx, services, form }: { ctx: StaffPageContext; services: Choice[]; form?: FormState }) {
  const t = ctx.s.schedule;
  const err = (id: string) => (form?.kind === 'slot' ? form.errors.find((e) => e.id === id)?.message : undefined);
  const val = (name: string) => (form?.kind === 'slot' ? form.values[name] : undefined);
  if (!services.length) return null;
  return (
    <PostForm ctx={ctx} action="/staff/slots">
      <div class="filters">
        <Select id="slot-serviceId" name="serviceId" label={t.service} options={services} value={val('serviceId')} error={err('slot-serviceId')} />
        <Field id="slot-date" name="date" type="date" label={t.date} value={val('date')} error={err('slot-date')} />
        <Field id="slot-time" name="time" type="time" label={t.slotTime} value={val('time')} error={err('slot-time')} />
      </div>
      <button type="submit" class="hds-button hds-button--secondary"><span class="hds-button__label">{t.addSlot}</span></button>
    </PostForm>
  );
}

export function SlotFormPage({ ctx, services, form }: { ctx: StaffPageContext; services: Choice[]; form: FormState }) {
  const t = ctx.s.schedule;
  return (
    <StaffLayout ctx={ctx} title={t.slotsHeading} section="calendar" hasErrors>
      <h1>{t.slotsHeading}</h1>
      <ErrorSummary title={t.errorTitle} errors={form.errors.length ? form.errors : [{ id: 'slot-serviceId', message: form.message ?? '' }]} />
      <SlotForm ctx={ctx} services={services} form={form} />
      <p><a href="/staff/calendar">{ctx.s.appointment.back}</a></p>
    </StaffLayout>
  );
}

export interface UnitColumn {
  staff: Choice;
  day: CalendarDay;
}

/** All calendar staff of one unit for a day, one list each. */
export function UnitDayPage({ ctx, units, unit, date, columns, back }: {
  ctx: StaffPageContext; units: Choice[]; unit: Choice; date: string; columns: UnitColumn[]; back: string;
}) {
  const t = ctx.s.schedule;
  const c = ctx.s.calendar;
  const { lang } = ctx;
  const day = columns[0]?.day.date;
  const heading = interpolate(t.unitTitle, { unit: unit.name, date: day ? formatDate(day, lang) : date });
  const href = (to: string) => `/staff/calendar/unit?unit=${unit.id}&date=${to}`;
  return (
    <StaffLayout ctx={ctx} title={heading} section="calendar">
      <h1>{t.unitView}</h1>
      <p class="lead">{heading}</p>
      {day && (
        <nav class="pager" aria-label={t.unitView}>
          <a href={href(day.minusDays(1).toString())}>{c.previousDay}</a>
          <a href={href(day.plusDays(1).toString())}>{c.nextDay}</a>
          <a href="/staff/calendar">{c.title}</a>
        </nav>
      )}
      <form method="get" action="/staff/calendar/unit" class="filters">
        {units.length > 1 ? <Select id="unit" name="unit" label={t.unitLabel} options={units} value={unit.id} /> : <input type="hidden" name="unit" value={unit.id} />}
        <Field id="date" name="date" type="date" label={c.jumpTo} value={date} />
        <button type="submit" class="hds-button hds-button--secondary"><span class="hds-button__label">{c.go}</span></button>
      </form>
      {columns.length === 0 && <p>{t.noStaff}</p>}
      {columns.map((col) => (
        <section class="day" key={col.staff.id} aria-labelledby={`staff-${col.staff.id}`}>
          <h2 id={`staff-${col.staff.id}`}>{col.staff.name}</h2>
          <DayList ctx={ctx} day={col.day} back={back} staffId={col.staff.id} />
        </section>
      ))}
    </StaffLayout>
  );
}
