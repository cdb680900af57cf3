import { Controller, Get, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UuidParam } from '../../http/auth.decorators';
import { FormIdParam, FormVersionParam } from '../../http/params';
import { AdminPages } from './admin-pages';
import { AdminFormsPages, FORM_UPLOAD } from './forms-pages';

/** The administrators' pages (HTML, behind the login, admin role only). */
@ApiExcludeController()
@Controller('admin')
export class AdminPagesController {
  constructor(private readonly pages: AdminPages, private readonly formPages: AdminFormsPages) {}

  @Get('measures') measures(@Req() req: Request, @Res() res: Response) { return this.pages.measuresPage(req, res); }
  @Get('measures/csv') measuresCsv(@Req() req: Request, @Res() res: Response) { return this.pages.measuresCsv(req, res); }
  @Get('access-log') accessLog(@Req() req: Request, @Res() res: Response) { return this.pages.accessLogPage(req, res); }
  @Post('access-log/export') exportAccessLog(@Req() req: Request, @Res() res: Response) { return this.pages.exportAccessLog(req, res); }
  @Get('outbox') outbox(@Req() req: Request, @Res() res: Response) { return this.pages.outboxPage(req, res); }
  @Post('outbox/:id/retry') retry(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.pages.retry(req, res, id); }
  @Get('settings') settings(@Req() req: Request, @Res() res: Response) { return this.pages.settingsPage(req, res); }
  @Get('forms') forms(@Req() req: Request, @Res() res: Response) { return this.formPages.list(req, res); }
  @Post('forms') @UseInterceptors(FileInterceptor('file', FORM_UPLOAD)) uploadForm(@Req() req: Request, @Res() res: Response) { return this.formPages.upload(req, res); }
  @Get('forms/:id/:version') formVersion(@FormIdParam() id: string, @FormVersionParam() version: number, @Req() req: Request, @Res() res: Response) { return this.formPages.version(req, res, id, version); }
  @Get('forms/:id/:version/preview') previewForm(@FormIdParam() id: string, @FormVersionParam() version: number, @Req() req: Request, @Res() res: Response) { return this.formPages.preview(req, res, id, version); }
  @Post('forms/:id/:version/publish') publishForm(@FormIdParam() id: string, @FormVersionParam() version: number, @Req() req: Request, @Res() res: Response) { return this.formPages.publish(req, res, id, version); }
  @Post('forms/:id/:version/retire') retireForm(@FormIdParam() id: string, @FormVersionParam() version: number, @Req() req: Request, @Res() res: Response) { return this.formPages.retire(req, res, id, version); }
}
