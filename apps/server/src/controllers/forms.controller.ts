import { Body, Controller, Delete, Get, Headers, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { DomainError, pickLanguage } from '@app/platform';
import {
  DraftDto, DraftsService, FormDefinitionsService, FormQuery, MUNICIPALITIES, SubmissionsService, SubmitFormDto, ValidateFormDto, localize,
} from '@app/forms';

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

  /** Checks answers without storing them: the whole form, or one `page`. */
  @Post('forms/:id/validate') @HttpCode(200)
  async validate(@FormIdParam() id: string, @Body() dto: ValidateFormDto) {
    const { errors } = await this.submissions.validate(id, dto.answers, { version: dto.version, pageId: dto.page });
    if (errors.length) throw new DomainError('answers_invalid', {}, errors);
    return { valid: true };
  }

  /** Sends the form. Returns the reference and the receipt code (shown once). */
  @Post('forms/:id/submissions')
  submit(@FormIdParam() id: string, @Body() dto: SubmitFormDto) { return this.submissions.submit(id, dto); }

  /** Saves unfinished answers; returns a resume token valid for 7 days. */
  @Post('forms/:id/drafts')
  saveDraft(@FormIdParam() id: string, @Body() dto: DraftDto) { return this.drafts.create(id, dto.answers); }

  @Get('form-drafts') @ApiHeader(RESUME_TOKEN)
  resume(@Headers('x-resume-token') token = '') { return this.drafts.resume(token); }

  @Put('form-drafts') @ApiHeader(RESUME_TOKEN)
  updateDraft(@Headers('x-resume-token') token = '', @Body() dto: DraftDto) { return this.drafts.update(token, dto.answers); }

  @Delete('form-drafts') @HttpCode(204) @ApiHeader(RESUME_TOKEN)
  discard(@Headers('x-resume-token') token = '') { return this.drafts.discard(token); }
}
