import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  AbsenceDto, type AppointmentView, AppointmentsService, CalendarService, ExtraHoursDto, ManualSlotDto, type Service, ServicesService, SlotsService, WorkingHoursDto,
} from '@app/booking';
import { SubmissionsService } from '@app/forms';
import { type AuthContext, StaffService, UnitsService, actsIn, isAdmin } from '@app/identity';
import { Clock, DomainError, HelsinkiDateTime, LocalDate, LocalTime, helsinkiDateOf } from '@app/platform';
import { renderError } from '../../http/error.filter';
import { createValidationPipe } from '../../http/validation';
import type { FieldError } from '../components/ui';
import { redirectTo, sendPage } from '../render';
import type { CalendarDay } from './calendar-views';
import { AbsenceConfirmPage, type Choice, type FormState, type ScheduleKind, SchedulePage, SlotFormPage, type UnitColumn, UnitDayPage } from './schedule-views';
import { StaffPageKit, field } from './staff-kit';
import type { StaffPageContext } from './staff-layout';
import { dateParam } from '../format';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}$/;
const KINDS: ScheduleKind[] = ['working-hours', 'extra-hours', 'absences'];
/** Refusals a schedule or slot form answers on its own page; anything else (forbidden, not found) is the error page. */
const SHOWN_ON_PAGE = new Set(['validation_failed', 'unknown_reference', 'already_exists', 'slot_in_past', 'invalid_range']);
/** Where a block or unblock returns: a calendar page of this site. */
const BACK = /^\/staff\/calendar(\/unit)?(\?[A-Za-z0-9=&._-]*)?$/;

/** The page controls of each form's fields (the DTO's names), by the DTO field a refusal names. */
const CONTROLS: Record<FormState['kind'], Record<string, string>> = {
  'working-hours': { serviceId: 'wh-serviceId', unitId: 'wh-serviceId', weekday: 'wh-weekday', startTime: 'wh-startTime', endTime: 'wh-endTime', validFrom: 'wh-validFrom', validTo: 'wh-validTo' },
  'extra-hours': { serviceId: 'xh-serviceId', unitId: 'xh-serviceId', date: 'xh-date', startTime: 'xh-startTime', endTime: 'xh-endTime' },
  absences: { startsAt: 'ab-startDate', startDate: 'ab-startDate', startTime: 'ab-startTime', endsAt: 'ab-endDate', endDate: 'ab-endDate', endTime: 'ab-endTime', reason: 'ab-reason' },
  slot: { serviceId: 'slot-serviceId', unitId: 'slot-serviceId', startsAt: 'slot-date', date: 'slot-date', time: 'slot-time' },
};
const FIELDS: Record<FormState['kind'], string[]> = {
  'working-hours': ['serviceId', 'weekday', 'startTime', 'endTime', 'validFrom', 'validTo'],
  'extra-hours': ['serviceId', 'date', 'startTime', 'endTime'],
  absences: ['startDate', 'startTime', 'endDate', 'endTime', 'reason'],
  slot: ['serviceId', 'date', 'time'],
};

const pipe = createValidationPipe();

/**
 * Working hours, extra hours and absences, single slots and blocking, and a
 * unit's day: through the booking lib's CalendarService and SlotsService,
 * with their rules (own calendar, admins any; hours and slots only in one's
 * own units' services). An absence that would leave booked times uncovered
 * is shown first with those times, and saved only when confirmed.
 */
@Injectable()
export class SchedulePages {
  constructor(
    private readonly kit: StaffPageKit,
    private readonly calendar: CalendarService,
    private readonly slots: SlotsService,
    private readonly appointments: AppointmentsService,
    private readonly services: ServicesService,
    private readonly staff: StaffService,
    private readonly units: UnitsService,
    private readonly submissions: SubmissionsService,
    private readonly clock: Clock,
  ) {}

  async page(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res);
    if (!ctx) return;
    const notice = req.query.done === 'added' ? ctx.s.schedule.added : req.query.done === 'removed' ? ctx.s.schedule.removed : undefined;
    await this.show(ctx, res, staffOf(ctx.caller!.auth, req.query.staff), { notice });
  }

  async add(req: Request, res: Response, kind: string): Promise<void> {
    const ctx = await this.kit.posted(req, res);
    if (!ctx) return;
    if (!(KINDS as string[]).includes(kind)) throw new DomainError('not_found');
    const auth = ctx.caller!.auth;
    const staffId = staffOf(auth, field(req.body, 'staff'));
    const values = valuesOf(req.body, FIELDS[kind as ScheduleKind]);
    try {
      if (kind === 'working-hours') {
        const dto = await validated(WorkingHoursDto, { ...values, weekday: /^\d{1,2}$/.test(values.weekday ?? '') ? Number(values.weekday) : values.weekday });
        await this.calendar.addWorkingHours(auth, staffId, dto);
      } else if (kind === 'extra-hours') {
        await this.calendar.addExtraHours(auth, staffId, await validated(ExtraHoursDto, values));
      } else {
        const dto = await validated(AbsenceDto, absenceOf(values));
        if (field(req.body, 'confirmed') !== '1') {
          const hits = await this.hits(auth, staffId, dto);
          if (hits.length) {
            return sendPage(res, <AbsenceConfirmPage ctx={ctx} staffId={staffId} values={values} from={dto.startsAt} to={dto.endsAt} hits={hits} />);
          }
        }
        await this.calendar.addAbsence(auth, staffId, dto);
      }
    } catch (error) {
      return this.refused(ctx, res, staffId, kind as ScheduleKind, values, error);
    }
    redirectTo(res, `${scheduleHref(auth, staffId)}${staffId === auth.staffId ? '?' : '&'}done=added`);
  }

  async remove(req: Request, res: Response, kind: string, id: string): Promise<void> {
    const ctx = await this.kit.posted(req, res);
    if (!ctx) return;
    const auth = ctx.caller!.auth;
    const staffId = staffOf(auth, field(req.body, 'staff'));
    if (kind === 'working-hours') await this.calendar.removeWorkingHours(auth, staffId, id);
    else if (kind === 'extra-hours') await this.calendar.removeExtraHours(auth, staffId, id);
    else if (kind === 'absences') await this.calendar.removeAbsence(auth, staffId, id);
    else throw new DomainError('not_found');
    redirectTo(res, `${scheduleHref(auth, staffId)}${staffId === auth.staffId ? '?' : '&'}done=removed`);
  }

  /**
   * Blocks or unblocks a slot (one's own or one's units'), or removes a single
   * slot nobody booked (one's own; an admin's any), back to the calendar page
   * it was done on.
   */
  async blockSlot(req: Request, res: Response, id: string, action: string): Promise<void> {
    const ctx = await this.kit.posted(req, res);
    if (!ctx) return;
    if (action !== 'block' && action !== 'unblock' && action !== 'remove') throw new DomainError('not_found');
    const auth = ctx.caller!.auth;
    const asked = field(req.body, 'back');
    let date: string | undefined;
    if (action === 'remove') await this.slots.removeManual(auth, id);
    else date = (await this.slots.setBlocked(auth, id, action === 'block')).startsAt.slice(0, 10);
    const back = asked && BACK.test(asked) ? asked : `/staff/calendar${date ? `?view=day&date=${date}` : ''}`;
    redirectTo(res, `${back}${back.includes('?') ? '&' : '?'}done=${action === 'remove' ? 'slot-removed' : `${action}ed`}`);
  }

  /** Adds a single slot to one's own calendar; a refusal is the form again with the message. */
  async addSlot(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.posted(req, res);
    if (!ctx) return;
    const auth = ctx.caller!.auth;
    const values = valuesOf(req.body, FIELDS.slot);
    let slot;
    try {
      const startsAt = instantOf(values.date, values.time);
      const dto = await validated(ManualSlotDto, { serviceId: values.serviceId, startsAt: startsAt ?? `${values.date ?? ''}T${values.time ?? ''}` });
      slot = await this.slots.addManual(auth, auth.staffId, dto);
    } catch (error) {
      if (!(error instanceof DomainError) || !SHOWN_ON_PAGE.has(error.code)) throw error;
      const body = renderError(error, ctx.lang);
      const form = formState('slot', values, body.fields ?? [], body.message);
      return sendPage(res, <SlotFormPage ctx={ctx} services={await this.serviceChoices(ctx)} form={form} />, body.status);
    }
    redirectTo(res, `/staff/calendar?view=day&date=${slot.startsAt.slice(0, 10)}&done=slot-added`);
  }

  /** The services whose hours and slots the caller may add: their units' (admins: all). */
  async serviceChoices(ctx: StaffPageContext, services?: Service[]): Promise<Choice[]> {
    const auth = ctx.caller!.auth;
    return (services ?? (await this.services.list())).filter((s) => s.active && actsIn(auth, s.unitId)).map((s) => ({ id: s.id, name: s.name[ctx.lang] }));
  }

  /** A unit's day: every staff member with a calendar there, with the unit's slots and appointments. */
  async unitDay(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res);
    if (!ctx) return;
    const auth = ctx.caller!.auth;
    const all = await this.units.list();
    const mine = all.filter((u) => actsIn(auth, u.id)).map((u) => ({ id: u.id, name: u.name[ctx.lang] }));
    const asked = typeof req.query.unit === 'string' ? req.query.unit : undefined;
    const unit = asked ? mine.find((u) => u.id === asked) : mine[0];
    if (!unit) throw new DomainError(asked && UUID.test(asked) && all.some((u) => u.id === asked) ? 'forbidden' : mine.length ? 'not_found' : 'forbidden');
    const date = dateParam(req.query.date) ?? helsinkiDateOf(this.clock.now());
    const people = (await this.staff.list()).filter((s) => s.active && s.unitIds.includes(unit.id));
    const columns: UnitColumn[] = [];
    for (const person of people) {
      const found = await this.calendar.view(person.id, date.toString(), date.toString());
      const day: CalendarDay = { date, slots: found.slots.filter((s) => s.unitId === unit.id), appointments: [] };
      for (const a of found.appointments.filter((x) => x.unit.id === unit.id && x.status !== 'cancelled')) {
        day.appointments.push({ ...a, preInformation: (await this.submissions.forAppointment(a.id)).some((s) => !s.replacedAt) });
      }
      columns.push({ staff: { id: person.id, name: person.name }, day });
    }
    const back = `/staff/calendar/unit?unit=${unit.id}&date=${date.toString()}`;
    sendPage(res, <UnitDayPage ctx={ctx} units={mine} unit={unit} date={date.toString()} columns={columns} back={back} />);
  }

  /** The booked appointments the absence would leave uncovered (nothing is stored). */
  private async hits(auth: AuthContext, staffId: string, dto: AbsenceDto): Promise<AppointmentView[]> {
    const conflicts = await this.calendar.previewAbsence(auth, staffId, dto);
    if (!conflicts.length) return [];
    const ids = new Set(conflicts.map((c) => c.appointmentId));
    const from = Math.min(...conflicts.map((c) => c.startsAt.getTime()));
    const to = Math.max(...conflicts.map((c) => c.startsAt.getTime())) + 1;
    return (await this.appointments.listForStaff(staffId, new Date(from), new Date(to))).filter((a) => ids.has(a.id));
  }

  private async refused(ctx: StaffPageContext, res: Response, staffId: string, kind: ScheduleKind, values: Record<string, string>, error: unknown): Promise<void> {
    if (!(error instanceof DomainError) || !SHOWN_ON_PAGE.has(error.code)) throw error;
    const body = renderError(error, ctx.lang);
    await this.show(ctx, res, staffId, { form: formState(kind, values, body.fields ?? [], body.message) }, body.status);
  }

  private async show(ctx: StaffPageContext, res: Response, staffId: string, extra: { notice?: string; form?: FormState }, status = 200): Promise<void> {
    const auth = ctx.caller!.auth;
    const setup = await this.calendar.get(auth, staffId);
    const person = await this.staff.get(staffId);
    const all = await this.services.list(true);
    const serviceNames = new Map(all.map((s) => [s.id, s.name[ctx.lang]]));
    const staffChoices = isAdmin(auth) ? (await this.staff.list()).filter((s) => s.active && (s.unitIds.length || s.id === staffId)).map((s) => ({ id: s.id, name: s.name })) : [];
    const now = this.clock.now();
    const conflicts = (await this.appointments.listForStaff(staffId, now, new Date(now.getTime() + 400 * 86_400_000))).filter((a) => a.conflict);
    sendPage(res, (
      <SchedulePage ctx={ctx} staff={{ id: person.id, name: person.name }} staffChoices={staffChoices} services={await this.serviceChoices(ctx, all)}
        serviceNames={serviceNames} workingHours={setup.workingHours} extraHours={setup.extraHours} absences={setup.absences} conflicts={conflicts} {...extra} />
    ), status);
  }
}

/** The staff member whose calendar is meant: one named by id, else the caller. (The service decides whether the caller may.) */
function staffOf(auth: AuthContext, asked: unknown): string {
  if (asked === undefined || asked === '' || asked === auth.staffId) return auth.staffId;
  if (typeof asked !== 'string' || !UUID.test(asked)) throw new DomainError('not_found');
  return asked;
}

function scheduleHref(auth: AuthContext, staffId: string): string {
  return staffId === auth.staffId ? '/staff/schedule' : `/staff/schedule?staff=${staffId}`;
}

/** The named string fields of a form post, trimmed; empty ones left out. */
function valuesOf(body: unknown, names: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = field(body, name)?.trim().slice(0, 1000);
    if (value) values[name] = value;
  }
  return values;
}

/** Checks a plain object with the API's DTO and its messages. */
function validated<T extends object>(metatype: new () => T, plain: Record<string, unknown>): Promise<T> {
  return pipe.transform(plain, { type: 'body', metatype, data: '' }) as Promise<T>;
}

/** A Helsinki wall-clock date and time as an ISO instant with its offset, or undefined when either is not one. */
function instantOf(date: string | undefined, time: string | undefined): string | undefined {
  if (!date || !time || !DATE.test(date) || !TIME.test(time)) return undefined;
  try {
    return HelsinkiDateTime.of(LocalDate.parse(date), LocalTime.parse(time)).toIso();
  } catch {
    return undefined;
  }
}

/** The absence's form fields as the API's body; a date or time that is not one is refused by the DTO. */
function absenceOf(values: Record<string, string>): Record<string, string> {
  const dateError = (date?: string, time?: string) => `${date ?? ''}T${time ?? ''}`;
  return {
    startsAt: instantOf(values.startDate, values.startTime) ?? dateError(values.startDate, values.startTime),
    endsAt: instantOf(values.endDate, values.endTime) ?? dateError(values.endDate, values.endTime),
    ...(values.reason ? { reason: values.reason } : {}),
  };
}

function formState(kind: FormState['kind'], values: Record<string, string>, fields: { field: string; message: string }[], message: string): FormState {
  const errors: FieldError[] = [];
  for (const f of fields) {
    const id = CONTROLS[kind][f.field] ?? Object.values(CONTROLS[kind])[0];
    if (!errors.some((e) => e.id === id)) errors.push({ id, message: f.message });
  }
  return { kind, values, errors, message: errors.length ? undefined : message };
}

/** A date of this century (the database's calendar has none before year 1). */

