import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig, Clock, Envelope, hashToken } from '@app/platform';
import { type AuthContext, AuthService, type LoginResult, SESSION_COOKIE, StaffService } from '@app/identity';
import { PageAssets } from '../assets';
import { readCookie } from '../cookies';
import { clearSessionCookie } from '../../http/session-cookie';

/** The last request's time, signed and bound to the session: `<ms>.<signature>`. */
export const IDLE_COOKIE = 'staff_seen';
export const LOGIN_PATH = '/staff/login';
/** Why the login page is shown: signed out (here or everywhere), idle too long, or the session ended. */
export type LoginReason = 'signed-out' | 'signed-out-everywhere' | 'idle' | 'expired';

/** Why there is no caller; `idle` when the browser was left alone past STAFF_IDLE_MINUTES. */
export interface SignedOut {
  reason: LoginReason | undefined;
  idle?: boolean;
}

export interface StaffCaller {
  auth: AuthContext;
  name: string;
  /** Seconds until the page returns to the login by itself. */
  idleSeconds: number;
  /** The address of the script that does it. */
  idleScript: string;
}

/**
 * The staff pages' sign-in: the API's cookie session (the identity lib's
 * login, with its throttling), and an idle timeout for shared workstations.
 * Every staff page request refreshes a signed cookie with its time; a
 * request after STAFF_IDLE_MINUTES without one ends the session in the
 * database, so nobody can come back to it from the browser's history.
 */
@Injectable()
export class StaffSessions {
  private readonly secure: boolean;

  constructor(
    private readonly auth: AuthService,
    private readonly staff: StaffService,
    private readonly envelope: Envelope,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly assets: PageAssets,
  ) {
    this.secure = config.publicUrl.startsWith('https:');
  }

  get idleMinutes(): number {
    return this.config.staffIdleMinutes;
  }

  /** Signs in (throws `invalid_credentials` or `too_many_attempts` like the API) and sets the session and idle cookies. */
  async login(res: Response, email: string, password: string, clientAddress: string): Promise<LoginResult> {
    const result = await this.auth.login(email, password, clientAddress);
    // The API's session cookie, but without Expires: a browser session cookie, gone when a shared
    // workstation's browser closes. The session's end is the database's (SESSION_TTL_MINUTES).
    res.cookie(SESSION_COOKIE, result.token, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/' });
    this.touch(res, result.token);
    return result;
  }

  async logout(req: Request, res: Response): Promise<void> {
    const token = this.token(req);
    if (token) await this.auth.logout(token);
    this.forget(res);
  }

  /** Ends every session of the account (this browser's, other browsers', API bearer tokens) and forgets this browser's. */
  async logoutEverywhere(res: Response, staffId: string): Promise<void> {
    await this.auth.logoutEverywhere(staffId);
    this.forget(res);
  }

  /**
   * The signed-in caller, or the reason to show the login instead: no
   * session, an ended one (expired, signed out elsewhere, deactivated), or
   * one idle too long, which is ended here.
   */
  async caller(req: Request, res: Response): Promise<StaffCaller | SignedOut> {
    const token = this.token(req);
    if (!token) return { reason: undefined };
    const auth = await this.auth.authenticate(token);
    if (!auth) {
      this.forget(res);
      // Ended, and left alone too: whoever comes next to this browser does not get the last page.
      return { reason: 'expired', idle: this.isIdle(req, token) };
    }
    if (this.isIdle(req, token)) {
      await this.auth.logout(token);
      this.forget(res);
      return { reason: 'idle', idle: true };
    }
    this.touch(res, token);
    const me = await this.staff.get(auth.staffId);
    return { auth, name: me.name, idleSeconds: this.config.staffIdleMinutes * 60, idleScript: this.assets.idleScript.path };
  }

  /** Whether the browser holds a session cookie at all. */
  hasSession(req: Request): boolean {
    return this.token(req) !== undefined;
  }

  private token(req: Request): string | undefined {
    const token = readCookie(req, SESSION_COOKIE);
    return token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : undefined;
  }

  private signature(token: string, at: string): string {
    return this.envelope.pseudonym('staff-idle', `${hashToken(token)}.${at}`);
  }

  private isIdle(req: Request, token: string): boolean {
    const [at, signature] = (readCookie(req, IDLE_COOKIE) ?? '').split('.');
    if (!at || !signature || !/^\d{1,15}$/.test(at)) return true;
    const expected = Buffer.from(this.signature(token, at));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return true;
    return this.clock.now().getTime() - Number(at) >= this.config.staffIdleMinutes * 60_000;
  }

  private touch(res: Response, token: string): void {
    const at = String(this.clock.now().getTime());
    res.cookie(IDLE_COOKIE, `${at}.${this.signature(token, at)}`, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/' });
  }

  private forget(res: Response): void {
    clearSessionCookie(res, this.config.publicUrl);
    res.clearCookie(IDLE_COOKIE, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/' });
  }
}
