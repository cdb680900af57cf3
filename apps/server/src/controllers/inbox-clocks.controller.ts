import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { pickLanguage } from '@app/platform';
import type { AuthContext } from '@app/identity';
import { AssessmentDto, DecisionDto, FirstContactDto, InformedDto, LegalClocksService } from '@app/delivery';
import { CurrentAuth, SignedIn, UuidParam } from '../http/auth.decorators';

/**
 * The legal clocks of a submission in the caller's units: what a handler
 * records to meet them. Each answers with the submission's metadata and its
 * deadlines; another unit's submission is 404. Texts in Accept-Language.
 */
@ApiTags('inbox')
@SignedIn()
@Controller('api/v1/inbox')
export class InboxClocksController {
  constructor(private readonly clocks: LegalClocksService) {}

  /** Child-welfare notification: the urgency assessment's `result` and when it was made (`at`, default now). */
  @Post(':id/assessment') @HttpCode(200) assessment(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @Body() dto: AssessmentDto, @Headers('accept-language') accept?: string) { return this.clocks.recordAssessment(auth, id, dto, pickLanguage(accept)); }

  /** Child-welfare notification: the decision on opening a case (or not), made now, after the urgency assessment. */
  @Post(':id/decision') @HttpCode(200) decision(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @Body() dto: DecisionDto, @Headers('accept-language') accept?: string) { return this.clocks.recordDecision(auth, id, dto, pickLanguage(accept)); }

  /** Child-welfare notification: when the child or the guardians (`who`) were informed (`at`, default now). */
  @Post(':id/informed') @HttpCode(200) informed(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @Body() dto: InformedDto, @Headers('accept-language') accept?: string) { return this.clocks.recordInformed(auth, id, dto, pickLanguage(accept)); }

  /** Help request: the first contact with the sender (`at`, default now; `channel`); stops the first-contact clock. */
  @Post(':id/first-contact') @HttpCode(200) firstContact(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @Body() dto: FirstContactDto, @Headers('accept-language') accept?: string) { return this.clocks.recordFirstContact(auth, id, dto, pickLanguage(accept)); }
}
