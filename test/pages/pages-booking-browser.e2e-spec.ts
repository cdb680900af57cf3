import type { Browser, Locator, Page } from 'playwright-core';
import { OutboxDispatcher } from '@app/notifications';
import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from '../support/booking-fixture';
import { PHONE, type PagesApp, launchBrowser, screenshot, startPagesApp } from '../support/browser';
import { SmtpSink } from '../support/smtp-sink';

/** Monday 2 March 2026, 07:00 in Helsinki. */
const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';

/** Presses Tab until the element has the focus (keyboard only: no clicks). */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('the element never got the focus');
}

describe('booking in a real browser', () => {
  let t: PagesApp;
  let smtp: SmtpSink;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    [t, browser] = await Promise.all([startPagesApp({ clock: new TestClock(MONDAY_MORNING), env: { SMTP_URL: smtp.url } }), launchBrowser()]);
    const f = await BookingFixture.create(t);
    const unit = (await t.http.post('/api/v1/units').set('Authorization', await f.admin())
      .send({ code: 'neuvola', name: { fi: 'Neuvola Keskusta', sv: 'Rådgivningen Centrum', en: 'Clinic Centre' }, phone: '+358 9 123 4567', address: 'Koulukatu 1, Helsinki' })
      .expect(201)).body.id;
    const staff = await f.staff('hoitaja@test.fi', [unit], ['fi', 'sv']);
    const service = await f.service(unit);
    await f.hours(staff, service, WEEKDAYS, '08:00', '12:00');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.stop();
  });

  it('a family books in Swedish with the keyboard alone and JavaScript off; the e-mail\'s manage link opens the manage page', async () => {
    const context = await browser.newContext({ ...PHONE, baseURL: t.baseUrl, javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto('/?lang=sv');
      await tabTo(page, page.locator('a[href^="/varaa/"]').first());
      await page.keyboard.press('Enter');
      // The staff language: Swedish is already chosen for a Swedish page.
      await page.waitForURL(/\/varaa\/[^/]+$/);
      await expect(page.locator('h1').textContent()).resolves.toBe('Välj verksamhetsställe och språk');
      await expect(page.locator('#kieli-sv').isChecked()).resolves.toBe(true);
      await tabTo(page, page.locator('button[type=submit]'));
      await page.keyboard.press('Enter');
      await page.waitForURL(/valittu=1/);
      await expect(page.locator('h1').textContent()).resolves.toBe('Välj tid');
      await screenshot(page, 'booking-times-sv-phone');
      // Monday is the earliest free day (09:00 onwards: two hours' notice).
      const first = page.locator('.times a').first();
      await expect(first.textContent()).resolves.toMatch(/^9\.00–9\.20/);
      await tabTo(page, first);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/varaa\/[^/]+\/[^/?]+/);
      await expect(page.locator('h1').textContent()).resolves.toBe('Dina kontaktuppgifter');
      await tabTo(page, page.locator('#name'));
      await page.keyboard.type('Sara Svensson');
      await page.keyboard.press('Tab');
      await page.keyboard.type('sara@example.fi');
      await screenshot(page, 'booking-contact-sv-phone');
      await tabTo(page, page.locator('button[value=check]'));
      await page.keyboard.press('Enter');
      await page.locator('button[value=confirm]').waitFor();
      await expect(page.locator('h1').textContent()).resolves.toBe('Kontrollera din bokning');
      await tabTo(page, page.locator('button[value=confirm]'));
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/appointments\/[^/]+\/booked$/);
      await expect(page.locator('h1').textContent()).resolves.toBe('Tiden är bokad');
      const reference = (await page.locator('.reference').textContent())!;
      expect(reference).toMatch(/^AV-2026-\d{6}$/);
      await expect(page.locator('main').textContent()).resolves.toContain('må 2.3.2026 kl. 9.00–9.20');
      await expect(page.locator('a[href$="/calendar.ics"]').count()).resolves.toBe(1);
      await screenshot(page, 'booking-confirmation-sv-phone');

      await t.app.get(OutboxDispatcher).drain();
      const [mail] = smtp.to('sara@example.fi');
      expect(mail.parsed.text).toContain(reference);
      const link = /(http:\/\/127\.0\.0\.1:\d+\/appointments\/[0-9a-f-]+\/manage\?token=[A-Za-z0-9_%-]+)/.exec(mail.parsed.text!)![1];
      const fresh = await browser.newContext({ ...PHONE, javaScriptEnabled: false, locale: 'sv-FI' });
      try {
        const other = await fresh.newPage();
        await other.goto(link);
        expect(other.url()).toBe(link.slice(0, link.indexOf('?')));
        await expect(other.locator('h1').textContent()).resolves.toBe('Din bokning');
        await expect(other.locator('main').textContent()).resolves.toContain(reference);
      } finally {
        await fresh.close();
      }
    } finally {
      await context.close();
    }
  }, 90_000);
});
