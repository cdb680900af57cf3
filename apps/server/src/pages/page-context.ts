import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig, DomainError, type Lang, isLang, pickLanguage, randomToken } from '@app/platform';
import { PageAssets } from './assets';
import { readCookie } from './cookies';
import { type PageTexts, pageTexts } from './texts';

export const LANG_COOKIE = 'lang';
export const CSRF_COOKIE = 'csrf';
export const CSRF_FIELD = '_csrf';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** What every page needs to render: language and texts, the current address, the form token, the organisation. */
export interface PageContext {
  lang: Lang;
  t: PageTexts;
  /** The current path, without the query. */
  path: string;
  /** Query parameters a language switch keeps. */
  query: Record<string, string>;
  /** The form token (see `create`). */
  readonly csrf: string;
  org: { name: string; logoUrl?: string };
  css: string;
  /** The citizen pages' enhancing script. */
  script: string;
}

@Injectable()
export class PageContextFactory {
  private readonly publicOrigin: string;
  private readonly secure: boolean;

  constructor(
    private readonly config: AppConfig,
    private readonly assets: PageAssets,
  ) {
    this.publicOrigin = new URL(config.publicUrl).origin;
    this.secure = config.publicUrl.startsWith('https:');
  }

  /**
   * The page's language: `?lang=` (the language switch, remembered in a
   * cookie), else the remembered one, else the browser's preference.
   */
  create(req: Request, res: Response): PageContext {
    const asked = req.query.lang;
    let lang: Lang;
    if (isLang(asked)) {
      lang = asked;
      res.cookie(LANG_COOKIE, lang, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/', maxAge: 365 * 86_400_000 });
    } else {
      const remembered = readCookie(req, LANG_COOKIE);
      lang = isLang(remembered) ? remembered : pickLanguage(req.headers['accept-language']);
    }
    const remembered = readCookie(req, CSRF_COOKIE);
    let csrf = remembered && TOKEN_SHAPE.test(remembered) ? remembered : undefined;
    const secure = this.secure;
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.query)) {
      if (key !== 'lang' && key !== 'token' && typeof value === 'string' && value.length <= 200) query[key] = value;
    }
    return {
      lang,
      t: pageTexts(lang),
      path: req.path,
      query,
      // Made (and its cookie set) only when a page has a form: pages without one are the same for every visitor.
      get csrf() {
        if (!csrf) {
          csrf = randomToken();
          res.cookie(CSRF_COOKIE, csrf, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
        }
        return csrf;
      },
      org: { name: this.config.orgName[lang], logoUrl: this.config.orgLogoUrl },
      css: this.assets.css.path,
      script: this.assets.citizenScript.path,
    };
  }

  /** The same page in another language (a form's language button), remembered like `?lang=`. */
  withLanguage(ctx: PageContext, res: Response, lang: Lang): PageContext {
    if (lang === ctx.lang) return ctx;
    res.cookie(LANG_COOKIE, lang, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/', maxAge: 365 * 86_400_000 });
    return { ...ctx, lang, t: pageTexts(lang), org: { ...ctx.org, name: this.config.orgName[lang] } };
  }

  /**
   * Cross-site request forgery check of a page's form post: the form's
   * hidden token must equal the cookie set with the page (a site elsewhere
   * can neither read nor set it), and a browser-sent Origin must be ours.
   */
  checkPost(req: Request): void {
    const origin = req.headers.origin;
    if (typeof origin === 'string' && origin !== 'null' && origin !== this.publicOrigin) throw new DomainError('cross_site_request');
    const cookie = readCookie(req, CSRF_COOKIE) ?? '';
    const body = req.body as Record<string, unknown> | undefined;
    const field = typeof body?.[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : '';
    if (!TOKEN_SHAPE.test(cookie) || field.length !== cookie.length || !timingSafeEqual(Buffer.from(field), Buffer.from(cookie))) {
      throw new DomainError('cross_site_request');
    }
  }
}

/**
 * The context of a page rendered once for every visitor (see PageCache): it
 * has no form token, so a form on such a page fails at once rather than
 * handing one visitor's token to all. `query`: the parameters its language
 * links keep (those the page's memo key holds).
 */
export function sharedContext(ctx: PageContext, query = ctx.query): PageContext {
  const { csrf: _token, ...rest } = Object.getOwnPropertyDescriptors(ctx);
  return Object.defineProperties({} as PageContext, {
    ...rest,
    query: { value: query, enumerable: true },
    csrf: {
      get: () => {
        throw new Error('a page shared by every visitor cannot hold a form token');
      },
    },
  });
}

/** A link to the same page in another language, keeping its query. */
export function languageHref(ctx: PageContext, lang: Lang): string {
  return `${ctx.path}?${new URLSearchParams({ ...ctx.query, lang }).toString()}`;
}
