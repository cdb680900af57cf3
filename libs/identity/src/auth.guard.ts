import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@app/platform';
import type { AuthContext } from './auth-context';
import { AuthService } from './auth.service';
import type { Role } from './staff.entity';

export const SESSION_COOKIE = 'session';
const ROLES_KEY = 'roles';

/** Restricts a controller or handler to callers with one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  auth?: AuthContext;
}

/** The session token from `Authorization: Bearer …` or the session cookie. */
export function sessionTokenOf(request: RequestLike): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7).trim() || undefined;
  const cookies = typeof request.headers.cookie === 'string' ? request.headers.cookie.split(';') : [];
  for (const cookie of cookies) {
    const [name, ...value] = cookie.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('=')) || undefined;
  }
  return undefined;
}

/** Requires a valid session; with @Roles, also one of the roles. Sets `request.auth`. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestLike>();
    const token = sessionTokenOf(request);
    const auth = token ? await this.auth.authenticate(token) : null;
    if (!auth) throw new DomainError('unauthenticated');
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (roles && !roles.some((role) => auth.roles.includes(role))) throw new DomainError('forbidden');
    request.auth = auth;
    return true;
  }
}
