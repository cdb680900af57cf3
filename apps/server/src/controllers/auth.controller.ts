import { Body, Controller, HttpCode, Ip, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '@app/platform';
import { AuthService, LoginDto, LoginResponseDto, sessionTokenOf } from '@app/identity';
import { SignedIn } from '../http/auth.decorators';
import { answerLogin, clearSessionCookie } from '../http/session-cookie';
import { RateLimit } from '../http/rate-limit';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Signs a staff member in. With `session: "bearer"` (the default) the body carries the token for
   * `Authorization: Bearer` and no cookie is set; with `session: "cookie"` the session is set as an
   * HttpOnly cookie (SameSite=Lax, Secure when PUBLIC_URL is https) and the body carries no token.
   * Cookie-authenticated state changes must then send `Origin` (or `Referer`) of PUBLIC_URL.
   */
  @Post('login') @HttpCode(200) @RateLimit('login') @ApiOkResponse({ type: LoginResponseDto }) @ApiTooManyRequestsResponse({ description: 'Too many attempts; see Retry-After' })
  async login(@Body() dto: LoginDto, @Ip() ip: string, @Res({ passthrough: true }) res: Response) { return answerLogin(res, await this.auth.login(dto.email, dto.password, ip), dto.session ?? 'bearer', this.config.publicUrl); }

  /** Ends the session that made the request and clears the cookie. */
  @Post('logout') @HttpCode(204) @SignedIn()
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> { await this.auth.logout(sessionTokenOf(req)!); clearSessionCookie(res, this.config.publicUrl); }
}
