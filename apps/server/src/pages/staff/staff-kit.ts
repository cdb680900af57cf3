import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '@app/platform';
import type { Role } from '@app/identity';
import { createValidationPipe } from '../../http/validation';
import { PageContextFactory } from '../page-context';
import { redirectTo } from '../render';
import { staffTexts } from '../texts/staff';
import type { StaffPageContext } from './staff-layout';
import { RETURN_FIELD, requestedPage } from './return-path';
import { LOGIN_PATH, type LoginReason, StaffSessions } from './staff-session';

/** What a staff page needs before it renders: the context, the signed-in caller, the form post's checks. */
@Injectable()
export class StaffPageKit {
  constructor(
    private readonly contexts: PageContextFactory,
    readonly sessions: StaffSessions,
  ) {}

  /** The context of a page shown to anyone (the login page). */
  context(req: Request, res: Response): StaffPageContext {
    const ctx = this.contexts.create(req, res);
    return { ...ctx, s: staffTexts(ctx.lang) };
  }

  /**
   * The context with the signed-in caller; without one, the browser is sent
   * to the login (saying why) and undefined is returned. With `role`, a
   * caller without it is refused (`forbidden`).
   */
  async signedIn(req: Request, res: Response, role?: Role): Promise<StaffPageContext | undefined> {
    const caller = await this.sessions.caller(req, res);
    if (!('auth' in caller)) {
      // A page asked for without a session (a link in an e-mail) is where the login returns; after the
      // idle timeout it is forgotten, so a shared workstation does not show the next person the last one's page.
      toLogin(res, caller.reason, caller.idle ? undefined : requestedPage(req));
      return undefined;
    }
    if (role && !caller.auth.roles.includes(role)) throw new DomainError('forbidden');
    return { ...this.context(req, res), caller };
  }

  /** The cross-site request forgery check of a form post (the form's token and the browser's Origin). */
  checkPost(req: Request): void {
    this.contexts.checkPost(req);
  }

  /** A form post: the cross-site request forgery check, then the caller. */
  async posted(req: Request, res: Response, role?: Role): Promise<StaffPageContext | undefined> {
    this.checkPost(req);
    return this.signedIn(req, res, role);
  }
}

/** To the login page, saying why; with `next`, the page to return to after signing in. */
export function toLogin(res: Response, reason: LoginReason | undefined, next?: string): void {
  const query = new URLSearchParams({ ...(reason ? { reason } : {}), ...(next ? { [RETURN_FIELD]: next } : {}) }).toString();
  redirectTo(res, query ? `${LOGIN_PATH}?${query}` : LOGIN_PATH);
}

const pipe = createValidationPipe();

/**
 * A form post's fields checked by the API's DTO and its rules (the same
 * messages): only the named fields are taken, and an empty field counts as
 * not given. Throws `validation_failed` with the fields.
 */
export async function formBody<T extends object>(metatype: new () => T, body: unknown, fields: (keyof T & string)[]): Promise<T> {
  const raw = (body ?? {}) as Record<string, unknown>;
  const picked = Object.fromEntries(fields.filter((f) => typeof raw[f] === 'string' && raw[f] !== '').map((f) => [f, raw[f]]));
  return pipe.transform(picked, { type: 'body', metatype, data: '' }) as Promise<T>;
}

/** A query string checked by the API's DTO (unknown or empty parameters dropped). */
export async function queryOf<T extends object>(metatype: new () => T, query: unknown, fields: (keyof T & string)[]): Promise<T> {
  const raw = (query ?? {}) as Record<string, unknown>;
  const picked = Object.fromEntries(fields.filter((f) => typeof raw[f] === 'string' && raw[f] !== '').map((f) => [f, raw[f]]));
  return pipe.transform(picked, { type: 'query', metatype, data: '' }) as Promise<T>;
}

/** A string field of a form post, or undefined. */
export function field(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}
