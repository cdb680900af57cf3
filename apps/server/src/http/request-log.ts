import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';

const CALLER_ID = /^[\x21-\x7e]{1,100}$/;

/**
 * A request id for every response (`X-Request-Id`: a load balancer's own is
 * kept, its first 100 characters, else a new UUID) and one log line when it is done: id, method, path
 * without the query (tokens travel in queries), status and milliseconds —
 * never headers or bodies. Info level, 5xx at error; a response the client
 * left before it was sent is logged as aborted. Unlike a per-request child logger, nothing
 * is built for a line the level will not write.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const kept = typeof given === 'string' ? given.slice(0, 100) : '';
    const id = CALLER_ID.test(kept) ? kept : randomUUID();
    res.setHeader('X-Request-Id', id);
    const started = performance.now();
    const done = () => {
      res.off('finish', done);
      res.off('close', done);
      const status = res.writableFinished ? res.statusCode : undefined;
      const level = status !== undefined && status >= 500 ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
      logger[level](
        { req: { id, method: req.method, path }, res: { status: status ?? null }, responseTime: Math.round(performance.now() - started) },
        status === undefined ? 'request aborted' : 'request completed',
      );
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
