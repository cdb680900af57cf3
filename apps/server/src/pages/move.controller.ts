import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UuidParam } from '../http/auth.decorators';
import { RateLimit } from '../http/rate-limit';
import { MoveFlow } from './citizen/move-flow';

/** Moving an appointment from its manage page: free times, check, the move, its confirmation (`RATE_LIMIT_MANAGE`, as the API). */
@ApiExcludeController()
@Controller('appointments/:id')
export class MovePagesController {
  constructor(private readonly move: MoveFlow) {}

  @Get('move') @RateLimit('manage')
  times(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.move.times(req, res, id); }

  @Get('move/:slotId') @RateLimit('manage')
  check(@UuidParam('id') id: string, @UuidParam('slotId') slotId: string, @Req() req: Request, @Res() res: Response) { return this.move.check(req, res, id, slotId); }

  @Post('move/:slotId') @RateLimit('manage')
  post(@UuidParam('id') id: string, @UuidParam('slotId') slotId: string, @Req() req: Request, @Res() res: Response) { return this.move.post(req, res, id, slotId); }

  @Get('moved') @RateLimit('manage')
  moved(@UuidParam('id') id: string, @Req() req: Request, @Res() res: Response) { return this.move.moved(req, res, id); }
}
