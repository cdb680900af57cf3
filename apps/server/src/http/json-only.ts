import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '@app/platform';

/** True when the request carries a body (chunked, or a non-zero Content-Length). */
function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? 0);
  return !Number.isFinite(length) || length > 0;
}

/**
 * The JSON API takes only JSON bodies: anything else (a url-encoded or
 * multipart form, plain text) is 415 before it is parsed. Besides saying
 * clearly what is wrong, this shuts out the cross-site "simple" form posts a
 * browser would send with the user's cookies.
 */
export function jsonBodiesOnly(req: Request, _res: Response, next: NextFunction): void {
  if (hasBody(req) && !req.is('application/json')) {
    next(new DomainError('unsupported_media_type'));
    return;
  }
  next();
}
