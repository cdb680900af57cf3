import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RequestMethod } from '@nestjs/common';
import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from '../support/booking-fixture';
import { LASTENVALVOJA, PYYDA_APUA } from '../support/forms-examples';
import { DESKTOP, PHONE, type PagesApp, launchBrowser, screenshot, seriousViolations, startPagesApp } from '../support/browser';
import { ADMIN_PAGE_ROUTES } from './admin-page-routes';
import { STAFF_PAGE_ROUTES } from './staff-page-routes';

/** Monday 2 March 2026, 07:00 in Helsinki. */
const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';
const LANGS = ['fi', 'sv', 'en'] as const;

/**
 * Every page route, and how a visitor reaches each page it shows. A GET
 * route is a page of its own; a POST route's outcomes are pages reached here too.
 */
type Visit = (page: Page, lang: string) => Promise<void>;

describe('citizen pages in a real browser', () => {
  let t: PagesApp;
  let f: BookingFixture;
  let browser: Browser;
  let service: string;
  let preService: string;
  const booked: { id: string; token: string }[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startPagesApp({ clock: new TestClock(MONDAY_MORNING) }), launchBrowser()]);
    f = await BookingFixture.create(t);
    const unit = (await t.http.post('/api/v1/units').set('Authorization', await f.admin())
      .send({ code: 'neuvola', name: { fi: 'Neuvola Keskusta', sv: 'Rådgivningen Centrum', en: 'Clinic Centre' }, phone: '+358 9 123 4567', address: 'Koulukatu 1, Helsinki' })
      .expect(201)).body.id;
    await f.unit('perheneuvonta'); // receives help requests
    const staff = await f.staff('hoitaja@test.fi', [unit], ['fi', 'sv']);
    service = await f.service(unit);
    await f.hours(staff, service, WEEKDAYS, '08:00', '12:00');
    preService = await f.service(unit, { preInformationForm: 'esitiedot-lastenvalvoja' });
    await f.hours(staff, preService, WEEKDAYS, '13:00', '16:00');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function booking(language = 'fi'): Promise<{ id: string; token: string }> {
    const slots = await f.slots(service, '2026-03-04', '2026-03-13');
    const res = await f.book(slots[0].id, { language }).expect(201);
    const made = { id: res.body.appointment.id as string, token: res.body.manageToken as string };
    booked.push(made);
    return made;
  }

  async function withPage<T>(options: Parameters<Browser['newContext']>[0], use: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
    const context = await browser.newContext({ baseURL: t.baseUrl, ...options });
    try {
      return await use(await context.newPage(), context);
    } finally {
      await context.close();
    }
  }

  const openManage = async (page: Page, lang: string) => {
    const { id, token } = await booking();
    await page.goto(`/appointments/${id}/manage?token=${token}&lang=${lang}`);
  };
  /** Books a time of the service with a pre-information form and opens its link. */
  const openPreInformation = async (page: Page, lang: string) => {
    const [slot] = await f.slots(preService, '2026-03-04', '2026-03-13');
    const res = await f.book(slot.id, { language: lang }).expect(201);
    await page.goto(`/appointments/${res.body.appointment.id}/pre-information?token=${res.body.preInformation.token}&lang=${lang}`);
  };
  /** Sends a form page straight away with these answers as its state (the check page's send, without the steps before). */
  const sendWithState = async (page: Page, state: object) => {
    await page.evaluate((value) => {
      const form = document.getElementById('answers') as HTMLFormElement;
      (form.querySelector('input[name=_state]') as HTMLInputElement).value = value;
      (form.querySelector('input[name=_page]') as HTMLInputElement).value = '_check';
      form.insertAdjacentHTML('beforeend', '<input type="hidden" name="_go" value="send">');
      form.submit();
    }, Buffer.from(JSON.stringify(state)).toString('base64url'));
    await page.locator('.panel').waitFor();
  };
  /** An anonymous help request answered page by page, up to check your answers. */
  async function helpRequestToCheck(page: Page, lang: string): Promise<void> {
    await page.goto(`/lomake/pyyda-apua?lang=${lang}`);
    await page.click('label[for=q-topic-0]');
    await page.locator('button[value=next]').click();
    await page.click('label[for=q-contactMethod-2]');
    await page.locator('button[value=next]').click();
    await page.fill('#q-message', 'Tarvitsen tukea.');
    await page.locator('button[value=next]').click();
    await page.selectOption('#q-municipality', 'ratherNotSay');
    await page.click('label[for=q-contactLanguage-0]');
    await page.locator('button[value=next]').click();
  }

  const PAGES: Record<string, Record<string, Visit>> = {
    'GET /appointments/:id/pre-information': {
      'pre-information': openPreInformation,
      'pre-information-invalid': (page, lang) => page.goto(`/appointments/00000000-0000-4000-8000-000000000000/pre-information?token=${'x'.repeat(43)}&lang=${lang}`).then(() => undefined),
    },
    'POST /appointments/:id/pre-information': {
      'pre-information-group': async (page, lang) => {
        await openPreInformation(page, lang);
        await page.fill('#q-fillerPhone', '040 123 4567');
        await page.locator('button[value=next]').click();
        await page.click('label[for=q-nonDisclosure-1]');
        await page.locator('button[value=next]').click();
        await page.fill('#q-children-0-childName', 'Ella Nieminen');
        await page.locator('button[value="add:children"]').click();
        await page.locator('#q-children-1-childName').waitFor();
      },
      'pre-information-sent': async (page, lang) => {
        await openPreInformation(page, lang);
        await sendWithState(page, { v: 2, a: LASTENVALVOJA });
      },
    },
    'GET /lomake/:id/jatka': {
      resume: async (page, lang) => {
        const draft = await t.http.post('/api/v1/forms/pyyda-apua/drafts').send({ answers: { topic: 'parenting', contactMethod: 'anonymous' } }).expect(201);
        await page.goto(`/lomake/pyyda-apua/jatka?token=${draft.body.resumeToken}&lang=${lang}`);
      },
      'resume-invalid': (page, lang) => page.goto(`/lomake/pyyda-apua/jatka?token=${'y'.repeat(43)}&lang=${lang}`).then(() => undefined),
    },
    'POST /saavutettavuusseloste': {
      'feedback-errors': async (page, lang) => {
        await page.goto(`/saavutettavuusseloste?lang=${lang}`);
        await page.locator('form[action="/saavutettavuusseloste"] button[type=submit]').click();
        await page.locator('.error-summary').waitFor();
      },
      'feedback-sent': async (page, lang) => {
        await page.goto(`/saavutettavuusseloste?lang=${lang}`);
        await page.fill('#feedback-message', 'Kalenteri ei toimi ruudunlukijalla.');
        await page.locator('form[action="/saavutettavuusseloste"] button[type=submit]').click();
        await page.waitForURL('**/saavutettavuusseloste?palaute=kiitos*');
      },
    },
    'GET /': { front: (page, lang) => page.goto(`/?lang=${lang}`).then(() => undefined) },
    'GET /saavutettavuusseloste': { statement: (page, lang) => page.goto(`/saavutettavuusseloste?lang=${lang}`).then(() => undefined) },
    'GET /appointments/:id/manage': {
      manage: openManage,
      'link-invalid': async (page, lang) => {
        const { id } = await booking();
        await page.goto(`/appointments/${id}/manage?token=${'x'.repeat(43)}&lang=${lang}`);
      },
      'open-link-again': async (page, lang) => {
        const { id } = await booking();
        await page.goto(`/appointments/${id}/manage?lang=${lang}`);
      },
    },
    'GET /appointments/:id/cancel': {
      'cancel-confirmation': async (page, lang) => {
        await openManage(page, lang);
        await page.locator('a[href$="/cancel"]').click();
      },
    },
    'POST /appointments/:id/cancel': {
      'cancel-error': async (page, lang) => {
        await PAGES['GET /appointments/:id/cancel']['cancel-confirmation'](page, lang);
        await page.fill('#reason', '\u202Eabc');
        await page.locator('button[type=submit]').click();
      },
      cancelled: async (page, lang) => {
        await PAGES['GET /appointments/:id/cancel']['cancel-confirmation'](page, lang);
        await page.locator('button[type=submit]').click();
      },
    },
    'GET /appointments/:id/move': {
      'move-times': async (page, lang) => {
        await openManage(page, lang);
        await page.locator('a[href$="/move"]').click();
      },
    },
    'GET /appointments/:id/move/:slotId': {
      'move-check': async (page, lang) => {
        await PAGES['GET /appointments/:id/move']['move-times'](page, lang);
        await page.locator('.times a').first().click();
      },
    },
    'POST /appointments/:id/move/:slotId': {
      'move-taken': async (page, lang) => {
        await PAGES['GET /appointments/:id/move/:slotId']['move-check'](page, lang);
        // Someone else takes the time meanwhile.
        const slotId = /\/move\/([^/?]+)/.exec(page.url())![1];
        await f.book(slotId, { contact: { name: 'Toinen Perhe', email: `siirto-${lang}@example.fi` } }).expect(201);
        await page.locator('button[value=confirm]').click();
      },
    },
    'GET /appointments/:id/moved': {
      moved: async (page, lang) => {
        await PAGES['GET /appointments/:id/move/:slotId']['move-check'](page, lang);
        await page.locator('button[value=confirm]').click();
        await page.waitForURL('**/moved');
      },
    },
    'GET /lomake/:id': {
      'help-first-page': (page, lang) => page.goto(`/lomake/pyyda-apua?lang=${lang}`).then(() => undefined),
      'child-welfare-first-page': (page, lang) => page.goto(`/lomake/lastensuojeluilmoitus?lang=${lang}`).then(() => undefined),
    },
    'POST /lomake/:id': {
      'help-errors': async (page, lang) => {
        await page.goto(`/lomake/pyyda-apua?lang=${lang}`);
        await page.locator('button[value=next]').click();
      },
      'help-check-and-sent': async (page, lang) => {
        await helpRequestToCheck(page, lang);
        expect((await seriousViolations(page))).toEqual([]); // check your answers
        await page.locator('button[value=send]').click();
        await page.locator('.panel').waitFor();
      },
    },
    'POST /lomake/:id/lahetetty': {
      // The confirmation in another language (its language buttons post the reference and the receipt code).
      'help-sent-other-language': async (page, lang) => {
        const other = lang === 'fi' ? 'sv' : 'fi';
        await helpRequestToCheck(page, other);
        await page.locator('button[value=send]').click();
        const code = await page.locator('p.reference').nth(1).textContent();
        await page.locator(`button[name=_lang][value=${lang}]`).click();
        await page.waitForURL('**/lahetetty');
        expect(await page.locator('p.reference').nth(1).textContent()).toBe(code);
      },
    },
    'GET /blankett/:id': { 'form-alias-sv': (page, lang) => page.goto(`/blankett/pyyda-apua?lang=${lang}`).then(() => undefined) },
    'GET /form/:id': { 'form-alias-en': (page, lang) => page.goto(`/form/pyyda-apua?lang=${lang}`).then(() => undefined) },
    'GET /assets/:file': {},
    'GET /varaa/:serviceId': {
      'booking-choose': (page, lang) => page.goto(`/varaa/${service}?lang=${lang}`).then(() => undefined),
      'booking-times': (page, lang) => page.goto(`/varaa/${service}?kieli=fi&valittu=1&lang=${lang}`).then(() => undefined),
    },
    'GET /varaa/:serviceId/:slotId': {
      'booking-contact': async (page, lang) => {
        await PAGES['GET /varaa/:serviceId']['booking-times'](page, lang);
        await page.locator('.times a').first().click();
      },
    },
    'POST /varaa/:serviceId/:slotId': {
      'booking-errors': async (page, lang) => {
        await PAGES['GET /varaa/:serviceId/:slotId']['booking-contact'](page, lang);
        await page.locator('button[value=check]').click();
      },
      'booking-check': async (page, lang) => {
        await PAGES['GET /varaa/:serviceId/:slotId']['booking-contact'](page, lang);
        await page.fill('#name', 'Maija Meikäläinen');
        await page.fill('#email', `axe-${lang}@example.fi`);
        await page.locator('button[value=check]').click();
      },
      'booking-taken': async (page, lang) => {
        await PAGES['POST /varaa/:serviceId/:slotId']['booking-check'](page, lang);
        // Someone else takes the time meanwhile.
        const slotId = /\/varaa\/[^/]+\/([^/?]+)/.exec(page.url())![1];
        await f.book(slotId, { contact: { name: 'Toinen Perhe', email: `toinen-${lang}@example.fi` } }).expect(201);
        await page.locator('button[value=confirm]').click();
      },
    },
    'GET /appointments/:id/booked': {
      'booking-confirmation': async (page, lang) => {
        await PAGES['POST /varaa/:serviceId/:slotId']['booking-check'](page, lang);
        await page.locator('button[value=confirm]').click();
        await page.waitForURL('**/booked');
      },
    },
    'GET /seuranta': { 'follow-up': (page, lang) => page.goto(`/seuranta?lang=${lang}`).then(() => undefined) },
    'POST /seuranta': {
      'follow-up-not-found': async (page, lang) => {
        await page.goto(`/seuranta?lang=${lang}`);
        await page.fill('#reference', 'APU-2026-AAAAAAAA');
        await page.fill('#receiptCode', 'AAAA-AAAA-AAAA-AAAA');
        await page.locator('button[value=lookup]').click();
      },
      'follow-up-status': async (page, lang) => {
        const sent = await t.http.post('/api/v1/forms/pyyda-apua/submissions')
          .send({ language: lang, answers: { ...PYYDA_APUA, municipality: 'ratherNotSay' } }).expect(201);
        await page.goto(`/seuranta?lang=${lang}`);
        await page.fill('#reference', sent.body.reference);
        await page.fill('#receiptCode', sent.body.receiptCode);
        await page.locator('button[value=lookup]').click();
        await page.fill('#text', 'Kiitos.');
        await page.locator('button[value=reply]').click();
      },
    },
    // A calendar file, not a page (tested in pages-booking.e2e-spec.ts).
    'GET /appointments/:id/calendar.ics': {},
    'NOT FOUND': { 'not-found': (page, lang) => page.goto(`/no-such-page?lang=${lang}`).then(() => undefined) },
  };

  it('every page route of the router is visited by the accessibility run', () => {
    const express = t.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
    const pageRoutes = express.router.stack
      .filter((layer) => layer.route && !/^\/(api|health)(\/|$)/.test(layer.route.path))
      .flatMap((layer) => Object.keys(layer.route!.methods).map((m) => `${m.toUpperCase()} ${[layer.route!.path].flat().join(',')}`));
    expect(pageRoutes.length).toBeGreaterThanOrEqual(5);
    expect(RequestMethod.GET).toBeDefined();
    // The staff, handler and admin pages have their own runs (pages-staff-browser.e2e-spec.ts, pages-admin-browser.e2e-spec.ts).
    const staffRoutes: readonly string[] = [...STAFF_PAGE_ROUTES, ...ADMIN_PAGE_ROUTES];
    expect(pageRoutes.filter((route) => !(route in PAGES) && !staffRoutes.includes(route))).toEqual([]);
    // Every route that shows a page has at least one visit (the style sheet shows none).
    const notPages = ['GET /assets/:file', 'GET /appointments/:id/calendar.ics'];
    for (const route of pageRoutes) if (!notPages.includes(route) && !staffRoutes.includes(route)) expect({ route, visits: Object.keys(PAGES[route]).length > 0 }).toEqual({ route, visits: true });
  });

  it.each(LANGS)('axe finds no serious or critical problem on any page, in %s', async (lang) => {
    const problems: string[] = [];
    await withPage(PHONE, async (page, context) => {
      for (const [route, visits] of Object.entries(PAGES)) {
        for (const [name, visit] of Object.entries(visits)) {
          await context.clearCookies();
          await visit(page, lang);
          expect({ route, name, lang: await page.getAttribute('html', 'lang') }).toEqual({ route, name, lang });
          problems.push(...(await seriousViolations(page)));
          if (lang === 'fi' || name === 'front') await screenshot(page, `${name}-${lang}-phone`);
        }
      }
    });
    expect(problems).toEqual([]);
  }, 360_000);

  it('desktop screenshots of the main pages; nothing overflows at 320 px', async () => {
    await withPage(DESKTOP, async (page) => {
      await PAGES['GET /'].front(page, 'fi');
      await screenshot(page, 'front-fi-desktop');
      await openManage(page, 'fi');
      await screenshot(page, 'manage-fi-desktop');
      await PAGES['GET /varaa/:serviceId']['booking-times'](page, 'fi');
      await screenshot(page, 'booking-times-fi-desktop');
    });
    await withPage({ viewport: { width: 320, height: 640 } }, async (page) => {
      for (const visit of [PAGES['GET /'].front, openManage, PAGES['GET /varaa/:serviceId']['booking-times'], PAGES['POST /varaa/:serviceId/:slotId']['booking-check'],
        PAGES['GET /appointments/:id/booked']['booking-confirmation']]) {
        await visit(page, 'sv');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect({ url: page.url(), overflow }).toEqual({ url: page.url(), overflow: 0 });
      }
    });
  }, 60_000);

  it('a professional\'s child-welfare notification without identity: the error summary links to each missing field', async () => {
    await withPage({ ...PHONE, javaScriptEnabled: false }, async (page) => {
      await page.goto('/lomake/lastensuojeluilmoitus');
      await page.click('label[for=q-reporterType-1]');
      await page.locator('button[value=next]').click();
      // The page that asks the professional's identity, submitted empty.
      for (let i = 0; i < 5 && !(await page.locator('.error-summary').count()); i++) {
        await page.locator('button[value=next]').click();
        await page.waitForLoadState('domcontentloaded');
      }
      await page.locator('.error-summary').waitFor();
      await expect(page.title()).resolves.toMatch(/^Virhe: /);
      const links = page.locator('.error-summary a');
      expect(await links.count()).toBeGreaterThan(0);
      for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')!))) {
        expect(await page.locator(href).count()).toBe(1);
      }
      const first = (await links.first().getAttribute('href'))!;
      await links.first().click();
      expect(page.url().endsWith(first)).toBe(true);
      await expect(page.locator(first).isVisible()).resolves.toBe(true);
      await screenshot(page, 'child-welfare-errors-fi-phone');
    });
  }, 60_000);

  it('a family opens the manage link and cancels with the keyboard alone, JavaScript off; the token leaves the address bar', async () => {
    const { id, token } = await booking('sv');
    await withPage({ ...PHONE, javaScriptEnabled: false }, async (page) => {
      await page.goto(`/appointments/${id}/manage?token=${token}`);
      expect(page.url()).toBe(`${t.baseUrl}/appointments/${id}/manage`);
      await page.goto(`/appointments/${id}/manage?lang=sv`);
      await expect(page.locator('h1').textContent()).resolves.toBe('Din bokning');
      // Tab to "Avboka tiden" and press Enter; then to the confirm button.
      const cancelLink = page.locator(`a[href="/appointments/${id}/cancel"]`);
      for (let i = 0; i < 30 && !(await cancelLink.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/appointments/${id}/cancel`);
      await page.keyboard.press('Tab'); // skip link
      const reason = page.locator('#reason');
      for (let i = 0; i < 30 && !(await reason.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
      await page.keyboard.type('Vi flyttar');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/appointments/${id}/manage?done=cancelled`);
      await expect(page.locator('main').textContent()).resolves.toContain('Tiden är avbokad.');
    });
    const [row] = await t.db.query(`SELECT status, cancel_reason FROM appointment WHERE id = $1`, [id]);
    expect(row).toEqual({ status: 'cancelled', cancel_reason: 'Vi flyttar' });
  }, 60_000);
});
