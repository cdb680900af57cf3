import { Body, Controller, Delete, Get, Headers, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { pickLanguage } from '@app/platform';
import {
  DraftDto, DraftsService, FormDefinitionsService, FormQuery, MUNICIPALITIES, SubmissionsService, SubmitFormDto, ValidateFormDto, localize,
} from '@app/forms';
import { RateLimit } from '../http/rate-limit';

import { FormIdParam } from '../http/params';

const RESUME_TOKEN = { name: 'X-Resume-Token', description: 'The resume token returned when the draft was saved', required: true };

/** Forms citizens fill in, without an account. */
@ApiTags('forms')
@Controller('api/v1')
export class FormsController {
  constructor(
    private readonly definitions: FormDefinitionsService,
    private readonly submissions: SubmissionsService,
    private readonly drafts: DraftsService,
  ) {}

  /** The municipality control's choices: Statistics Finland codes, names in Finnish and Swedish, wellbeing services county. */
  @Get('municipalities')
  municipalities() { return MUNICIPALITIES; }

  /** The published form with its texts in one language (`lang`, else Accept-Language). */
  @Get('forms/:id')
  async get(@FormIdParam() id: string, @Query() q: FormQuery, @Headers('accept-language') accept?: string) {
    return localize((await this.definitions.published(id, q.version)).definition, q.lang ?? pickLanguage(accept));
  }

  /** Checks the body of a submission without storing it: the whole form, or one `page`; errors in `language`, else Accept-Language. */
  @Post('forms/:id/validate') @HttpCode(200) @RateLimit('validation')
  validate(@FormIdParam() id: string, @Body() dto: ValidateFormDto) { return this.submissions.validate(id, dto); }

  /** Sends the form. Returns the reference and the receipt code (shown once). Pre-information forms only through their appointment's link. */
  @Post('forms/:id/submissions') @RateLimit('submission')
  submit(@FormIdParam() id: string, @Body() dto: SubmitFormDto) { return this.submissions.submit(id, dto); }

  /** Saves unfinished answers; returns a resume token valid for 7 days. */
  @Post('forms/:id/drafts') @RateLimit('draft')
  saveDraft(@FormIdParam() id: string, @Body() dto: DraftDto) { return this.drafts.create(id, dto.answers); }

  @Get('form-drafts') @ApiHeader(RESUME_TOKEN) @RateLimit('draft')
  resume(@Headers('x-resume-token') token = '') { return this.drafts.resume(token); }

  @Put('form-drafts') @ApiHeader(RESUME_TOKEN) @RateLimit('draft')
  updateDraft(@Headers('x-resume-token') token = '', @Body() dto: DraftDto) { return this.drafts.update(token, dto.answers); }

  @Delete('form-drafts') @HttpCode(204) @ApiHeader(RESUME_TOKEN) @RateLimit('draft')
  discard(@Headers('x-resume-token') token = '') { return this.drafts.discard(token); }
}
