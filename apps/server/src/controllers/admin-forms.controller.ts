import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { FormDefinitionsService, PdfQuery, SubmissionPdf, SubmissionsService } from '@app/forms';
import { SignedIn, UuidParam } from '../http/auth.decorators';
import { FormIdParam, FormVersionParam } from '../http/params';

/** Form authoring: upload a version as a draft (linted), preview, publish, retire. */
@ApiTags('admin')
@SignedIn('admin')
@Controller('api/v1/admin')
export class AdminFormsController {
  constructor(
    private readonly definitions: FormDefinitionsService,
    private readonly submissions: SubmissionsService,
    private readonly pdf: SubmissionPdf,
  ) {}

  @Get('forms') list() { return this.definitions.list(); }

  /** The body is a form definition (see form-definitions/form-definition.schema.json); 422 lists the linter's findings. */
  @Post('forms') @ApiBody({ schema: { type: 'object' } })
  upload(@Body() definition: Record<string, unknown>) { return this.definitions.upload(definition); }

  @Get('forms/:id/:version') preview(@FormIdParam() id: string, @FormVersionParam() version: number) { return this.definitions.version(id, version); }
  @Post('forms/:id/:version/publish') publish(@FormIdParam() id: string, @FormVersionParam() version: number) { return this.definitions.publish(id, version); }
  @Post('forms/:id/:version/retire') retire(@FormIdParam() id: string, @FormVersionParam() version: number) { return this.definitions.retire(id, version); }

  /** A submission as PDF, in its language or `lang`. */
  @Get('submissions/:id/pdf')
  async submissionPdf(@UuidParam('id') id: string, @Query() q: PdfQuery, @Res() res: Response) {
    const submission = await this.submissions.open(id);
    sendPdf(res, submission.reference, await this.pdf.render(submission, q.lang));
  }
}

export function sendPdf(res: Response, reference: string, pdf: Buffer): void {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `inline; filename="${reference}.pdf"`);
  res.setHeader('Cache-Control', 'no-store');
  res.end(pdf);
}
