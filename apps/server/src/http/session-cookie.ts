import type { CookieOptions, Response } from 'express';
import { toHelsinkiIso } from '@app/platform';
import { type LoginResponseDto, type LoginResult, SESSION_COOKIE, type SessionKind } from '@app/identity';

/**
 * The session cookie: HttpOnly (no script reads it), `Secure` whenever
 * PUBLIC_URL is https, and SameSite=Lax: browsers leave it off cross-site
 * subrequests and posts, yet a staff member who follows a link to the service
 * (from a notification e-mail, say) arrives signed in, which Strict would
 * not allow. State changes are guarded further by the Origin check.
 */
function cookieOptions(publicUrl: string): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: publicUrl.startsWith('https:'), path: '/' };
}

/** The login answer: a bearer token in the body, or the session in a cookie and no token in the body. */
export function answerLogin(res: Response, result: LoginResult, kind: SessionKind, publicUrl: string): LoginResponseDto {
  const answer = { expiresAt: toHelsinkiIso(result.expiresAt), staff: result.staff };
  if (kind === 'bearer') return { token: result.token, ...answer };
  res.cookie(SESSION_COOKIE, result.token, { ...cookieOptions(publicUrl), expires: result.expiresAt });
  return answer;
}

export function clearSessionCookie(res: Response, publicUrl: string): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(publicUrl));
}
