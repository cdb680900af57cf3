import type { Response } from 'express';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** A page as HTML: the HTML5 doctype and the rendered component (escaped by preact). */
export function pageHtml(page: VNode): string {
  return `<!DOCTYPE html>${renderToString(page)}`;
}

/** Sends a page. */
export function sendPage(res: Response, page: VNode, status = 200): void {
  sendHtml(res, pageHtml(page), status);
}

/** Sends a page rendered earlier (see PageCache). */
export function sendHtml(res: Response, html: string, status = 200): void {
  res.status(status).type('html').send(html);
}

/** After a form post: see the result at its own address (303: the browser GETs it). */
export function redirectTo(res: Response, location: string): void {
  res.redirect(303, location);
}
