import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UuidParam } from '../http/auth.decorators';
import { RateLimit } from '../http/rate-limit';
import { BookingFlow } from './citizen/booking-flow';
import { FollowUpPages } from './citizen/follow-up';

/** Booking on the pages: free times, contact details, check, confirmation and the calendar file. */
@ApiExcludeController()
@Controller()
export class BookingPagesController {
  constructor(private readonly booking: BookingFlow) {}

  @Get('varaa/:serviceId') times(@UuidParam('serviceId') serviceId: string, @Req() req: Request, @Res() res: Response) { return this.booking.times(req, res, serviceId); }

  @Get('varaa/:serviceId/:slotId')
  contact(@UuidParam('serviceId') serviceId: string, @UuidParam('slotId') slotId: string, @Req() req: Request, @Res() res: Response) {
    return this.booking.contact(req, res, serviceId, slotId);
  }

  @Post('varaa/:serviceId/:slotId') @RateLimit('validation')
  post(@UuidParam('serviceId') serviceId: string, @UuidParam('slotId') slotId: string, @Req() req: Request, @Res() res: Response) {
    return this.booking.post(req, res, serviceId, slotId);
  }

  @Get('appointments/:id/booked') @RateLimit('manage')
  booked(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.booking.booked(req, res, id); }

  @Get('appointments/:id/calendar.ics') @RateLimit('manage')
  calendar(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.booking.calendar(req, res, id); }
}

/** Following up a sent form with the reference and the receipt code (`RATE_LIMIT_RECEIPT`, as the API). */
@ApiExcludeController()
@Controller('seuranta')
export class FollowUpPagesController {
  constructor(private readonly followUp: FollowUpPages) {}

  @Get() form(@Req() req: Request, @Res() res: Response) { this.followUp.form(req, res); }
  @Post() @RateLimit('receipt') post(@Req() req: Request, @Res() res: Response) { return this.followUp.post(req, res); }
}
