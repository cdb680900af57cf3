import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from '../support/booking-fixture';
import { DESKTOP, launchBrowser, type PagesApp, PHONE, screenshot, seriousViolations, signInThroughPage, startPagesApp } from '../support/browser';
import { KOULUTERVEYS, LSI_ANONYMOUS } from '../support/forms-examples';
import { PASSWORD } from '../support/test-app';
import { ADMIN_PAGE_ROUTES } from './admin-page-routes';
import { STAFF_PAGE_ROUTES, type StaffPageRoute } from './staff-page-routes';

/** Monday 2 March 2026, 07:00 in Helsinki. */
const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';
const LANGS = ['fi', 'sv', 'en'] as const;
type Visit = (page: Page, lang: string) => Promise<void>;


/** The axe runs sign in once per visit, about a hundred times from one address: more than the login limit allows a client (tested in sessions and rate-limits). */
const SIGN_IN_OFTEN = { RATE_LIMIT_LOGIN: '1000/10m per client, 6000/1m total' };
describe('staff, handler and admin pages in a real browser', () => {
  let t: PagesApp;
  let f: BookingFixture;
  let browser: Browser;
  let service: string;
  let lsi: string;
  /** Monday's appointments, begun by the time the tests run (Wednesday 9.00): Maija's with pre-information, and some to mark done. */
  let maija: string;
  const begun: string[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startPagesApp({ clock: new TestClock(MONDAY_MORNING), env: SIGN_IN_OFTEN }), launchBrowser()]);
    f = await BookingFixture.create(t);
    const neuvola = await f.unit('kouluterveys-keskusta');
    lsi = await f.unit('lastensuojelu-ilmoitukset');
    const apu = await f.unit('perheneuvonta');
    const nurse = await f.staff('hoitaja@test.fi', [neuvola], ['fi', 'sv']);
    await f.staff('lsi.kasittelija@test.fi', [], ['fi'], [lsi]);
    await f.staff('apu.kasittelija@test.fi', [], ['fi'], [apu]);
    service = await f.service(neuvola, { preInformationForm: 'esitiedot-kouluterveydenhuolto' });
    await f.hours(nurse, service, WEEKDAYS, '08:00', '12:00');
    maija = await familyBooks('Maija Meikäläinen', true, '2026-03-02');
    for (let i = 0; i < 3; i++) begun.push(await familyBooks('Aamu Asiakas', false, '2026-03-02'));
    t.clock.set('2026-03-04T09:00:00+02:00');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function withPage<T>(options: Parameters<Browser['newContext']>[0], use: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
    const context = await browser.newContext({ baseURL: t.baseUrl, ...options });
    try {
      return await use(await context.newPage(), context);
    } finally {
      await context.close();
    }
  }

  const signIn = (page: Page, email: string, lang = 'fi') => signInThroughPage(page, email, PASSWORD, lang);

  /** A family books the service's first free time from `from` on; with `preInformation`, sends the school health form too. */
  async function familyBooks(name: string, preInformation: boolean, from = '2026-03-04'): Promise<string> {
    const [slot] = await f.slots(service, from, '2026-03-06');
    const booked = (await f.book(slot.id, { contact: { name, email: 'perhe@example.fi' } }).expect(201)).body;
    if (preInformation) {
      await t.http.post(`/api/v1/appointments/${booked.appointment.id}/pre-information`).set('X-Pre-Information-Token', booked.preInformation.token)
        .send({ language: 'fi', answers: KOULUTERVEYS }).expect(201);
    }
    return booked.appointment.id;
  }

  /** A citizen's anonymous child-welfare notification of immediate danger: urgent, to the child-welfare unit. */
  async function urgentNotification(): Promise<{ id: string; reference: string; receiptCode: string }> {
    const res = await t.http.post('/api/v1/forms/lastensuojeluilmoitus/submissions').send({ language: 'fi', answers: { ...LSI_ANONYMOUS, immediateDanger: true } }).expect(201);
    return res.body;
  }

  const accessRows = async (submissionId: string) =>
    (await t.db.query(`SELECT l.action, l.purpose, st.email FROM access_log l JOIN staff st ON st.id = l.staff_id WHERE l.submission_id = $1 ORDER BY l.at, l.id`, [submissionId])) as { action: string; purpose: string; email: string }[];

  it('a handler opens an urgent child-welfare notification (one access-log row), records the urgency assessment and replies to the anonymous sender', async () => {
    const sent = await urgentNotification();
    await withPage(DESKTOP, async (page) => {
      await signIn(page, 'lsi.kasittelija@test.fi');
      expect(new URL(page.url()).pathname).toBe('/staff/inbox');
      const firstRow = page.locator('table.data tbody tr').first();
      await expect(firstRow.locator('th').textContent()).resolves.toBe(sent.reference);
      await expect(firstRow.textContent()).resolves.toContain('Kiireellinen');
      await screenshot(page, 'staff-inbox-fi-desktop');
      await firstRow.locator('a').click();
      // The purpose first; nothing is logged yet.
      await expect(page.locator('h1').textContent()).resolves.toBe(`Miksi avaat lähetyksen ${sent.reference}?`);
      expect(await accessRows(sent.id)).toEqual([]);
      await page.check('#purpose-urgency-assessment');
      await page.locator('main button[type=submit]').click();
      await expect(page.locator('h1').textContent()).resolves.toBe(`Lähetys ${sent.reference}`);
      await expect(page.locator('main').textContent()).resolves.toContain('Koivukuja 3 B 12');
      expect(await accessRows(sent.id)).toEqual([{ action: 'view', purpose: 'urgency-assessment', email: 'lsi.kasittelija@test.fi' }]);
      await screenshot(page, 'staff-inbox-item-fi-desktop');

      await page.check('#result-urgent-action');
      await page.locator('form[action$="/assessment"] button').click();
      await expect(page.locator('.notice--success').textContent()).resolves.toContain('Tallennettu.');
      const [assessment] = await t.db.query(`SELECT result, met_at IS NOT NULL AS met FROM submission_deadline WHERE submission_id = $1 AND kind = 'assessment'`, [sent.id]);
      expect(assessment).toEqual({ result: 'urgent-action', met: true });

      await page.fill('#reply-text', 'Kiitos ilmoituksesta. Selvitämme asiaa.');
      await page.locator('form[action$="/reply"] button').click();
      await expect(page.locator('.message-list').first().textContent()).resolves.toContain('Kiitos ilmoituksesta. Selvitämme asiaa.');
    });
    // The sender reads the reply with the receipt code.
    const seen = await t.http.post('/api/v1/receipts/lookup').send({ reference: sent.reference, receiptCode: sent.receiptCode }).expect(200);
    expect(seen.body.messages).toEqual([expect.objectContaining({ direction: 'handler', text: 'Kiitos ilmoituksesta. Selvitämme asiaa.' })]);
    // Every open and the reply are in the log, with the purpose stated at the opening carried along.
    expect((await accessRows(sent.id)).map((r) => `${r.action}:${r.purpose}`)).toEqual(['view:urgency-assessment', 'view:urgency-assessment', 'reply:handling', 'view:urgency-assessment']);
  }, 90_000);

  it('a handler of another unit cannot open it, nor see it in the inbox; a link from another site only asks the purpose', async () => {
    const sent = await urgentNotification();
    await withPage(DESKTOP, async (page, context) => {
      await signIn(page, 'apu.kasittelija@test.fi');
      await expect(page.locator('main').textContent()).resolves.not.toContain(sent.reference);
      const res = await page.goto(`/staff/inbox/${sent.id}?purpose=handling`);
      expect(res!.status()).toBe(404);
      await page.goto(`/staff/inbox/${sent.id}/pdf?purpose=handling`);
      await expect(page.locator('h1').textContent()).resolves.toBe('Sivua ei löytynyt');
      await context.clearCookies();
      await signIn(page, 'lsi.kasittelija@test.fi');
      const crossSite = await context.request.get(`/staff/inbox/${sent.id}?purpose=handling`, { headers: { 'Sec-Fetch-Site': 'cross-site' } });
      expect(crossSite.status()).toBe(200);
      expect(await crossSite.text()).toContain(`Miksi avaat lähetyksen ${sent.reference}?`);
    });
    expect(await accessRows(sent.id)).toEqual([]);
  }, 60_000);

  it('a nurse sees a family\'s booking in her week with its pre-information, opens it and marks it done', async () => {
    const id = maija;
    await familyBooks('Pekka Perhe', false);
    await withPage(DESKTOP, async (page) => {
      await signIn(page, 'hoitaja@test.fi');
      expect(new URL(page.url()).pathname).toBe('/staff/calendar');
      const entry = page.locator('li', { has: page.locator(`a[href="/staff/appointments/${id}"]`) });
      await expect(entry.textContent()).resolves.toMatch(/Maija Meikäläinen.*Kouluterveydenhoitajan vastaanotto.*Käynti paikan päällä.*Esitiedot saapuneet/);
      const other = page.locator('li', { hasText: 'Pekka Perhe' });
      await expect(other.textContent()).resolves.not.toContain('Esitiedot saapuneet');
      await screenshot(page, 'staff-calendar-fi-desktop');
      await entry.locator('a').click();
      await expect(page.locator('main').textContent()).resolves.toContain('Åsa Öhman');
      await screenshot(page, 'staff-appointment-fi-desktop');
      await page.locator('form[action$="/status"] button', { hasText: 'Merkitse käydyksi' }).click();
      await expect(page.locator('.notice--success').textContent()).resolves.toContain('Tallennettu.');
    });
    const [row] = await t.db.query(`SELECT status FROM appointment WHERE id = $1`, [id]);
    expect(row.status).toBe('fulfilled');
  }, 60_000);

  it('a page left alone warns two minutes before, then replaces itself with the login, and the session has ended', async () => {
    await withPage(DESKTOP, async (page) => {
      await page.clock.install();
      await signIn(page, 'hoitaja@test.fi', 'en');
      await page.goto('/staff/calendar?view=day&date=2026-03-02');
      await page.clock.runFor(12 * 60_000);
      await expect(page.locator('#idle-warning').isVisible()).resolves.toBe(false);
      await page.clock.runFor(60_000 + 1000);
      await expect(page.locator('#idle-warning').isVisible()).resolves.toBe(true);
      await expect(page.locator('#idle-warning button').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      t.clock.advanceMinutes(16);
      await page.clock.runFor(2 * 60_000);
      await page.waitForURL('**/staff/login**');
      await expect(page.locator('main').textContent()).resolves.toContain('You were signed out because the service was not used for 15 minutes.');
      // The calendar is not one Back away, and the session cannot be resumed.
      await page.goto('/staff/calendar');
      expect(new URL(page.url()).pathname).toBe('/staff/login');
    });
  }, 60_000);

  /** A family books the first free time in the week of 16 March (the schedule pages' visits keep to that week). */
  async function bookLater(name: string): Promise<string> {
    const [slot] = await f.slots(service, '2026-03-16', '2026-03-20');
    return (await f.book(slot.id, { contact: { name, email: 'perhe@example.fi' } }).expect(201)).body.appointment.id;
  }

  /** Every staff page route, and how a signed-in person reaches each page it shows. */
  const PAGES: Record<StaffPageRoute, Record<string, Visit>> = {
    'GET /staff': { home: async (page, lang) => { await signIn(page, 'hoitaja@test.fi', lang); await page.goto('/staff'); } },
    'GET /staff/login': {
      login: async (page, lang) => { await page.goto(`/staff/login?lang=${lang}`); },
      'login-idle': async (page, lang) => { await page.goto(`/staff/login?reason=idle&lang=${lang}`); },
    },
    'POST /staff/login': {
      'login-refused': async (page, lang) => {
        await page.goto(`/staff/login?lang=${lang}`);
        // Not an account the other visits sign in with: its failures, counted per account, would soon hold them back.
        await page.fill('#email', `unohtunut.${lang}@test.fi`);
        await page.fill('#password', 'not-the-password');
        await page.locator('main button[type=submit]').click();
      },
    },
    'POST /staff/logout': {
      'signed-out': async (page, lang) => {
        await signIn(page, 'hoitaja@test.fi', lang);
        await page.locator('form[action="/staff/logout"] button').click();
      },
    },
    'GET /staff/account': { account: async (page, lang) => { await signIn(page, 'hoitaja@test.fi', lang); await page.goto('/staff/account'); } },
    'POST /staff/logout-everywhere': {
      'signed-out-everywhere': async (page, lang) => {
        await PAGES['GET /staff/account'].account(page, lang);
        await page.locator('form[action="/staff/logout-everywhere"] button').click();
        await page.waitForURL('**/staff/login?reason=signed-out-everywhere');
      },
    },
    'GET /staff/inbox': { inbox: async (page, lang) => { await signIn(page, 'lsi.kasittelija@test.fi', lang); } },
    'GET /staff/inbox/:id': {
      purpose: async (page, lang) => {
        const sent = await urgentNotification();
        await signIn(page, 'lsi.kasittelija@test.fi', lang);
        await page.goto(`/staff/inbox/${sent.id}`);
      },
      item: async (page, lang) => {
        const sent = await urgentNotification();
        await signIn(page, 'lsi.kasittelija@test.fi', lang);
        await page.goto(`/staff/inbox/${sent.id}?purpose=handling`);
      },
    },
    'GET /staff/inbox/:id/pdf': {
      'pdf-purpose': async (page, lang) => {
        const sent = await urgentNotification();
        await signIn(page, 'lsi.kasittelija@test.fi', lang);
        await page.goto(`/staff/inbox/${sent.id}/pdf`);
      },
    },
    'POST /staff/inbox/:id/:action': {
      'item-acknowledged': async (page, lang) => {
        await PAGES['GET /staff/inbox/:id'].item(page, lang);
        await page.locator('form[action$="/status"] button').first().click();
      },
      'item-refused': async (page, lang) => {
        await PAGES['GET /staff/inbox/:id'].item(page, lang);
        await page.locator('form[action$="/note"] button').click();
      },
    },
    'GET /staff/calendar': {
      week: async (page, lang) => { await familyBooks('Maija Meikäläinen', true); await signIn(page, 'hoitaja@test.fi', lang); },
      day: async (page, lang) => { await signIn(page, 'hoitaja@test.fi', lang); await page.goto('/staff/calendar?view=day&date=2026-03-04'); },
    },
    'GET /staff/appointments/:id': {
      appointment: async (page, lang) => {
        const id = await familyBooks('Maija Meikäläinen', true);
        await signIn(page, 'hoitaja@test.fi', lang);
        await page.goto(`/staff/appointments/${id}`);
      },
    },
    'POST /staff/appointments/:id/status': {
      'appointment-done': async (page, lang) => {
        await signIn(page, 'hoitaja@test.fi', lang);
        await page.goto(`/staff/appointments/${begun.pop()}`);
        await page.locator('form[action$="/status"] button').first().click();
      },
    },
    'POST /staff/appointments/:id/cancel': {
      'appointment-cancel-refused': async (page, lang) => {
        await PAGES['GET /staff/appointments/:id'].appointment(page, lang);
        await page.locator('form[action$="/cancel"] button').click();
      },
      'appointment-cancelled': async (page, lang) => {
        await PAGES['GET /staff/appointments/:id'].appointment(page, lang);
        await page.fill('#cancel-reason', 'Sairastuminen');
        await page.locator('form[action$="/cancel"] button').click();
      },
    },
    'GET /staff/calendar/unit': {
      'unit-day': async (page, lang) => { await signIn(page, 'hoitaja@test.fi', lang); await page.goto('/staff/calendar/unit?date=2026-03-04'); },
    },
    'GET /staff/schedule': {
      schedule: async (page, lang) => { await signIn(page, 'hoitaja@test.fi', lang); await page.goto('/staff/schedule'); },
    },
    'POST /staff/schedule/:kind': {
      'absence-warning': async (page, lang) => {
        await bookLater('Liisa Perhe');
        await PAGES['GET /staff/schedule'].schedule(page, lang);
        await page.fill('#ab-startDate', '2026-03-16');
        await page.fill('#ab-startTime', '00:00');
        await page.fill('#ab-endDate', '2026-03-20');
        await page.fill('#ab-endTime', '23:00');
        await page.locator('form[action="/staff/schedule/absences"] button[type=submit]').click();
        await page.waitForSelector('input[name=confirmed]', { state: 'attached' });
      },
      'hours-refused': async (page, lang) => {
        await PAGES['GET /staff/schedule'].schedule(page, lang);
        await page.fill('#wh-startTime', '12:00');
        await page.fill('#wh-endTime', '09:00');
        await page.fill('#wh-validFrom', '2026-03-01');
        await page.locator('form[action="/staff/schedule/working-hours"] button[type=submit]').click();
        await page.waitForSelector('.error-summary');
      },
    },
    'POST /staff/schedule/:kind/:id/remove': {
      'extra-hours-removed': async (page, lang) => {
        await PAGES['GET /staff/schedule'].schedule(page, lang);
        await page.fill('#xh-date', '2026-03-28');
        await page.fill('#xh-startTime', '10:00');
        await page.fill('#xh-endTime', '11:00');
        await page.locator('form[action="/staff/schedule/extra-hours"] button[type=submit]').click();
        await page.locator('form[action^="/staff/schedule/extra-hours/"] button').first().click();
        await page.waitForURL('**/staff/schedule?done=removed');
      },
    },
    'POST /staff/slots': {
      'slot-refused': async (page, lang) => {
        await signIn(page, 'hoitaja@test.fi', lang);
        await page.goto('/staff/calendar?view=day&date=2026-03-23');
        await page.fill('#slot-date', '2026-03-01');
        await page.fill('#slot-time', '10:00');
        await page.locator('form[action="/staff/slots"] button[type=submit]').click();
        await page.waitForSelector('.error-summary');
      },
    },
    'POST /staff/slots/:id/:action': {
      'slot-blocked': async (page, lang) => {
        await signIn(page, 'hoitaja@test.fi', lang);
        await page.goto('/staff/calendar?view=day&date=2026-03-23');
        await page.locator('form[action$="/block"] button').first().click();
        await page.waitForURL('**done=blocked');
      },
      'slot-removed': async (page, lang) => {
        await signIn(page, 'hoitaja@test.fi', lang);
        await page.goto('/staff/calendar?view=day&date=2026-03-23');
        await page.fill('#slot-date', '2026-03-23');
        await page.fill('#slot-time', '19:00');
        await page.locator('form[action="/staff/slots"] button[type=submit]').click();
        await page.waitForURL('**done=slot-added');
        expect(await seriousViolations(page)).toEqual([]); // the day with the single slot and its remove button
        await screenshot(page, `staff-slot-added-${lang}-phone`);
        await page.locator('form[action$="/remove"] button').click();
        await page.waitForURL('**done=slot-removed');
      },
    },
    'GET /staff/book': {
      'book-services': async (page, lang) => { await signIn(page, 'hoitaja@test.fi', lang); await page.goto('/staff/book'); },
    },
    'GET /staff/book/:serviceId': {
      'book-times': async (page, lang) => { await signIn(page, 'hoitaja@test.fi', lang); await page.goto(`/staff/book/${service}?from=2026-03-24`); },
    },
    'GET /staff/book/:serviceId/:slotId': {
      'book-contact': async (page, lang) => {
        await PAGES['GET /staff/book/:serviceId']['book-times'](page, lang);
        await page.locator(`a[href^="/staff/book/${service}/"]`).first().click();
        await page.waitForSelector('#name');
      },
    },
    'POST /staff/book/:serviceId/:slotId': {
      'book-refused': async (page, lang) => {
        await PAGES['GET /staff/book/:serviceId/:slotId']['book-contact'](page, lang);
        await page.locator('main form button[value=check]').click();
        await page.waitForSelector('.error-summary');
      },
      'book-check': async (page, lang) => {
        await PAGES['GET /staff/book/:serviceId/:slotId']['book-contact'](page, lang);
        await page.fill('#name', 'Pekka Puhelin');
        await page.fill('#phone', '0401112223');
        await page.locator('main form button[value=check]').click();
        await page.waitForSelector('button[value=confirm]');
      },
    },
    'GET /staff/appointments/:id/move': {
      move: async (page, lang) => {
        const id = await bookLater('Sara Siirto');
        await signIn(page, 'hoitaja@test.fi', lang);
        await page.goto(`/staff/appointments/${id}/move?from=2026-03-24`);
      },
    },
    'POST /staff/appointments/:id/move': {
      moved: async (page, lang) => {
        await PAGES['GET /staff/appointments/:id/move'].move(page, lang);
        await page.locator('main form[method=post][action$="/move"] button').first().click();
        await page.waitForURL('**done=moved');
      },
    },
  };

  it('every staff page route of the router is listed and visited', () => {
    const express = t.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
    const routes = express.router.stack
      .filter((layer) => layer.route && /^\/(staff|admin)(\/|$)/.test(layer.route.path))
      .flatMap((layer) => Object.keys(layer.route!.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`));
    // The admin pages have their own run (pages-admin-browser.e2e-spec.ts).
    expect([...routes].sort()).toEqual([...STAFF_PAGE_ROUTES, ...ADMIN_PAGE_ROUTES].sort());
    for (const route of STAFF_PAGE_ROUTES) expect({ route, visits: Object.keys(PAGES[route]).length > 0 }).toEqual({ route, visits: true });
  });

  it.each(LANGS)('axe finds no serious or critical problem on any staff page, in %s', async (lang) => {
    const problems: string[] = [];
    await withPage(PHONE, async (page, context) => {
      for (const [route, visits] of Object.entries(PAGES)) {
        for (const [name, visit] of Object.entries(visits)) {
          await context.clearCookies();
          await visit(page, lang);
          expect({ route, name, lang: await page.getAttribute('html', 'lang') }).toEqual({ route, name, lang });
          problems.push(...(await seriousViolations(page)));
          if (lang === 'fi') await screenshot(page, `staff-${name}-${lang}-phone`);
        }
      }
    });
    expect(problems).toEqual([]);
  }, 900_000);
});
