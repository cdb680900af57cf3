import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from '../support/booking-fixture';
import { DESKTOP, launchBrowser, type PagesApp, PHONE, screenshot, seriousViolations, signInThroughPage, startPagesApp } from '../support/browser';
import { LSI_ANONYMOUS } from '../support/forms-examples';
import { PASSWORD, login } from '../support/test-app';
import { ADMIN_PAGE_ROUTES, type AdminPageRoute } from './admin-page-routes';
import { formToken, setCookie } from './page-helpers';

const LANGS = ['fi', 'sv', 'en'] as const;
type Visit = (page: Page, lang: string) => Promise<void>;

interface ApiMonth {
  month: string;
  submissions: { total: number };
  hoursTo: { acknowledgement: { median: number | null; p90: number | null } };
  decidedInTime: { share: number | null };
}


/** The axe runs sign in once per visit, about a hundred times from one address: more than the login limit allows a client (tested in sessions and rate-limits). */
const SIGN_IN_OFTEN = { RATE_LIMIT_LOGIN: '1000/10m per client, 6000/1m total' };
describe('admin pages in a real browser', () => {
  let t: PagesApp;
  let f: BookingFixture;
  let browser: Browser;
  let lsi: string;
  let service: string;
  let handler: string;
  let nurseId: string;
  const submissions: string[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startPagesApp({ clock: new TestClock('2026-01-12T09:00:00+02:00'), env: SIGN_IN_OFTEN }), launchBrowser()]);
    f = await BookingFixture.create(t);
    lsi = await f.unit('lastensuojelu-ilmoitukset');
    await f.unit('lastenvalvojat'); // where the child-support officers' pre-information form routes (the form pages)
    const neuvola = await f.unit('neuvola');
    const nurse = await f.staff('hoitaja@test.fi', [neuvola]);
    nurseId = nurse;
    await f.staff('lsi.kasittelija@test.fi', [], ['fi'], [lsi]);
    handler = await login(t, 'lsi.kasittelija@test.fi');
    // January: two notifications, one acknowledged after three hours. March: three, acknowledged after 5 and 30 hours.
    await notify(['3']);
    await notify([]);
    t.clock.set('2026-03-09T08:00:00+02:00');
    handler = await login(t, 'lsi.kasittelija@test.fi');
    await notify(['5', '25']);
    await notify([]);
    t.clock.set('2026-03-20T10:00:00+02:00');
    // Bookings whose messages fail (the outbox pages), from now on.
    service = await f.service(neuvola);
    await f.hours(nurse, service, WEEKDAYS, '08:00', '12:00', '2026-03-20');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A citizen's notification; each entry of `after` is the hours until the handler acknowledges the next one sent now. */
  async function notify(after: string[]): Promise<void> {
    const sent: string[] = [];
    for (let i = 0; i < Math.max(1, after.length); i++) {
      sent.push((await t.http.post('/api/v1/forms/lastensuojeluilmoitus/submissions').send({ language: 'fi', answers: LSI_ANONYMOUS }).expect(201)).body.id);
    }
    submissions.push(...sent);
    let elapsed = 0;
    for (const [i, hours] of after.entries()) {
      t.clock.advanceMinutes((Number(hours) - elapsed) * 60);
      elapsed = Number(hours);
      handler = await login(t, 'lsi.kasittelija@test.fi');
      await t.http.post(`/api/v1/inbox/${sent[i]}/status`).set('Authorization', handler).send({ status: 'acknowledged' }).expect(200);
    }
  }

  async function withPage<T>(options: Parameters<Browser['newContext']>[0], use: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
    const context = await browser.newContext({ baseURL: t.baseUrl, acceptDownloads: true, ...options });
    try {
      return await use(await context.newPage(), context);
    } finally {
      await context.close();
    }
  }

  const signIn = (page: Page, email: string, lang = 'fi') => signInThroughPage(page, email, PASSWORD, lang);

  /**
   * Signs the browser in without showing the login page: the same login
   * form post over HTTP, its cookies given to the browser (the configuration
   * pages' visits, where the login page itself is not what is checked).
   */
  async function signedInAs(page: Page, email: string, lang: string): Promise<void> {
    const form = await t.http.get(`/staff/login?lang=${lang}`).expect(200);
    const { csrf, cookie } = formToken(form);
    const res = await t.http.post('/staff/login').set('Cookie', cookie).set('Origin', t.baseUrl).type('form').send({ _csrf: csrf, email, password: PASSWORD }).expect(303);
    const values = { lang, csrf: /csrf=([^;]+)/.exec(cookie)![1], session: setCookie(res, 'session')!.value, staff_seen: setCookie(res, 'staff_seen')!.value };
    await page.context().addCookies(Object.entries(values).map(([name, value]) => ({ name, value, url: t.baseUrl })));
  }

  /** The bars of one chart: category → value, for one series. */
  async function bars(page: Page, chart: string, series: string): Promise<Record<string, number>> {
    return page.locator(`${chart} rect.bar[data-series="${series}"]`).evaluateAll((rects) =>
      Object.fromEntries(rects.map((r) => [r.getAttribute('data-category')!, Number(r.getAttribute('data-value'))])));
  }

  it('an admin signs in and sees the measures chart: one bar per month of the period, the figures of the API', async () => {
    const api = await t.http.get('/api/v1/admin/measures').set('Authorization', await f.admin()).set('Accept-Language', 'fi').expect(200);
    const unit = (api.body.units as { unit: { id: string }; months: ApiMonth[] }[]).find((u) => u.unit.id === lsi)!;
    expect(unit.months).toHaveLength(12);
    const total = (month: string) => unit.months.find((m) => m.month === month)!;
    expect([total('2026-01').submissions.total, total('2026-03').submissions.total]).toEqual([2, 3]);
    await withPage(DESKTOP, async (page) => {
      await signIn(page, 'admin@test.fi');
      expect(new URL(page.url()).pathname).toBe('/admin/measures');
      const section = `section[data-unit="${lsi}"]`;
      const chart = `${section} svg[id$="-submissions"]`;
      await expect(page.locator(`${chart} title`).first().textContent()).resolves.toBe('Lähetyksiä kuukausittain: Yksikkö lastensuojelu-ilmoitukset');
      await expect(page.locator(chart).getAttribute('role')).resolves.toBe('img');
      expect(await bars(page, chart, 'Lähetyksiä')).toEqual(Object.fromEntries(unit.months.map((m) => [m.month, m.submissions.total])));
      const hours = `${section} svg[id$="-hours"]`;
      const present = (pick: (m: ApiMonth) => number | null) => Object.fromEntries(unit.months.filter((m) => pick(m) !== null).map((m) => [m.month, pick(m)]));
      expect(await bars(page, hours, 'Mediaani')).toEqual(present((m) => m.hoursTo.acknowledgement.median));
      expect(await bars(page, hours, '90. persentiili')).toEqual(present((m) => m.hoursTo.acknowledgement.p90));
      expect(await bars(page, hours, 'Mediaani')).toEqual({ '2026-01': 3, '2026-03': total('2026-03').hoursTo.acknowledgement.median });
      expect(await page.locator(`${section} table tbody tr`).count()).toBe(12);
      await expect(page.locator(`${section} tr[data-month="2026-03"]`).textContent()).resolves.toContain('3/2026');
      await screenshot(page, 'admin-measures-fi-desktop');

      // The CSV link gives the API's CSV.
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[href^="/admin/measures/csv"]').click()]);
      const csv = await readFile((await download.path())!, 'utf8');
      const apiCsv = await t.http.get('/api/v1/admin/measures').set('Authorization', await f.admin()).set('Accept', 'text/csv').set('Accept-Language', 'fi').expect(200);
      expect(csv).toBe(apiCsv.text);
      expect(download.suggestedFilename()).toBe('measures-2025-04-01-2026-03-20.csv');
    });
  }, 60_000);

  /** A booking whose messages could not be sent: a failed message in the outbox. */
  async function failedMessage(): Promise<void> {
    const [slot] = await f.slots(service, '2026-03-23', '2026-03-28');
    await f.book(slot.id, { contact: { name: 'Maija Meikäläinen', email: 'maija@example.fi' } }).expect(201);
    await t.db.query(`UPDATE outbox SET status = 'failed', attempts = 8, last_error = 'connection refused' WHERE status = 'pending'`);
  }

  const PAGES: Record<AdminPageRoute, Record<string, Visit>> = {
    'GET /admin/measures': {
      measures: async (page, lang) => { await signIn(page, 'admin@test.fi', lang); await page.goto('/admin/measures'); },
      'measures-one-unit': async (page, lang) => { await signIn(page, 'admin@test.fi', lang); await page.goto(`/admin/measures?unit=${lsi}&from=2026-01-01&to=2026-04-01`); },
    },
    'GET /admin/measures/csv': {
      'measures-csv': async (page, lang) => {
        await PAGES['GET /admin/measures'].measures(page, lang);
        await Promise.all([page.waitForEvent('download'), page.locator('a[href^="/admin/measures/csv"]').click()]);
      },
    },
    'GET /admin/access-log': {
      'access-log': async (page, lang) => {
        await t.http.get(`/api/v1/inbox/${submissions[0]}?purpose=handling`).set('Authorization', await login(t, 'lsi.kasittelija@test.fi')).expect(200);
        await signIn(page, 'admin@test.fi', lang);
        await page.goto('/admin/access-log');
      },
      'access-log-refused': async (page, lang) => { await signIn(page, 'admin@test.fi', lang); await page.goto('/admin/access-log?submission=nope'); },
    },
    'POST /admin/access-log/export': {
      'access-log-export': async (page, lang) => {
        await signIn(page, 'admin@test.fi', lang);
        await page.goto(`/admin/access-log?submission=${submissions[0]}`);
        await Promise.all([page.waitForEvent('download'), page.locator('form[action="/admin/access-log/export"] button').click()]);
      },
    },
    'GET /admin/outbox': {
      outbox: async (page, lang) => { await failedMessage(); await signIn(page, 'admin@test.fi', lang); await page.goto('/admin/outbox'); },
    },
    'POST /admin/outbox/:id/retry': {
      'outbox-retried': async (page, lang) => {
        await PAGES['GET /admin/outbox'].outbox(page, lang);
        await page.locator('form[action$="/retry"] button').first().click();
        await page.waitForURL('**/admin/outbox?done=retried');
      },
    },
    'GET /admin/settings': { settings: async (page, lang) => { await signIn(page, 'admin@test.fi', lang); await page.goto('/admin/settings'); } },
    'GET /admin/feedback': {
      feedback: async (page, lang) => {
        await t.db.query(`INSERT INTO accessibility_feedback (received_at, language, message, email) VALUES (now(), 'sv', 'Knappen syns inte.', 'respons@example.fi')`);
        await signIn(page, 'admin@test.fi', lang);
        await page.goto('/admin/feedback');
      },
    },
    'GET /admin/units': { units: async (page, lang) => { await signedInAs(page, 'admin@test.fi', lang); await page.goto('/admin/units'); } },
    'GET /admin/units/new': { 'unit-new': async (page, lang) => { await signedInAs(page, 'admin@test.fi', lang); await page.goto('/admin/units/new'); } },
    'POST /admin/units': {
      'unit-refused': async (page, lang) => {
        await PAGES['GET /admin/units/new']['unit-new'](page, lang);
        await page.fill('#code', 'Ei Kelpaa');
        await page.fill('#email', 'ei-osoite');
        await page.locator('main form[action="/admin/units"] button[type=submit]').click();
        await page.waitForSelector('.error-summary');
      },
    },
    'GET /admin/units/:id': { unit: async (page, lang) => { await signedInAs(page, 'admin@test.fi', lang); await page.goto(`/admin/units/${lsi}`); } },
    'POST /admin/units/:id': {
      'unit-saved': async (page, lang) => {
        await PAGES['GET /admin/units/:id'].unit(page, lang);
        await page.locator(`main form[action="/admin/units/${lsi}"] button[type=submit]`).click();
        await page.waitForURL('**/admin/units/*?done=saved');
      },
    },
    'GET /admin/staff': { staff: async (page, lang) => { await signedInAs(page, 'admin@test.fi', lang); await page.goto('/admin/staff'); } },
    'GET /admin/staff/new': { 'staff-new': async (page, lang) => { await signedInAs(page, 'admin@test.fi', lang); await page.goto('/admin/staff/new'); } },
    'POST /admin/staff': {
      'staff-refused': async (page, lang) => {
        await PAGES['GET /admin/staff/new']['staff-new'](page, lang);
        await page.fill('#password', 'lyhyt');
        await page.locator('main form[action="/admin/staff"] button[type=submit]').click();
        await page.waitForSelector('.error-summary');
      },
    },
    'GET /admin/staff/:id': { person: async (page, lang) => { await signedInAs(page, 'admin@test.fi', lang); await page.goto(`/admin/staff/${nurseId}`); } },
    'POST /admin/staff/:id': {
      'person-saved': async (page, lang) => {
        await PAGES['GET /admin/staff/:id'].person(page, lang);
        await page.locator(`main form[action="/admin/staff/${nurseId}"] button[type=submit]`).click();
        await page.waitForURL('**/admin/staff/*?done=saved');
      },
    },
    'POST /admin/staff/:id/password': {
      'password-refused': async (page, lang) => {
        await PAGES['GET /admin/staff/:id'].person(page, lang);
        await page.fill('#newPassword', 'lyhyt');
        await page.locator('form[action$="/password"] button[type=submit]').click();
        await page.waitForSelector('.error-summary');
      },
    },
    'POST /admin/staff/:id/active': {
      deactivated: async (page, lang) => {
        const id = await f.staff(`poistuva.${lang}.${Date.now()}@test.fi`, []);
        await signedInAs(page, 'admin@test.fi', lang);
        await page.goto(`/admin/staff/${id}`);
        await page.locator('form[action$="/active"] button[type=submit]').click();
        await page.waitForURL('**/admin/staff/*?done=deactivated');
      },
    },
    'GET /admin/services': { services: async (page, lang) => { await signedInAs(page, 'admin@test.fi', lang); await page.goto('/admin/services'); } },
    'GET /admin/services/new': { 'service-new': async (page, lang) => { await signedInAs(page, 'admin@test.fi', lang); await page.goto('/admin/services/new'); } },
    'POST /admin/services': {
      'service-refused': async (page, lang) => {
        await PAGES['GET /admin/services/new']['service-new'](page, lang);
        await page.fill('#durationMinutes', 'puoli tuntia');
        await page.locator('main form[action="/admin/services"] button[type=submit]').click();
        await page.waitForSelector('.error-summary');
      },
    },
    'GET /admin/services/:id': { service: async (page, lang) => { await signedInAs(page, 'admin@test.fi', lang); await page.goto(`/admin/services/${service}`); } },
    'POST /admin/services/:id': {
      'service-saved': async (page, lang) => {
        await PAGES['GET /admin/services/:id'].service(page, lang);
        await page.locator(`main form[action="/admin/services/${service}"] button[type=submit]`).click();
        await page.waitForURL('**/admin/services/*?done=saved');
      },
    },
    'GET /admin/forms': { forms: async (page, lang) => { await signIn(page, 'admin@test.fi', lang); await page.goto('/admin/forms'); } },
    'POST /admin/forms': {
      'forms-upload-refused': async (page, lang) => {
        await PAGES['GET /admin/forms'].forms(page, lang);
        await page.fill('#definition-text', JSON.stringify({ ...draftForm(), routing: [{ unit: 'ei-ole' }] }, null, 2));
        await page.locator('form[action="/admin/forms"] button[type=submit]').click();
        await page.waitForSelector('.error-summary');
      },
    },
    'GET /admin/forms/:id/:version': {
      'form-version': async (page, lang) => { await uploadDraft(); await signIn(page, 'admin@test.fi', lang); await page.goto('/admin/forms/esitiedot-lastenvalvoja/3'); },
    },
    'GET /admin/forms/:id/:version/preview': {
      'form-preview': async (page, lang) => {
        await uploadDraft();
        await signIn(page, 'admin@test.fi', lang);
        await page.goto(`/admin/forms/esitiedot-lastenvalvoja/3/preview?page=${draftForm().pages[1].id}`);
      },
    },
    'POST /admin/forms/:id/:version/publish': {
      'form-publish-confirm': async (page, lang) => {
        await PAGES['GET /admin/forms/:id/:version']['form-version'](page, lang);
        await page.locator('form[action$="/publish"] button').press('Enter');
        await page.locator('input[name=confirm]').waitFor({ state: 'attached' });
      },
    },
    'POST /admin/forms/:id/:version/retire': {
      'form-retire-confirm': async (page, lang) => {
        await signIn(page, 'admin@test.fi', lang);
        await page.goto('/admin/forms/esitiedot-lastenvalvoja/2');
        await page.locator('form[action$="/retire"] button').press('Enter');
        await page.locator('input[name=confirm]').waitFor({ state: 'attached' });
      },
    },
  };

  /** Version 3 of a shipped form, for the form pages. */
  function draftForm() {
    return { ...JSON.parse(readFileSync(join(__dirname, '..', '..', 'form-definitions', 'esitiedot-lastenvalvoja', '2.json'), 'utf8')), version: 3 };
  }

  /** Saves version 3 as a draft (again: a draft is replaced). */
  async function uploadDraft(): Promise<void> {
    await t.http.post('/api/v1/admin/forms').set('Authorization', await f.admin()).send(draftForm()).expect(201);
  }

  it('every admin page route of the router is listed and visited', () => {
    const express = t.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
    const routes = express.router.stack
      .filter((layer) => layer.route && /^\/admin(\/|$)/.test(layer.route.path))
      .flatMap((layer) => Object.keys(layer.route!.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`));
    expect([...routes].sort()).toEqual([...ADMIN_PAGE_ROUTES].sort());
    for (const route of ADMIN_PAGE_ROUTES) expect({ route, visits: Object.keys(PAGES[route]).length > 0 }).toEqual({ route, visits: true });
  });

  /** Visits the pages of the routes `which` picks, each with a fresh browser state, and returns axe's serious or critical findings. */
  async function axeRun(lang: string, which: (route: string) => boolean): Promise<string[]> {
    const problems: string[] = [];
    await withPage(PHONE, async (page, context) => {
      for (const [route, visits] of Object.entries(PAGES).filter(([r]) => which(r))) {
        for (const [name, visit] of Object.entries(visits)) {
          await context.clearCookies();
          await visit(page, lang);
          expect({ route, name, lang: await page.getAttribute('html', 'lang') }).toEqual({ route, name, lang });
          problems.push(...(await seriousViolations(page)));
          if (lang === 'fi') await screenshot(page, `admin-${name}-${lang}-phone`);
        }
      }
    });
    return problems;
  }

  const isFormsRoute = (route: string) => route.includes(' /admin/forms');

  it.each(LANGS)('axe finds no serious or critical problem on any admin page, in %s', async (lang) => {
    expect(await axeRun(lang, (route) => !isFormsRoute(route))).toEqual([]);
  }, 600_000);

  it.each(LANGS)('axe finds no serious or critical problem on the form authoring pages, in %s', async (lang) => {
    expect(await axeRun(lang, isFormsRoute)).toEqual([]);
  }, 180_000);
});
