import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { AppConfig } from '@app/platform';

/** Helmet's headers, then `Cache-Control` (below), for every response. */
export function securityHeaders(app: NestExpressApplication): RequestHandler[] {
  const config = app.get(AppConfig);
  const logo = config.orgLogoUrl?.startsWith('https:') ? [new URL(config.orgLogoUrl).origin] : [];
  const pages = helmetFor(config.publicUrl, { inlineStyles: false, images: logo });
  const docs = helmetFor(config.publicUrl, { inlineStyles: true, images: [] });
  const byPath: RequestHandler = (req, res, next) => (DOCS.test(req.path) ? docs : pages)(req, res, next);
  return [byPath, noStore];
}

/** The API documentation (Swagger UI) and its files. */
const DOCS = /^\/api\/docs(\/|$)/;

/**
 * Security headers on every response (helmet). The Content-Security-Policy
 * allows only this origin's scripts, styles, images and connections, and no
 * inline script anywhere. Inline styles are allowed only on the API
 * documentation (Swagger UI has an inline `<style>` block and `style`
 * attributes); the pages and the API get none. Images may also come from the
 * organisation's logo's origin. No framing at all. Over https, browsers are
 * told to stay on https (HSTS) and to upgrade any http subresource.
 */
function helmetFor(publicUrl: string, allow: { inlineStyles: boolean; images: string[] }): RequestHandler {
  const https = publicUrl.startsWith('https:');
  return once(helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'connect-src': ["'self'"],
        'font-src': ["'self'", 'data:'],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'img-src': ["'self'", 'data:', ...allow.images],
        'object-src': ["'none'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': allow.inlineStyles ? ["'self'", "'unsafe-inline'"] : ["'self'"],
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    // Only the service's own host: its subdomains are not ours to pin to https.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  }));
}

/**
 * Helmet's headers are the same for every response (the policy has no
 * per-request nonce): they are taken from it once, at start-up, and set with
 * one loop per response instead of helmet's dozen middlewares (a tenth of a
 * millisecond per page under load). Anything else helmet would do fails here
 * at start-up rather than being silently skipped.
 */
function once(middleware: RequestHandler): RequestHandler {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader: (name: string, value: string) => headers.push([name, value]),
    removeHeader: (name: string) => {
      if (name.toLowerCase() !== 'x-powered-by') throw new Error(`helmet removed ${name}`);
    },
  };
  let called = false;
  middleware({} as Request, recorder as unknown as Response, (error?: unknown) => {
    if (error) throw error;
    called = true;
  });
  if (!called || !headers.length) throw new Error('helmet did not set its headers synchronously');
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/** The Swagger UI's own files (scripts, styles, icons) and the pages' style sheet: public and the same for everyone. */
const PUBLIC_ASSET = /^\/(api\/docs|assets)\/[\w.-]+\.(js|css|png|map)$/;

/**
 * `Cache-Control: no-store` on every response that may carry personal data:
 * everything except the public static files of the API documentation and
 * the pages, which stay cacheable. `Pragma: no-cache` for HTTP/1.0 caches; no `Expires`, which
 * `no-store` makes meaningless.
 */
export function noStore(req: Request, res: Response, next: NextFunction): void {
  if (!(req.method === 'GET' || req.method === 'HEAD') || !PUBLIC_ASSET.test(req.path)) {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
  }
  next();
}
