import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppointmentsService, BookAppointmentDto, CancelDto, RescheduleDto, ServicesService, SlotSearchQuery, SlotsService } from '@app/booking';
import { SubmitFormDto } from '@app/forms';
import { UuidParam } from '../http/auth.decorators';
import { RateLimit } from '../http/rate-limit';
import { PreInformationService } from '../pre-information.service';

const MANAGE_TOKEN = { name: 'X-Manage-Token', description: 'The manage token returned at booking', required: true };

/** What families use, without an account. */
@ApiTags('families')
@Controller('api/v1')
export class CitizenController {
  constructor(
    private readonly services: ServicesService,
    private readonly slots: SlotsService,
    private readonly appointments: AppointmentsService,
    private readonly preInformation: PreInformationService,
  ) {}

  @Get('services') listServices() { return this.services.list(); }
  @Get('services/:id') getService(@UuidParam('id') id: string) { return this.services.get(id); }

  /** Free times; `from`/`to` are dates (whole Helsinki days) or ISO instants, at most 31 days apart. */
  @Get('services/:id/slots')
  searchSlots(@UuidParam('id') id: string, @Query() query: SlotSearchQuery) { return this.slots.searchFree(id, query); }

  /** Books a slot. Returns the appointment and its manage token (shown once). Honours `Idempotency-Key`. */
  @Post('appointments')
  @RateLimit('booking')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async book(@Body() dto: BookAppointmentDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    const result = await this.appointments.book({ type: 'anonymous' }, dto, validKey(key));
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Get('appointments/:id')
  @RateLimit('manage')
  @ApiHeader(MANAGE_TOKEN)
  get(@UuidParam('id') id: string, @Headers('x-manage-token') token = '') { return this.appointments.get({ type: 'family', manageToken: token }, id); }

  @Post('appointments/:id/reschedule')
  @RateLimit('manage')
  @HttpCode(200)
  @ApiHeader(MANAGE_TOKEN)
  reschedule(@UuidParam('id') id: string, @Body() dto: RescheduleDto, @Headers('x-manage-token') token = '') {
    return this.appointments.reschedule({ type: 'family', manageToken: token }, id, dto.slotId);
  }

  /** Sends the service's pre-information form for this appointment, with the token from the booking. */
  @Post('appointments/:id/pre-information')
  @RateLimit('manage')
  @ApiHeader({ name: 'X-Pre-Information-Token', description: 'The token from the booking’s pre-information link', required: true })
  submitPreInformation(@UuidParam('id') id: string, @Body() dto: SubmitFormDto, @Headers('x-pre-information-token') token = '') {
    return this.preInformation.submit(id, token, dto);
  }

  @Post('appointments/:id/cancel')
  @RateLimit('manage')
  @HttpCode(200)
  @ApiHeader(MANAGE_TOKEN)
  cancel(@UuidParam('id') id: string, @Body() dto: CancelDto, @Headers('x-manage-token') token = '') {
    return this.appointments.cancel({ type: 'family', manageToken: token }, id, dto.reason);
  }
}

/** Idempotency keys are client-chosen strings of reasonable size; others are ignored. */
export function validKey(key: string | undefined): string | undefined {
  return key && key.length >= 8 && key.length <= 200 ? key : undefined;
}
