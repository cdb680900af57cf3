import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { pickLanguage } from '@app/platform';
import type { AuthContext } from '@app/identity';
import {
  AccessPurposeQuery, AssignDto, ForwardDto, HandlingService, InboxPdfQuery, InboxQuery, InboxService, NoteDto, PageQuery, RepliesService, ReplyDto,
  StatusChangeDto,
} from '@app/delivery';
import { CurrentAuth, SignedIn, UuidParam } from '../http/auth.decorators';
import { sendPdf } from '../http/send-pdf';

/**
 * Unit inboxes, for handlers (unit role `handler`): only the submissions now
 * with the caller's units; anything else is 404. Opening one needs a
 * `purpose` and is written to the access log. Texts in Accept-Language.
 */
@ApiTags('inbox')
@SignedIn()
@Controller('api/v1/inbox')
export class InboxController {
  constructor(
    private readonly inbox: InboxService,
    private readonly handling: HandlingService,
    private readonly replies: RepliesService,
  ) {}

  /** Metadata of my units' submissions with their deadlines, urgent first, then newest first; filter by `status`, `form`, `priority`, `assignedToMe=true`, `overdue=true|false`, `unit`. */
  @Get() list(@CurrentAuth() auth: AuthContext, @Query() q: InboxQuery, @Headers('accept-language') accept?: string) { return this.inbox.list(auth, q, pickLanguage(accept)); }

  /** Submissions forwarded away from my units (no access any more): when, to which unit, by whom. */
  @Get('forwarded') forwarded(@CurrentAuth() auth: AuthContext, @Query() q: PageQuery) { return this.inbox.forwardedAway(auth, q); }

  /** Opens a submission: answers, notes, messages, history. `purpose` (and with `other`, `purposeText`) goes to the access log. */
  @Get(':id') open(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @Query() q: AccessPurposeQuery, @Headers('accept-language') accept?: string) { return this.inbox.open(auth, id, q, pickLanguage(accept)); }

  /** The submission as PDF, in its language or `lang`; logged with its `purpose` like opening it. */
  @Get(':id/pdf') async pdf(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @Query() q: InboxPdfQuery, @Res() res: Response) { const found = await this.inbox.pdf(auth, id, q); sendPdf(res, found.reference, found.pdf); }

  /** Moves the status one step: received → acknowledged → in_progress → closed (closing needs an `outcome`). */
  @Post(':id/status') @HttpCode(200) setStatus(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @Body() dto: StatusChangeDto, @Headers('accept-language') accept?: string) { return this.handling.setStatus(auth, id, dto, pickLanguage(accept)); }

  /** Assigns to a handler of the submission's unit, or to nobody (`staffId: null`). */
  @Post(':id/assign') @HttpCode(200) assign(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @Body() dto: AssignDto, @Headers('accept-language') accept?: string) { return this.handling.assign(auth, id, dto.staffId, pickLanguage(accept)); }

  /** Adds an internal note (stored encrypted; seen by the handlers of the unit the submission is with). */
  @Post(':id/notes') addNote(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @Body() dto: NoteDto) { return this.handling.addNote(auth, id, dto.text); }

  /** Writes to the sender (stored encrypted; logged as `reply`); the sender is told without content only if they asked to be. */
  @Post(':id/messages') reply(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @Body() dto: ReplyDto) { return this.replies.reply(auth, id, dto.text); }

  /** Forwards to another unit with a reason; my unit loses access at once. */
  @Post(':id/forward') @HttpCode(200) forward(@CurrentAuth() auth: AuthContext, @UuidParam('id') id: string, @Body() dto: ForwardDto, @Headers('accept-language') accept?: string) { return this.handling.forward(auth, id, dto, pickLanguage(accept)); }
}
