import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent';

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

/** The pages' origin in supertest specs (PUBLIC_URL of startApp). */
export const PAGES_ORIGIN = 'http://perhe.test';

/** Signs in through the login page over HTTP; returns the browser's cookies and the form token. */
export async function signInOverHttp(http: TestAgent, email: string, password: string, lang = 'fi'): Promise<{ cookies: string; csrf: string }> {
  const page = await http.get(`/staff/login?lang=${lang}`).expect(200);
  const { csrf, cookie } = formToken(page, [`lang=${lang}`]);
  const res = await http.post('/staff/login').set('Cookie', cookie).set('Origin', PAGES_ORIGIN).type('form').send({ _csrf: csrf, email, password }).expect(303);
  const cookies = [cookie, `session=${setCookie(res, 'session')!.value}`, `staff_seen=${setCookie(res, 'staff_seen')!.value}`].join('; ');
  return { cookies, csrf };
}
