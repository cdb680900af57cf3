import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { StaffService } from '@app/identity';
import { DomainError } from '@app/platform';
import { renderError } from '../../http/error.filter';
import { redirectTo, sendPage } from '../render';
import { AccountPage } from './account-view';
import { LoginPage } from './login-page';
import { RETURN_FIELD, safeReturnPath } from './return-path';
import { StaffPageKit, field, toLogin } from './staff-kit';
import type { LoginReason } from './staff-session';

const REASONS: LoginReason[] = ['signed-out', 'signed-out-everywhere', 'idle', 'expired'];

/** Signing in and out of the staff pages, and where a signed-in person starts. */
@Injectable()
export class AccountPages {
  constructor(
    private readonly kit: StaffPageKit,
    private readonly staff: StaffService,
  ) {}

  /**
   * The login page. `?timeout=1` is where an idle page sends itself: the
   * session ends here if it really was idle (another tab may have kept it
   * alive, and then the person simply goes on at the start page).
   * `?next=` is the page to return to after signing in (one of this site's
   * staff or admin pages, else none); an idle timeout forgets it.
   */
  async login(req: Request, res: Response): Promise<void> {
    let reason = REASONS.find((r) => r === req.query.reason);
    let next = reason === 'idle' || req.query.timeout !== undefined ? undefined : safeReturnPath(req.query[RETURN_FIELD]);
    if (this.kit.sessions.hasSession(req)) {
      const caller = await this.kit.sessions.caller(req, res);
      if ('auth' in caller) return redirectTo(res, next ?? '/staff');
      reason = caller.reason ?? reason;
      if (caller.idle) next = undefined;
    }
    sendPage(res, <LoginPage ctx={this.kit.context(req, res)} reason={reason} idleMinutes={this.kit.sessions.idleMinutes} next={next} />);
  }

  /** Signs in with the identity lib's login and its throttling; a refusal is the API's message, on the same page. */
  async submitLogin(req: Request, res: Response): Promise<void> {
    const ctx = this.kit.context(req, res);
    this.kit.checkPost(req);
    const email = (field(req.body, 'email') ?? '').trim().slice(0, 254);
    const password = field(req.body, 'password') ?? '';
    const next = safeReturnPath(field(req.body, RETURN_FIELD));
    if (!email || !password) {
      return sendPage(res, <LoginPage ctx={ctx} email={email} error={ctx.s.login.required} idleMinutes={this.kit.sessions.idleMinutes} next={next} />, 422);
    }
    try {
      await this.kit.sessions.login(res, email, password.slice(0, 1024), req.ip ?? '');
    } catch (error) {
      if (!(error instanceof DomainError) || !['invalid_credentials', 'too_many_attempts'].includes(error.code)) throw error;
      const body = renderError(error, ctx.lang);
      if (error.code === 'too_many_attempts') res.setHeader('Retry-After', String(error.params.seconds ?? 1));
      return sendPage(res, <LoginPage ctx={ctx} email={email} error={body.message} idleMinutes={this.kit.sessions.idleMinutes} next={next} />, body.status);
    }
    // The page asked for (from a link in an e-mail, say), checked again: only this site's staff and admin pages.
    redirectTo(res, next ?? '/staff');
  }

  async logout(req: Request, res: Response): Promise<void> {
    this.kit.checkPost(req);
    await this.kit.sessions.logout(req, res);
    toLogin(res, 'signed-out');
  }

  /** My account: who I am signed in as, my units and roles, and signing out on every device. */
  async account(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res);
    if (!ctx) return;
    sendPage(res, <AccountPage ctx={ctx} me={await this.staff.get(ctx.caller!.auth.staffId)} />);
  }

  /** Ends every session of the account through the identity lib: this browser, others, and API tokens. */
  async logoutEverywhere(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.posted(req, res);
    if (!ctx) return;
    await this.kit.sessions.logoutEverywhere(res, ctx.caller!.auth.staffId);
    toLogin(res, 'signed-out-everywhere');
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
