import { Controller, Get, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UuidParam } from '../../http/auth.decorators';
import { FormIdParam, FormVersionParam } from '../../http/params';
import { AdminPages } from './admin-pages';
import { AdminFeedbackPages } from './feedback-page';
import { ServicesPages } from './services-pages';
import { StaffAdminPages } from './staff-admin-pages';
import { UnitsPages } from './units-pages';

import { AdminFormsPages, FORM_UPLOAD } from './forms-pages';

/** The administrators' pages (HTML, behind the login, admin role only). */
@ApiExcludeController()
@Controller('admin')
export class AdminPagesController {
  constructor(
    private readonly pages: AdminPages,
    private readonly unitPages: UnitsPages,
    private readonly staffPages: StaffAdminPages,
    private readonly servicePages: ServicesPages,
    private readonly formPages: AdminFormsPages,
    private readonly feedbackPages: AdminFeedbackPages,
  ) {}

  @Get('measures') measures(@Req() req: Request, @Res() res: Response) { return this.pages.measuresPage(req, res); }
  @Get('measures/csv') measuresCsv(@Req() req: Request, @Res() res: Response) { return this.pages.measuresCsv(req, res); }
  @Get('access-log') accessLog(@Req() req: Request, @Res() res: Response) { return this.pages.accessLogPage(req, res); }
  @Post('access-log/export') exportAccessLog(@Req() req: Request, @Res() res: Response) { return this.pages.exportAccessLog(req, res); }
  @Get('outbox') outbox(@Req() req: Request, @Res() res: Response) { return this.pages.outboxPage(req, res); }
  @Post('outbox/:id/retry') retry(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.pages.retry(req, res, id); }
  @Get('settings') settings(@Req() req: Request, @Res() res: Response) { return this.pages.settingsPage(req, res); }
  @Get('feedback') feedback(@Req() req: Request, @Res() res: Response) { return this.feedbackPages.list(req, res); }

  // `…/new` before `…/:id`: the id must be a UUID.
  @Get('units') units(@Req() req: Request, @Res() res: Response) { return this.unitPages.list(req, res); }
  @Get('units/new') newUnit(@Req() req: Request, @Res() res: Response) { return this.unitPages.newUnit(req, res); }
  @Post('units') createUnit(@Req() req: Request, @Res() res: Response) { return this.unitPages.create(req, res); }
  @Get('units/:id') unit(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.unitPages.edit(req, res, id); }
  @Post('units/:id') updateUnit(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.unitPages.update(req, res, id); }

  @Get('staff') staff(@Req() req: Request, @Res() res: Response) { return this.staffPages.list(req, res); }
  @Get('staff/new') newStaff(@Req() req: Request, @Res() res: Response) { return this.staffPages.newStaff(req, res); }
  @Post('staff') createStaff(@Req() req: Request, @Res() res: Response) { return this.staffPages.create(req, res); }
  @Get('staff/:id') person(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.staffPages.edit(req, res, id); }
  @Post('staff/:id') updateStaff(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.staffPages.update(req, res, id); }
  @Post('staff/:id/password') setPassword(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.staffPages.setPassword(req, res, id); }
  @Post('staff/:id/active') setActive(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.staffPages.setActive(req, res, id); }

  @Get('services') services(@Req() req: Request, @Res() res: Response) { return this.servicePages.list(req, res); }
  @Get('services/new') newService(@Req() req: Request, @Res() res: Response) { return this.servicePages.newService(req, res); }
  @Post('services') createService(@Req() req: Request, @Res() res: Response) { return this.servicePages.create(req, res); }
  @Get('services/:id') service(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.servicePages.edit(req, res, id); }
  @Post('services/:id') updateService(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.servicePages.update(req, res, id); }

  @Get('forms') forms(@Req() req: Request, @Res() res: Response) { return this.formPages.list(req, res); }
  @Post('forms') @UseInterceptors(FileInterceptor('file', FORM_UPLOAD)) uploadForm(@Req() req: Request, @Res() res: Response) { return this.formPages.upload(req, res); }
  @Get('forms/:id/:version') formVersion(@FormIdParam() id: string, @FormVersionParam() version: number, @Req() req: Request, @Res() res: Response) { return this.formPages.version(req, res, id, version); }
  @Get('forms/:id/:version/preview') previewForm(@FormIdParam() id: string, @FormVersionParam() version: number, @Req() req: Request, @Res() res: Response) { return this.formPages.preview(req, res, id, version); }
  @Post('forms/:id/:version/publish') publishForm(@FormIdParam() id: string, @FormVersionParam() version: number, @Req() req: Request, @Res() res: Response) { return this.formPages.publish(req, res, id, version); }
  @Post('forms/:id/:version/retire') retireForm(@FormIdParam() id: string, @FormVersionParam() version: number, @Req() req: Request, @Res() res: Response) { return this.formPages.retire(req, res, id, version); }
}
