import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { pickLanguage } from '@app/platform';
import type { AuthContext } from '@app/identity';
import { MeasuresQuery } from '@app/delivery';
import { CurrentAuth, SignedIn } from '../http/auth.decorators';
import { sendCsv, wantsCsv } from '../http/send-csv';
import { MeasuresService, measuresCsv } from '../measures.service';

/** Measures for administrators: handling times and booking queues per unit and month. */
@ApiTags('admin')
@SignedIn('admin')
@Controller('api/v1/admin')
export class AdminMeasuresController {
  constructor(private readonly measures: MeasuresService) {}

  /** Per unit and Helsinki month in `from`–`to` (one `unit`): submissions, handling times, decisions in time, bookings. JSON, or CSV with `Accept: text/csv`. */
  @Get('measures') @ApiProduces('application/json', 'text/csv') async list(@CurrentAuth() auth: AuthContext, @Query() q: MeasuresQuery, @Req() req: Request, @Res() res: Response) { const found = await this.measures.measures(auth, q, pickLanguage(req.headers['accept-language'])); if (wantsCsv(req)) sendCsv(res, measuresCsv(found)); else res.json(found); }
}
