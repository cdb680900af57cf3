import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '@app/platform';
import { renderError } from '../../http/error.filter';
import { redirectTo, sendPage } from '../render';
import { LoginPage } from './login-page';
import { StaffPageKit, field, toLogin } from './staff-kit';
import type { LoginReason } from './staff-session';

const REASONS: LoginReason[] = ['signed-out', 'idle', 'expired'];

/** Signing in and out of the staff pages, and where a signed-in person starts. */
@Injectable()
export class AccountPages {
  constructor(private readonly kit: StaffPageKit) {}

  /**
   * The login page. `?timeout=1` is where an idle page sends itself: the
   * session ends here if it really was idle (another tab may have kept it
   * alive, and then the person simply goes on at the start page).
   */
  async login(req: Request, res: Response): Promise<void> {
    let reason = REASONS.find((r) => r === req.query.reason);
    if (this.kit.sessions.hasSession(req)) {
      const caller = await this.kit.sessions.caller(req, res);
      if ('auth' in caller) return redirectTo(res, '/staff');
      reason = caller.reason ?? reason;
    }
    sendPage(res, <LoginPage ctx={this.kit.context(req, res)} reason={reason} idleMinutes={this.kit.sessions.idleMinutes} />);
  }

  /** Signs in with the identity lib's login and its throttling; a refusal is the API's message, on the same page. */
  async submitLogin(req: Request, res: Response): Promise<void> {
    const ctx = this.kit.context(req, res);
    this.kit.checkPost(req);
    const email = (field(req.body, 'email') ?? '').trim().slice(0, 254);
    const password = field(req.body, 'password') ?? '';
    if (!email || !password) {
      return sendPage(res, <LoginPage ctx={ctx} email={email} error={ctx.s.login.required} idleMinutes={this.kit.sessions.idleMinutes} />, 422);
    }
    try {
      await this.kit.sessions.login(res, email, password.slice(0, 1024), req.ip ?? '');
    } catch (error) {
      if (!(error instanceof DomainError) || !['invalid_credentials', 'too_many_attempts'].includes(error.code)) throw error;
      const body = renderError(error, ctx.lang);
      if (error.code === 'too_many_attempts') res.setHeader('Retry-After', String(error.params.seconds ?? 1));
      return sendPage(res, <LoginPage ctx={ctx} email={email} error={body.message} idleMinutes={this.kit.sessions.idleMinutes} />, body.status);
    }
    // The start page, never the page asked for before: a shared workstation forgets where the last person was.
    redirectTo(res, '/staff');
  }

  async logout(req: Request, res: Response): Promise<void> {
    this.kit.checkPost(req);
    await this.kit.sessions.logout(req, res);
    toLogin(res, 'signed-out');
  }

  /** The start page of each role: the calendar, the inbox, or the measures. */
  async home(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res);
    if (!ctx) return;
    const auth = ctx.caller!.auth;
    if (auth.handlerUnitIds.length && !auth.unitIds.length) return redirectTo(res, '/staff/inbox');
    if (auth.roles.includes('admin') && !auth.unitIds.length) return redirectTo(res, '/admin/measures');
    redirectTo(res, '/staff/calendar');
  }

}
