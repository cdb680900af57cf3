import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { DomainError, pickLanguage } from '@app/platform';
import { PdfQuery } from '@app/forms';
import { PreInformationService } from '../pre-information.service';
import { sendPdf } from '../http/send-pdf';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AbsenceDto, AppointmentsService, BookAppointmentDto, CalendarQuery, CalendarService, ExtraHoursDto, ManualSlotDto,
  SlotsService, StaffCancelDto, StaffRescheduleDto, StatusDto, WorkingHoursDto,
} from '@app/booking';
import { type AuthContext, StaffPreferencesDto, StaffService } from '@app/identity';
import { CurrentAuth, SignedIn, UuidParam, resolveStaffId } from '../http/auth.decorators';
import { validKey } from './citizen.controller';

/** What staff use: their calendar and appointments. `:staffId` may be `me`. */
@ApiTags('staff')
@SignedIn()
@Controller('api/v1')
export class StaffController {
  constructor(
    private readonly staff: StaffService,
    private readonly calendar: CalendarService,
    private readonly slots: SlotsService,
    private readonly appointments: AppointmentsService,
    private readonly preInformation: PreInformationService,
  ) {}

  @Get('staff/me') me(@CurrentAuth() auth: AuthContext) { return this.staff.get(auth.staffId); }

  /** My own settings: `notifyNewSubmissions` (e-mail, without content, when a submission reaches a unit I handle). */
  @Patch('staff/me/preferences')
  setPreferences(@CurrentAuth() auth: AuthContext, @Body() dto: StaffPreferencesDto) { return this.staff.setPreferences(auth.staffId, dto); }

  /** Own slots (FHIR status) and appointments starting in the period, with conflicts to act on. */
  @Get('staff/me/calendar')
  myCalendar(@CurrentAuth() auth: AuthContext, @Query() q: CalendarQuery) { return this.calendar.view(auth.staffId, q.from, q.to); }

  @Get('staff/:staffId/calendar-setup')
  setup(@CurrentAuth() auth: AuthContext, @Param('staffId') staffId: string) { return this.calendar.get(auth, resolveStaffId(auth, staffId)); }

  @Post('staff/:staffId/working-hours')
  addHours(@CurrentAuth() auth: AuthContext, @Param('staffId') staffId: string, @Body() dto: WorkingHoursDto) {
    return this.calendar.addWorkingHours(auth, resolveStaffId(auth, staffId), dto);
  }

  @Delete('staff/:staffId/working-hours/:id')
  removeHours(@CurrentAuth() auth: AuthContext, @Param('staffId') staffId: string, @UuidParam('id') id: string) {
    return this.calendar.removeWorkingHours(auth, resolveStaffId(auth, staffId), id);
  }

  @Post('staff/:staffId/extra-hours')
  addExtra(@CurrentAuth() auth: AuthContext, @Param('staffId') staffId: string, @Body() dto: ExtraHoursDto) {
    return this.calendar.addExtraHours(auth, resolveStaffId(auth, staffId), dto);
  }

  @Delete('staff/:staffId/extra-hours/:id')
  removeExtra(@CurrentAuth() auth: AuthContext, @Param('staffId') staffId: string, @UuidParam('id') id: string) {
    return this.calendar.removeExtraHours(auth, resolveStaffId(auth, staffId), id);
  }

  @Post('staff/:staffId/absences')
  addAbsence(@CurrentAuth() auth: AuthContext, @Param('staffId') staffId: string, @Body() dto: AbsenceDto) {
    return this.calendar.addAbsence(auth, resolveStaffId(auth, staffId), dto);
  }

  @Delete('staff/:staffId/absences/:id')
  removeAbsence(@CurrentAuth() auth: AuthContext, @Param('staffId') staffId: string, @UuidParam('id') id: string) {
    return this.calendar.removeAbsence(auth, resolveStaffId(auth, staffId), id);
  }

  /** Adds a single slot outside the weekly hours. */
  @Post('staff/:staffId/slots')
  addSlot(@CurrentAuth() auth: AuthContext, @Param('staffId') staffId: string, @Body() dto: ManualSlotDto) {
    return this.slots.addManual(auth, resolveStaffId(auth, staffId), dto);
  }

  @Post('slots/:id/block') @HttpCode(200)
  block(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string) { return this.slots.setBlocked(auth, id, true); }

  @Post('slots/:id/unblock') @HttpCode(200)
  unblock(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string) { return this.slots.setBlocked(auth, id, false); }

  @Delete('slots/:id') @HttpCode(204)
  removeSlot(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string) { return this.slots.removeManual(auth, id); }

  /** Books on behalf of a family; minimum notice and horizon do not apply to staff. */
  @Post('staff/appointments')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async book(@CurrentAuth() auth: AuthContext, @Body() dto: BookAppointmentDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    const result = await this.appointments.book({ type: 'staff', auth }, dto, validKey(key));
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  /** The appointment with its full history and its pre-information (labels in Accept-Language). */
  @Get('staff/appointments/:id')
  get(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @Headers('accept-language') accept?: string) {
    return this.preInformation.appointmentForStaff(auth, id, pickLanguage(accept));
  }

  /** The pre-information as PDF, in the language it was filled in or `lang`. */
  @Get('staff/appointments/:id/pre-information/:submissionId/pdf')
  async preInformationPdf(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @UuidParam('submissionId') submissionId: string, @Query() q: PdfQuery, @Res() res: Response) {
    const found = await this.preInformation.pdfForStaff(auth, id, submissionId, q.lang);
    if (!found) throw new DomainError('not_found');
    sendPdf(res, found.reference, found.pdf);
  }

  @Post('staff/appointments/:id/reschedule') @HttpCode(200)
  reschedule(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @Body() dto: StaffRescheduleDto) {
    return this.appointments.reschedule({ type: 'staff', auth }, id, dto.slotId, { allowOtherLanguage: dto.allowOtherLanguage });
  }

  @Post('staff/appointments/:id/cancel') @HttpCode(200)
  cancel(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @Body() dto: StaffCancelDto) {
    return this.appointments.cancel({ type: 'staff', auth }, id, dto.reason);
  }

  @Post('staff/appointments/:id/status') @HttpCode(200)
  setStatus(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @Body() dto: StatusDto) {
    return this.appointments.setStatus(auth, id, dto.status);
  }
}
