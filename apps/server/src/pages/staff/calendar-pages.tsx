import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IsoFields } from '@js-joda/core';
import { AppointmentsService, CalendarService, StaffCancelDto, StatusDto } from '@app/booking';
import { SubmissionsService } from '@app/forms';
import { Clock, DomainError, helsinkiDateOf } from '@app/platform';
import { renderError } from '../../http/error.filter';
import { PreInformationService } from '../../pre-information.service';
import { redirectTo, sendPage } from '../render';
import { AppointmentPage, type CalendarDay, CalendarPage } from './calendar-views';
import { CalendarTools, calendarNotice } from './calendar-tools';
import { SchedulePages } from './schedule-pages';
import { StaffPageKit, field, formBody } from './staff-kit';
import type { StaffPageContext } from './staff-layout';
import { dateParam } from '../format';


/** Staff's own calendar and appointments, through the booking lib's services (the same rules as the API). */
@Injectable()
export class CalendarPages {
  constructor(
    private readonly kit: StaffPageKit,
    private readonly calendar: CalendarService,
    private readonly appointments: AppointmentsService,
    private readonly submissions: SubmissionsService,
    private readonly preInformation: PreInformationService,
    private readonly clock: Clock,
    private readonly schedule: SchedulePages,
  ) {}

  async calendarPage(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res);
    if (!ctx) return;
    const today = helsinkiDateOf(this.clock.now());
    const view = req.query.view === 'day' ? 'day' : 'week';
    const date = dateParam(req.query.date) ?? today;
    const first = view === 'week' ? date.minusDays(date.dayOfWeek().value() - 1) : date;
    const count = view === 'week' ? 7 : 1;
    const last = first.plusDays(count - 1);
    const found = await this.calendar.view(ctx.caller!.auth.staffId, first.toString(), last.toString());
    const days: CalendarDay[] = [];
    for (let i = 0; i < count; i++) {
      const day = first.plusDays(i);
      const onDay = (iso: string) => helsinkiDateOf(new Date(iso)).equals(day);
      const appointments = [];
      for (const a of found.appointments.filter((x) => onDay(x.startsAt))) {
        const sent = a.status !== 'cancelled' && (await this.submissions.forAppointment(a.id)).some((s) => !s.replacedAt);
        appointments.push({ ...a, preInformation: sent });
      }
      days.push({ date: day, slots: found.slots.filter((s) => onDay(s.startsAt)), appointments });
    }
    const notice = calendarNotice(ctx, req.query.done);
    const tools = <CalendarTools ctx={ctx} services={await this.schedule.serviceChoices(ctx)} />;
    sendPage(res, <CalendarPage ctx={ctx} view={view} date={date} week={first.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)} days={days} today={today} notice={notice} tools={tools} />);
  }

  async appointment(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.signedIn(req, res);
    if (!ctx) return;
    const done = req.query.done;
    const notice = done === 'status' || done === 'cancelled' ? ctx.s.common.done : done === 'moved' ? ctx.s.schedule.move.moved : done === 'booked' ? ctx.s.schedule.phone.booked : undefined;
    await this.show(ctx, res, id, { notice });
  }

  async setStatus(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.posted(req, res);
    if (!ctx) return;
    const dto = await formBody(StatusDto, req.body, ['status']);
    try {
      await this.appointments.setStatus(ctx.caller!.auth, id, dto.status);
    } catch (error) {
      return this.refused(ctx, res, id, error);
    }
    redirectTo(res, `/staff/appointments/${id}?done=status`);
  }

  async cancel(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.posted(req, res);
    if (!ctx) return;
    try {
      const dto = await formBody(StaffCancelDto, req.body, ['reason']);
      await this.appointments.cancel({ type: 'staff', auth: ctx.caller!.auth }, id, dto.reason);
    } catch (error) {
      return this.refused(ctx, res, id, error, field(req.body, 'reason'));
    }
    redirectTo(res, `/staff/appointments/${id}?done=cancelled`);
  }

  /** A refusal the person can act on, on the appointment's page; anything else is the error page. */
  private async refused(ctx: StaffPageContext, res: Response, id: string, error: unknown, reason?: string): Promise<void> {
    if (!(error instanceof DomainError) || !['validation_failed', 'appointment_not_active', 'invalid_status_change'].includes(error.code)) throw error;
    const body = renderError(error, ctx.lang);
    await this.show(ctx, res, id, { error: body.message, reason }, body.status);
  }

  private async show(ctx: StaffPageContext, res: Response, id: string, extra: { notice?: string; error?: string; reason?: string }, status = 200): Promise<void> {
    const appointment = await this.preInformation.appointmentForStaff(ctx.caller!.auth, id, ctx.lang);
    const begun = Date.parse(appointment.startsAt) <= this.clock.now().getTime();
    sendPage(res, <AppointmentPage ctx={ctx} appointment={appointment} begun={begun} {...extra} />, status);
  }
}


