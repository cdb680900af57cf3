import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type AppointmentView, AppointmentsService, type FreeSlotView, type Service, ServicesService, SlotsService } from '@app/booking';
import { Clock, DomainError, LocalDate, helsinkiDateOf } from '@app/platform';
import { type PageContext, PageContextFactory } from '../page-context';
import { redirectTo, sendPage } from '../render';
import { TakenPage, TimesPage, dateOf, weekOf } from './booking-pages';
import { CitizenPages } from './citizen-pages';
import { MoveCheckPage, MoveNotice, MovedPage, StillBooked } from './move-pages';
import { dateParam, maxDate } from '../format';

const SEARCH_DAYS = 31;
const NEAREST = 6;
/** Errors of a move that mean "this time cannot be had": show the nearest free ones instead. */
const TAKEN = new Set([
  'slot_taken', 'slot_unavailable', 'slot_not_found', 'slot_in_past', 'slot_within_minimum_notice', 'slot_beyond_horizon', 'staff_overlap',
  'staff_language_mismatch', 'wrong_service',
]);

/**
 * Moving an appointment from its manage page (the manage cookie opens it):
 * the same service's free times week by week, in the booking's language as
 * the API's reschedule requires → check → the atomic reschedule of the
 * booking library → the confirmation with the new time. After the change
 * deadline the manage page says whom to call; a time taken meanwhile shows
 * the nearest free ones.
 */
@Injectable()
export class MoveFlow {
  constructor(
    private readonly contexts: PageContextFactory,
    private readonly manage: CitizenPages,
    private readonly services: ServicesService,
    private readonly slots: SlotsService,
    private readonly appointments: AppointmentsService,
    private readonly clock: Clock,
  ) {}

  /** The week of free times to move to, from the earliest free day or the week asked for (`?viikko=`). */
  async times(req: Request, res: Response, id: string): Promise<void> {
    const ctx = this.contexts.create(req, res);
    const opened = await this.open(ctx, req, res, id);
    if (!opened) return;
    const { appointment, service } = opened;
    const base = `/appointments/${id}/move`;
    const notice = <MoveNotice ctx={ctx} appointment={appointment} languageBound={service.languages.length > 1} />;
    const title = ctx.t.manageMove.timesTitle;
    const caption = service.name[ctx.lang];
    const earliest = await this.earliest(service, appointment);
    if (!earliest) {
      return sendPage(res, <TimesPage ctx={ctx} title={title} caption={caption} days={[]} hrefFor={() => ''} none notice={notice} withUnit={false} />);
    }
    const horizonEnd = this.today().plusDays(service.horizonDays);
    const asked = dateParam(req.query.viikko);
    const start = asked && !asked.isBefore(earliest) && asked.isBefore(horizonEnd) ? asked : earliest;
    const found = await this.search(service, appointment, start, start.plusDays(6), 500);
    const { days, previous, next } = weekOf(found, start, earliest, horizonEnd, (date) => `${base}?viikko=${date.toString()}#week`);
    sendPage(res, (
      <TimesPage ctx={ctx} title={title} caption={caption} days={days} previous={previous} next={next} notice={notice}
        hrefFor={(slot) => `${base}/${slot.id}`} withUnit={new Set(found.map((s) => s.unit.id)).size > 1} />
    ));
  }

  /** Check the move to a chosen time (or the nearest free times, if it went meanwhile). */
  async check(req: Request, res: Response, id: string, slotId: string): Promise<void> {
    const ctx = this.contexts.create(req, res);
    const opened = await this.open(ctx, req, res, id);
    if (!opened) return;
    const { appointment, service } = opened;
    const slot = await this.slots.findFree(service.id, slotId);
    if (!slot || !this.suits(slot, appointment)) return this.showTaken(ctx, res, service, appointment, undefined, 200);
    sendPage(res, (
      <MoveCheckPage ctx={ctx} appointment={appointment} slot={slot} timesHref={`/appointments/${id}/move?viikko=${dateOf(slot).toString()}`} />
    ));
  }

  /** Moves it, all or nothing, through the booking library's reschedule (the same rules as the API's). */
  async post(req: Request, res: Response, id: string, slotId: string): Promise<void> {
    this.contexts.checkPost(req);
    const ctx = this.contexts.create(req, res);
    const token = this.manage.cookieToken(req);
    if (!token) return this.manage.sessionExpired(ctx, res);
    const to = chosenTime(req.body);
    try {
      await this.appointments.reschedule({ type: 'family', manageToken: token }, id, slotId);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'not_found') return this.manage.linkInvalid(ctx, res);
      const appointment = await this.manage.load(ctx, req, res, id);
      if (!appointment) return;
      if (error.code === 'change_deadline_passed') return this.manage.showManage(ctx, res, appointment, 'deadline-passed', 409);
      if (error.code === 'appointment_not_active') return this.manage.showManage(ctx, res, appointment, 'not-active', 409);
      if (!TAKEN.has(error.code)) throw error;
      // A repeated confirm (a double click) finds the appointment already at the chosen time: that is the outcome asked for.
      if (to && appointment.status === 'booked' && Date.parse(appointment.startsAt) === to.getTime()) return redirectTo(res, `/appointments/${id}/moved`);
      return this.showTaken(ctx, res, await this.service(appointment), appointment, to, 409);
    }
    redirectTo(res, `/appointments/${id}/moved`);
  }

  /** The confirmation of the move: the new time and the calendar file. */
  async moved(req: Request, res: Response, id: string): Promise<void> {
    const ctx = this.contexts.create(req, res);
    const appointment = await this.manage.load(ctx, req, res, id);
    if (!appointment) return;
    if (appointment.status !== 'booked') return redirectTo(res, `/appointments/${id}/manage`);
    sendPage(res, <MovedPage ctx={ctx} appointment={appointment} />);
  }

  /** The appointment the cookie opens, if it can still be moved; otherwise the page that says why not, and undefined. */
  private async open(ctx: PageContext, req: Request, res: Response, id: string): Promise<{ appointment: AppointmentView; service: Service } | undefined> {
    const appointment = await this.manage.load(ctx, req, res, id);
    if (!appointment) return undefined;
    if (!this.manage.changeable(appointment)) {
      await this.manage.showManage(ctx, res, appointment, appointment.status === 'booked' ? 'deadline-passed' : undefined);
      return undefined;
    }
    return { appointment, service: await this.service(appointment) };
  }

  /** The nearest free times to the one that went (to today's first ones when its time is unknown). */
  private async showTaken(ctx: PageContext, res: Response, service: Service, appointment: AppointmentView, to: Date | undefined, status: number): Promise<void> {
    const around = to ?? this.clock.now();
    const from = maxDate(this.today(), helsinkiDateOf(around).minusDays(3));
    const found = await this.search(service, appointment, from, from.plusDays(13), 500);
    const nearest = found
      .sort((a, b) => Math.abs(Date.parse(a.startsAt) - around.getTime()) - Math.abs(Date.parse(b.startsAt) - around.getTime()))
      .slice(0, NEAREST)
      .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
    const base = `/appointments/${appointment.id}/move`;
    sendPage(res, (
      <TakenPage ctx={ctx} service={service} nearest={nearest} actionFor={() => base} hrefFor={(slot) => `${base}/${slot.id}`} timesHref={base}
        notice={<StillBooked ctx={ctx} appointment={appointment} />} />
    ), status);
  }

  /** A time the appointment may move to: its staff member speaks the booking's language, and it is not the current time. */
  private suits(slot: FreeSlotView, appointment: AppointmentView): boolean {
    return slot.staff.languages.includes(appointment.language) && !(slot.startsAt === appointment.startsAt && slot.staff.id === appointment.staff.id);
  }

  /** The first day with a time to move to, searched a month at a time up to the booking horizon. */
  private async earliest(service: Service, appointment: AppointmentView): Promise<LocalDate | undefined> {
    const last = this.today().plusDays(service.horizonDays);
    for (let from = this.today(); from.isBefore(last); from = from.plusDays(SEARCH_DAYS)) {
      // One more than the current time, which may itself be listed when the slot has room for several.
      const [first] = await this.search(service, appointment, from, from.plusDays(SEARCH_DAYS - 1), 2);
      if (first) return dateOf(first);
    }
    return undefined;
  }

  private async search(service: Service, appointment: AppointmentView, from: LocalDate, to: LocalDate, limit: number): Promise<FreeSlotView[]> {
    const { items } = await this.slots.searchFree(service.id, { from: from.toString(), to: to.toString(), limit, language: appointment.language });
    return items.filter((slot) => this.suits(slot, appointment));
  }

  private service(appointment: AppointmentView): Promise<Service> {
    return this.services.get(appointment.service.id);
  }

  private today(): LocalDate {
    return helsinkiDateOf(this.clock.now());
  }
}

/** The chosen time the check page carried along (to recognise a repeated confirm and to find the nearest times). */
function chosenTime(body: unknown): Date | undefined {
  const raw = (body as Record<string, unknown> | undefined)?.to;
  if (typeof raw !== 'string' || raw.length > 40) return undefined;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : new Date(at);
}
