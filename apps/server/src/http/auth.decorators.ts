import { applyDecorators, createParamDecorator, type ExecutionContext, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth } from '@nestjs/swagger';
import { DomainError } from '@app/platform';
import { type AuthContext, AuthGuard, Roles, type Role } from '@app/identity';

/** The caller's AuthContext, set by AuthGuard. */
export const CurrentAuth = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => ctx.switchToHttp().getRequest().auth);

/** Requires a staff session; with roles, one of them. */
export function SignedIn(...roles: Role[]) {
  return applyDecorators(UseGuards(AuthGuard), ...(roles.length ? [Roles(...roles)] : []), ApiBearerAuth(), ApiCookieAuth('session'));
}

/** A UUID path parameter; anything else is simply not found. */
export const UuidParam = (name: string) => Param(name, new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found') }));

/** `me` or a staff UUID. */
export function resolveStaffId(auth: AuthContext, param: string): string {
  if (param === 'me') return auth.staffId;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(param)) throw new DomainError('not_found');
  return param;
}
