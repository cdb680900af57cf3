import type { Response } from 'supertest';

/** The value a response's Set-Cookie gives `name`, with its attributes. */
export function setCookie(res: Response, name: string): { value: string; attributes: string } | undefined {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  const line = (header ?? []).find((c) => c.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair, ...attributes] = line.split(';');
  return { value: decodeURIComponent(pair.slice(name.length + 1)), attributes: attributes.join(';').trim() };
}

/** The hidden form token of a page and the cookie it goes with, as a Cookie header. */
export function formToken(page: Response, cookies: string[] = []): { csrf: string; cookie: string } {
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!csrf) throw new Error('no form token on the page');
  const cookie = setCookie(page, 'csrf')?.value ?? cookies.map((c) => /(?:^|; )csrf=([^;]+)/.exec(c)?.[1]).find(Boolean);
  return { csrf, cookie: [`csrf=${cookie}`, ...cookies.filter((c) => !c.startsWith('csrf='))].join('; ') };
}

/** The page's visible text, tags removed and spaces collapsed (for reading assertions). */
export function text(res: Response): string {
  return res.text.replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
}
