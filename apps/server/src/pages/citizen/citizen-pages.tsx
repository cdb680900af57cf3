import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type AppointmentView, AppointmentsService, ServicesService } from '@app/booking';
import { UnitsService } from '@app/identity';
import { AppConfig, Clock, DomainError, type TextRule, catalogue, interpolate, normalizeText, textProblem } from '@app/platform';
import { readCookie } from '../cookies';
import { PageCache } from '../page-cache';
import { type PageContext, PageContextFactory, sharedContext } from '../page-context';
import { type RenderedPage, redirectTo, renderedPage, sendPage, sendRendered } from '../render';
import { AccessibilityPage } from './accessibility-page';
import { FeedbackForm } from './feedback';
import { FrontPage } from './front-page';
import { CancelPage, type ManageNotice, ManagePage } from './manage-pages';
import { MessagePage } from './message-page';

/** The manage token's cookie: for this appointment's pages only, and only for a while after the link was opened. */
export const MANAGE_COOKIE = 'manage';
export const MANAGE_COOKIE_MINUTES = 30;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

/** The families' pages without an account: front page, accessibility statement, the appointment's manage pages. */
@Injectable()
export class CitizenPages {
  private readonly secure: boolean;
  /** The front page as sent, per language (it holds nothing of the visitor). */
  private readonly frontPages: PageCache<RenderedPage>;

  constructor(
    private readonly contexts: PageContextFactory,
    private readonly services: ServicesService,
    private readonly appointments: AppointmentsService,
    private readonly units: UnitsService,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.secure = config.publicUrl.startsWith('https:');
    this.frontPages = new PageCache(config.pageCacheMs, { maxEntries: 3, refreshAhead: true });
  }

  async front(req: Request, res: Response): Promise<void> {
    const ctx = this.contexts.create(req, res);
    // One per language: the front page takes no parameters, so an address with any (`?utm_source=…`) cannot crowd the memo.
    sendRendered(req, res, await this.frontPages.get(ctx.lang, async () => renderedPage(<FrontPage ctx={sharedContext(ctx, {})} services={await this.services.list()} />)));
  }

  accessibility(req: Request, res: Response): void {
    const ctx = this.contexts.create(req, res);
    sendPage(res, <AccessibilityPage ctx={ctx} feedback={<FeedbackForm ctx={ctx} sent={req.query.palaute === 'kiitos'} />} />);
  }

  /**
   * The manage link from the e-mail. With `?token=`, a valid token moves
   * into a short-lived HttpOnly cookie scoped to this appointment and the
   * browser is sent to the same page without it, so the token stays out of
   * history, logs and Referer. Without it, the cookie shows the appointment.
   */
  async manage(req: Request, res: Response, id: string): Promise<void> {
    const ctx = this.contexts.create(req, res);
    const fromLink = req.query.token;
    if (fromLink !== undefined) {
      const token = typeof fromLink === 'string' ? fromLink : '';
      if (!(await this.tokenOpens(id, token))) return this.linkInvalid(ctx, res);
      res.cookie(MANAGE_COOKIE, token, {
        httpOnly: true, sameSite: 'lax', secure: this.secure, path: `/appointments/${id}`, maxAge: MANAGE_COOKIE_MINUTES * 60_000,
      });
      return redirectTo(res, `/appointments/${id}/manage${typeof req.query.lang === 'string' ? `?lang=${ctx.lang}` : ''}`);
    }
    const appointment = await this.load(ctx, req, res, id);
    if (!appointment) return;
    const notice = req.query.done === 'cancelled' && appointment.status === 'cancelled' ? 'cancelled-now' : undefined;
    await this.showManage(ctx, res, appointment, notice);
  }

  async cancelConfirmation(req: Request, res: Response, id: string): Promise<void> {
    const ctx = this.contexts.create(req, res);
    const appointment = await this.load(ctx, req, res, id);
    if (!appointment) return;
    if (!this.changeable(appointment)) return this.showManage(ctx, res, appointment, undefined);
    sendPage(res, <CancelPage ctx={ctx} appointment={appointment} />);
  }

  async cancel(req: Request, res: Response, id: string): Promise<void> {
    this.contexts.checkPost(req);
    const ctx = this.contexts.create(req, res);
    const token = this.cookieToken(req);
    if (!token) return this.sessionExpired(ctx, res);
    const { reason, problem } = cancelReason(req.body);
    if (problem) {
      const appointment = await this.load(ctx, req, res, id);
      const message = interpolate(catalogue(ctx.lang).validation[problem], { max: REASON_MAX });
      if (appointment) sendPage(res, <CancelPage ctx={ctx} appointment={appointment} reason={reason} error={message} />, 422);
      return;
    }
    try {
      await this.appointments.cancel({ type: 'family', manageToken: token }, id, reason);
    } catch (error) {
      const notice: ManageNotice | undefined =
        error instanceof DomainError && error.code === 'change_deadline_passed' ? 'deadline-passed'
        : error instanceof DomainError && error.code === 'appointment_not_active' ? 'not-active' : undefined;
      if (!notice) throw error;
      const appointment = await this.load(ctx, req, res, id);
      if (appointment) await this.showManage(ctx, res, appointment, notice, 409);
      return;
    }
    redirectTo(res, `/appointments/${id}/manage?done=cancelled`);
  }

  changeable(appointment: AppointmentView): boolean {
    return appointment.status === 'booked' && this.clock.now() < new Date(appointment.changeableUntil);
  }

  async showManage(ctx: PageContext, res: Response, appointment: AppointmentView, notice: ManageNotice | undefined, status = 200): Promise<void> {
    const changeable = this.changeable(appointment);
    const unitPhone = changeable ? null : (await this.units.get(appointment.unit.id)).phone;
    sendPage(res, <ManagePage ctx={ctx} appointment={appointment} changeable={changeable} unitPhone={unitPhone} notice={notice} />, status);
  }

  cookieToken(req: Request): string | undefined {
    const token = readCookie(req, MANAGE_COOKIE);
    return token && TOKEN_SHAPE.test(token) ? token : undefined;
  }

  /** The appointment the cookie opens; otherwise the page saying what to do, and undefined. */
  async load(ctx: PageContext, req: Request, res: Response, id: string): Promise<AppointmentView | undefined> {
    const token = this.cookieToken(req);
    if (!token) {
      this.sessionExpired(ctx, res);
      return undefined;
    }
    try {
      return await this.appointments.get({ type: 'family', manageToken: token }, id);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not_found') {
        this.linkInvalid(ctx, res);
        return undefined;
      }
      throw error;
    }
  }

  private async tokenOpens(id: string, token: string): Promise<boolean> {
    if (!TOKEN_SHAPE.test(token)) return false;
    try {
      await this.appointments.get({ type: 'family', manageToken: token }, id);
      return true;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not_found') return false;
      throw error;
    }
  }

  linkInvalid(ctx: PageContext, res: Response): void {
    sendPage(res, <MessagePage ctx={ctx} title={ctx.t.manage.linkInvalidTitle} text={ctx.t.manage.linkInvalid} noindex />, 404);
  }

  sessionExpired(ctx: PageContext, res: Response): void {
    sendPage(res, <MessagePage ctx={ctx} title={ctx.t.manage.sessionExpiredTitle} text={ctx.t.manage.sessionExpired} noindex />, 403);
  }
}

const REASON_MAX = 500;

/** The optional reason, one line of text as the API takes it; or the rule it breaks. */
function cancelReason(body: unknown): { reason?: string; problem?: TextRule | 'maxLength' } {
  const raw = (body as Record<string, unknown> | undefined)?.reason;
  if (typeof raw !== 'string') return {};
  const reason = normalizeText(raw);
  if (!reason) return {};
  const problem = reason.length > REASON_MAX ? 'maxLength' : textProblem(reason);
  return { reason, problem };
}
