import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig, DomainError } from '@app/platform';
import type { AuthContext } from './auth-context';
import { AuthService } from './auth.service';
import type { Role } from './staff.entity';

export const SESSION_COOKIE = 'session';
const ROLES_KEY = 'roles';

/** Restricts a controller or handler to callers with one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

interface RequestLike {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  auth?: AuthContext;
}

export interface SessionCredential {
  token: string;
  /** Browsers add cookies to cross-site requests by themselves; an Authorization header they never add. */
  via: 'bearer' | 'cookie';
}

/** The session token from `Authorization: Bearer …` (which wins) or the session cookie. */
export function sessionCredentialOf(request: Pick<RequestLike, 'headers'>): SessionCredential | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) {
    const token = header.slice(7).trim();
    return token ? { token, via: 'bearer' } : undefined;
  }
  const cookies = typeof request.headers.cookie === 'string' ? request.headers.cookie.split(';') : [];
  for (const cookie of cookies) {
    const [name, ...value] = cookie.trim().split('=');
    if (name !== SESSION_COOKIE) continue;
    let token: string;
    try {
      token = decodeURIComponent(value.join('='));
    } catch {
      return undefined;
    }
    return token ? { token, via: 'cookie' } : undefined;
  }
  return undefined;
}

export function sessionTokenOf(request: Pick<RequestLike, 'headers'>): string | undefined {
  return sessionCredentialOf(request)?.token;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origin (`scheme://host[:port]`) of a URL, or undefined when it is not one. */
function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Cross-site request forgery check for cookie sessions: a state change must
 * come from the service's own origin (`PUBLIC_URL`), named by `Origin`, else
 * by `Referer`. Neither present, or another origin: refused.
 */
export function isSameOrigin(request: Pick<RequestLike, 'headers'>, publicOrigin: string): boolean {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const origin = header('origin');
  if (origin !== undefined) return origin === publicOrigin;
  const referer = header('referer');
  return referer !== undefined && originOf(referer) === publicOrigin;
}

/**
 * Requires a valid session; with @Roles, also one of the roles. Sets `request.auth`.
 * A state change carried by the session cookie must come from the service's own origin.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly publicOrigin: string;

  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
    config: AppConfig,
  ) {
    this.publicOrigin = new URL(config.publicUrl).origin;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestLike>();
    const credential = sessionCredentialOf(request);
    const auth = credential ? await this.auth.authenticate(credential.token) : null;
    if (!credential || !auth) throw new DomainError('unauthenticated');
    if (credential.via === 'cookie' && !SAFE_METHODS.has(request.method) && !isSameOrigin(request, this.publicOrigin)) {
      throw new DomainError('cross_site_request');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (roles && !roles.some((role) => auth.roles.includes(role))) throw new DomainError('forbidden');
    request.auth = auth;
    return true;
  }
}
