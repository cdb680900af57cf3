import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError } from '@app/platform';
import { UuidParam } from '../http/auth.decorators';
import { RateLimit } from '../http/rate-limit';
import { PageAssets } from './assets';
import { CitizenPages } from './citizen/citizen-pages';
import { FormFlow } from './citizen/form-flow';
import { sendRendered } from './render';
import { FormIdParam } from '../http/params';

/** The families' and citizens' pages (HTML, no account). */
@ApiExcludeController()
@Controller()
export class CitizenPagesController {
  constructor(private readonly pages: CitizenPages) {}

  @Get() front(@Req() req: Request, @Res() res: Response) { return this.pages.front(req, res); }
  @Get('saavutettavuusseloste') accessibility(@Req() req: Request, @Res() res: Response) { return this.pages.accessibility(req, res); }

  @Get('appointments/:id/manage') @RateLimit('manage')
  manage(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.pages.manage(req, res, id); }

  @Get('appointments/:id/cancel') @RateLimit('manage')
  cancelConfirmation(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.pages.cancelConfirmation(req, res, id); }

  @Post('appointments/:id/cancel') @RateLimit('manage')
  cancel(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.pages.cancel(req, res, id); }
}

/** Any published form, one page at a time (`/lomake/{id}`; `/blankett/…` and `/form/…` lead there). */
@ApiExcludeController()
@Controller()
export class FormPagesController {
  constructor(private readonly forms: FormFlow) {}

  @Get('lomake/:id') start(@FormIdParam() id: string, @Req() req: Request, @Res() res: Response) { return this.forms.start(req, res, id); }
  @Post('lomake/:id') @RateLimit('validation') post(@FormIdParam() id: string, @Req() req: Request, @Res() res: Response) { return this.forms.post(req, res, id); }
  @Post('lomake/:id/lahetetty') @RateLimit('receipt')
  sentAgain(@FormIdParam() id: string, @Req() req: Request, @Res() res: Response) { return this.forms.sentAgain(req, res, id); }
  @Get(['blankett/:id', 'form/:id'])
  alias(@FormIdParam() id: string, @Req() req: Request, @Res() res: Response) { res.redirect(301, `/lomake/${id}${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}`); }
}

/** The pages' style sheet (and later scripts), named by content hash: cacheable for a year. */
@ApiExcludeController()
@Controller('assets')
export class PageAssetsController {
  constructor(private readonly assets: PageAssets) {}

  @Get(':file')
  get(@Param('file') file: string, @Req() req: Request, @Res() res: Response) {
    const asset = this.assets.find(`/assets/${file}`);
    if (!asset) throw new DomainError('not_found');
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    sendRendered(req, res, asset, asset.type);
  }
}
