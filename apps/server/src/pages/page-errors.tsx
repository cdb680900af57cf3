import { Injectable } from '@nestjs/common';
import type { ErrorPages } from '../http/error.filter';
import type { Request, Response } from 'express';
import { MessagePage } from './citizen/message-page';
import { PageContextFactory } from './page-context';
import { sendPage } from './render';

/** Any error on a page, as a page in the visitor's language (the message from the API's catalogue). */
@Injectable()
export class PageErrors implements ErrorPages {
  constructor(private readonly contexts: PageContextFactory) {}

  render(req: Request, res: Response, error: { status: number; code: string; message: string }): void {
    const ctx = this.contexts.create(req, res);
    const notFound = error.code === 'not_found';
    const title = notFound ? ctx.t.errorPage.notFoundTitle : ctx.t.errorPage.title;
    sendPage(res, <MessagePage ctx={ctx} title={title} text={notFound ? ctx.t.errorPage.notFound : error.message} noindex />, error.status);
  }
}
