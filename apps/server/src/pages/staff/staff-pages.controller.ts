import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UuidParam } from '../../http/auth.decorators';
import { RateLimit } from '../../http/rate-limit';
import { AccountPages } from './account-pages';
import { CalendarPages } from './calendar-pages';
import { InboxPages } from './inbox-pages';
import { PhoneBookingPages } from './phone-booking';
import { SchedulePages } from './schedule-pages';

/** The pages of staff and handlers (HTML, behind the login). */
@ApiExcludeController()
@Controller('staff')
export class StaffPagesController {
  constructor(
    private readonly account: AccountPages,
    private readonly inbox: InboxPages,
    private readonly calendar: CalendarPages,
    private readonly schedule: SchedulePages,
    private readonly phone: PhoneBookingPages,
  ) {}

  @Get() home(@Req() req: Request, @Res() res: Response) { return this.account.home(req, res); }
  @Get('login') login(@Req() req: Request, @Res() res: Response) { return this.account.login(req, res); }
  @Post('login') @RateLimit('login') submitLogin(@Req() req: Request, @Res() res: Response) { return this.account.submitLogin(req, res); }
  @Post('logout') logout(@Req() req: Request, @Res() res: Response) { return this.account.logout(req, res); }
  @Get('account') myAccount(@Req() req: Request, @Res() res: Response) { return this.account.account(req, res); }
  @Post('logout-everywhere') logoutEverywhere(@Req() req: Request, @Res() res: Response) { return this.account.logoutEverywhere(req, res); }

  @Get('inbox') inboxList(@Req() req: Request, @Res() res: Response) { return this.inbox.list(req, res); }
  @Get('inbox/:id') inboxItem(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.inbox.item(req, res, id); }
  @Get('inbox/:id/pdf') inboxPdf(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.inbox.pdf(req, res, id); }
  @Post('inbox/:id/:action') inboxAction(@UuidParam('id') id: string, @Param('action') action: string, @Req() req: Request, @Res() res: Response) { return this.inbox.act(req, res, id, action); }

  @Get('calendar') calendarPage(@Req() req: Request, @Res() res: Response) { return this.calendar.calendarPage(req, res); }
  @Get('calendar/unit') unitDay(@Req() req: Request, @Res() res: Response) { return this.schedule.unitDay(req, res); }
  @Get('schedule') schedulePage(@Req() req: Request, @Res() res: Response) { return this.schedule.page(req, res); }
  @Post('schedule/:kind') scheduleAdd(@Param('kind') kind: string, @Req() req: Request, @Res() res: Response) { return this.schedule.add(req, res, kind); }
  @Post('schedule/:kind/:id/remove') scheduleRemove(@Param('kind') kind: string, @UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.schedule.remove(req, res, kind, id); }
  @Post('slots') slotAdd(@Req() req: Request, @Res() res: Response) { return this.schedule.addSlot(req, res); }
  @Post('slots/:id/:action') slotBlock(@UuidParam('id') id: string, @Param('action') action: string, @Req() req: Request, @Res() res: Response) { return this.schedule.blockSlot(req, res, id, action); }
  @Get('book') bookServices(@Req() req: Request, @Res() res: Response) { return this.phone.servicesPage(req, res); }
  @Get('book/:serviceId') bookTimes(@UuidParam('serviceId') serviceId: string, @Req() req: Request, @Res() res: Response) { return this.phone.times(req, res, serviceId); }
  @Get('book/:serviceId/:slotId') bookContact(@UuidParam('serviceId') serviceId: string, @UuidParam('slotId') slotId: string, @Req() req: Request, @Res() res: Response) { return this.phone.contact(req, res, serviceId, slotId); }
  @Post('book/:serviceId/:slotId') bookPost(@UuidParam('serviceId') serviceId: string, @UuidParam('slotId') slotId: string, @Req() req: Request, @Res() res: Response) { return this.phone.post(req, res, serviceId, slotId); }
  @Get('appointments/:id/move') movePage(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.phone.movePage(req, res, id); }
  @Post('appointments/:id/move') move(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.phone.move(req, res, id); }
  @Get('appointments/:id') appointment(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.calendar.appointment(req, res, id); }
  @Post('appointments/:id/status') appointmentStatus(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.calendar.setStatus(req, res, id); }
  @Post('appointments/:id/cancel') appointmentCancel(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.calendar.cancel(req, res, id); }
}
