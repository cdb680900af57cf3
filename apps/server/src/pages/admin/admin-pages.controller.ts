import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UuidParam } from '../../http/auth.decorators';
import { AdminPages } from './admin-pages';

/** The administrators' pages (HTML, behind the login, admin role only). */
@ApiExcludeController()
@Controller('admin')
export class AdminPagesController {
  constructor(private readonly pages: AdminPages) {}

  @Get('measures') measures(@Req() req: Request, @Res() res: Response) { return this.pages.measuresPage(req, res); }
  @Get('measures/csv') measuresCsv(@Req() req: Request, @Res() res: Response) { return this.pages.measuresCsv(req, res); }
  @Get('access-log') accessLog(@Req() req: Request, @Res() res: Response) { return this.pages.accessLogPage(req, res); }
  @Post('access-log/export') exportAccessLog(@Req() req: Request, @Res() res: Response) { return this.pages.exportAccessLog(req, res); }
  @Get('outbox') outbox(@Req() req: Request, @Res() res: Response) { return this.pages.outboxPage(req, res); }
  @Post('outbox/:id/retry') retry(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.pages.retry(req, res, id); }
  @Get('settings') settings(@Req() req: Request, @Res() res: Response) { return this.pages.settingsPage(req, res); }
}
