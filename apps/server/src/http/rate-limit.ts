import { type CanActivate, type ExecutionContext, Injectable, SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { type RateLimitBucket, RateLimiter } from '@app/platform';

const BUCKET = 'rate-limit-bucket';

/** Counts the request in its handler's bucket, per client address (`req.ip`) and in total; 429 over the limit. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const bucket = this.reflector.get<RateLimitBucket>(BUCKET, context.getHandler());
    this.limiter.hit(bucket, context.switchToHttp().getRequest<Request>().ip);
    return true;
  }
}

/** Rate-limits a handler with the limits of one bucket (`RATE_LIMIT_<BUCKET>`). */
export function RateLimit(bucket: RateLimitBucket) {
  return applyDecorators(
    SetMetadata(BUCKET, bucket),
    UseGuards(RateLimitGuard),
    ApiTooManyRequestsResponse({ description: 'Too many requests: wait the seconds in `Retry-After`.' }),
  );
}
