import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UuidParam } from '../http/auth.decorators';
import { FormIdParam } from '../http/params';
import { RateLimit } from '../http/rate-limit';
import { FeedbackPages } from './citizen/feedback';
import { FormFlow } from './citizen/form-flow';
import { PreInformationPages } from './citizen/pre-information-flow';

/** An appointment's pre-information form (the link in the booking e-mails), a saved form's resume link, accessibility feedback. */
@ApiExcludeController()
@Controller()
export class FormsMorePagesController {
  constructor(
    private readonly preInformation: PreInformationPages,
    private readonly forms: FormFlow,
    private readonly feedback: FeedbackPages,
  ) {}

  @Get('appointments/:id/pre-information') @RateLimit('manage')
  preInformationPage(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.preInformation.open(req, res, id); }

  @Post('appointments/:id/pre-information') @RateLimit('manage')
  preInformationPost(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.preInformation.post(req, res, id); }

  @Get('lomake/:id/jatka')
  resume(@FormIdParam() id: string, @Req() req: Request, @Res() res: Response) { return this.forms.resume(req, res, id); }

  @Post('saavutettavuusseloste')
  sendFeedback(@Req() req: Request, @Res() res: Response) { return this.feedback.post(req, res); }
}
