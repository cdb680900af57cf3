import type { Response } from 'express';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Sends a page: HTML5 doctype and the rendered component (escaped by preact). */
export function sendPage(res: Response, page: VNode, status = 200): void {
  res.status(status).type('html').send(`<!DOCTYPE html>${renderToString(page)}`);
}

/** After a form post: see the result at its own address (303: the browser GETs it). */
export function redirectTo(res: Response, location: string): void {
  res.redirect(303, location);
}
