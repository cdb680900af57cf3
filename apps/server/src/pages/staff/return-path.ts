import type { Request } from 'express';

/** The login form's field (and the login page's query parameter) with the page to return to. */
export const RETURN_FIELD = 'next';
const MAX_LENGTH = 1000;
/** Any URL resolves against this origin; a result with another origin named a site of its own. */
const BASE = 'http://return.invalid';
const RETURNABLE = /^\/(staff|admin)(\/|$)/;
/** Pages that are no destination: signing in and out. */
const NOT_RETURNED = new Set(['/staff/login', '/staff/logout', '/staff/logout-everywhere']);
/**
 * Query parameters never carried over: a stated access purpose must be
 * chosen on this site (a link could otherwise have a handler open a
 * submission "for handling" right after signing in), and the language and
 * the login's own parameters are the login page's business.
 */
const DROPPED = ['purpose', 'purposeText', 'lang', 'reason', 'timeout', RETURN_FIELD];

/**
 * The page to return to after signing in, when it is one of this site's
 * staff or admin pages: a path (not `//host`, not `/\host`, nothing the URL
 * parser reads as another site), normalized (`..` resolved), without the
 * fragment and the dropped parameters. Anything else is undefined, so the
 * login goes to the start page: no redirect can lead off the site.
 */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_LENGTH) return undefined;
  if (!/^\/(?![/\\])/.test(value) || /[\u0000-\u001f\u007f\\]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE || !RETURNABLE.test(url.pathname) || NOT_RETURNED.has(url.pathname)) return undefined;
  for (const name of DROPPED) url.searchParams.delete(name);
  const path = `${url.pathname}${url.search}`;
  return path === '/staff' ? undefined : path;
}

/** The page a signed-out GET asked for, to return to after signing in; a form post is not repeated. */
export function requestedPage(req: Request): string | undefined {
  return req.method === 'GET' ? safeReturnPath(req.originalUrl) : undefined;
}
