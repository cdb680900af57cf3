import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '@app/platform';
import { AuthService, LoginDto, SESSION_COOKIE, sessionTokenOf } from '@app/identity';
import { SignedIn } from '../http/auth.decorators';
import { RateLimit } from '../http/rate-limit';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  /** Returns a session token for `Authorization: Bearer`, and sets it as an HttpOnly cookie. */
  @Post('login')
  @HttpCode(200)
  @RateLimit('login')
  async login(@Body() dto: LoginDto, @Res({ passthrough: true }) res: Response) {
    const result = await this.auth.login(dto.email, dto.password);
    res.cookie(SESSION_COOKIE, result.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.publicUrl.startsWith('https:'),
      path: '/',
      expires: result.expiresAt,
    });
    return result;
  }

  @Post('logout')
  @HttpCode(204)
  @SignedIn()
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(sessionTokenOf(req)!);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }
}
