import type { Browser } from 'playwright-core';
import { TestClock } from '@app/platform';
import { BookingFixture } from '../support/booking-fixture';
import { PYYDA_APUA } from '../support/forms-examples';
import { PHONE, type PagesApp, launchBrowser, screenshot, startPagesApp } from '../support/browser';

const NEUTRAL = 'https://www.google.com/';

/** Quick exit on a sensitive form, and the confirmation's print button: what needs a browser with script. */
describe('quick exit and printing in a real browser', () => {
  let t: PagesApp;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startPagesApp({ clock: new TestClock('2026-03-02T09:00:00+02:00') }), launchBrowser()]);
    const f = await BookingFixture.create(t);
    await f.unit('perheneuvonta');
    await f.unit('lastensuojelu-ilmoitukset');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('Shift three times leaves a child-welfare form for the neutral site; Back shows no answers; the link does the same', async () => {
    const context = await browser.newContext({ ...PHONE, baseURL: t.baseUrl });
    // The neutral site, served here (the test machine has no internet).
    await context.route(`${NEUTRAL}**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><html lang="en"><title>Search</title><p>Neutral site</p></html>' }));
    const page = await context.newPage();
    try {
      await page.goto('/lomake/lastensuojeluilmoitus');
      expect(await page.title()).toMatch(/^Lomake – /); // nothing in the tab says what this is
      await page.click('label[for=q-reporterType-1]');
      await page.locator('button[value=next]').click();
      await page.fill('#q-professionalName', 'Salainen Ilmoittaja');
      await page.fill('#q-organisation', 'Naapurikoulu');

      await page.keyboard.press('Shift');
      await page.keyboard.press('Shift');
      await page.keyboard.press('Shift');
      await page.waitForURL(NEUTRAL);
      await expect(page.locator('p').textContent()).resolves.toBe('Neutral site');

      // Back: the page left was replaced, so it is not there; the form's first page is a fresh load without answers.
      await page.goBack();
      const html = await page.content();
      expect(html).not.toContain('Salainen Ilmoittaja');
      expect(html).not.toContain('Naapurikoulu');
      if (page.url() !== NEUTRAL) {
        expect(page.url()).toBe(`${t.baseUrl}/lomake/lastensuojeluilmoitus`);
        // The first page again (not the replaced one, nor a resubmission), nothing chosen.
        expect(await page.locator('input[name=reporterType]').count()).toBe(2);
        expect(await page.locator('input[name=reporterType]:checked').count()).toBe(0);
        await screenshot(page, 'quick-exit-back-fi-phone');
      }

      // The link, by keyboard or touch, leaves the same way.
      await page.goto('/lomake/pyyda-apua');
      await page.click('label[for=q-topic-0]');
      await page.locator('button[value=next]').click();
      await page.locator('#quick-exit').click();
      await page.waitForURL(NEUTRAL);
      await page.goBack();
      expect(await page.content()).not.toMatch(/name="contactMethod"/);
      if (page.url() !== NEUTRAL) expect(await page.locator('input:checked').count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('the confirmation shows a print button where script runs, and it prints', async () => {
    const context = await browser.newContext({ ...PHONE, baseURL: t.baseUrl });
    const page = await context.newPage();
    try {
      await page.goto('/lomake/pyyda-apua');
      // Straight to sending: the answers as the form's state would carry them after the last page.
      const state = Buffer.from(JSON.stringify({ v: 2, a: { ...PYYDA_APUA, municipality: 'ratherNotSay' } })).toString('base64url');
      await page.evaluate((value) => {
        const form = document.getElementById('answers') as HTMLFormElement;
        (form.querySelector('input[name=_state]') as HTMLInputElement).value = value;
        (form.querySelector('input[name=_page]') as HTMLInputElement).value = '_check';
        form.insertAdjacentHTML('beforeend', '<input type="hidden" name="_go" value="send">');
        form.submit();
      }, state);
      await page.locator('.panel').waitFor();
      const print = page.locator('button[data-print]');
      await expect(print.isVisible()).resolves.toBe(true);
      await page.evaluate(() => { (window as unknown as { printed: number }).printed = 0; window.print = () => { (window as unknown as { printed: number }).printed++; }; });
      await print.click();
      await expect(page.evaluate(() => (window as unknown as { printed: number }).printed)).resolves.toBe(1);
      await screenshot(page, 'help-sent-print-fi-phone');
    } finally {
      await context.close();
    }
  }, 60_000);
});
