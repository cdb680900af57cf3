import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { TestClock } from '@app/platform';
import { BookingFixture } from '../support/booking-fixture';
import { DESKTOP, launchBrowser, type PagesApp, screenshot, signInThroughPage, startPagesApp } from '../support/browser';
import { PASSWORD } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');

/** The authoring path end to end in Chromium (axe runs on these pages in every language in pages-admin-browser). */
describe('admin form authoring in a real browser', () => {
  let t: PagesApp;
  let f: BookingFixture;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startPagesApp({ clock: new TestClock('2026-03-02T09:00:00+02:00') }), launchBrowser()]);
    f = await BookingFixture.create(t);
    for (const code of ['perheneuvonta', 'perheneuvonta-lansi', 'perheneuvonta-ita']) await f.unit(code);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signIn = (page: Page, email: string, lang = 'fi') => signInThroughPage(page, email, PASSWORD, lang);

  it('an admin uploads a broken form and sees the errors by line, then a good one, previews it in Swedish and publishes it', async () => {
    const definition = JSON.parse(readFileSync(join(ROOT, 'form-definitions', 'pyyda-apua', '2.json'), 'utf8'));
    definition.version = 3;
    definition.title.sv = 'Be om hjälp av familjerådgivningen';
    const folder = mkdtempSync(join(tmpdir(), 'form-upload-'));
    const good = join(folder, '3.json');
    writeFileSync(good, JSON.stringify(definition, null, 2));
    // The broken one: an option that is not in its answer's enum.
    definition.pages[0].questions[1].options[0].value = 'kasvatus';
    const brokenText = JSON.stringify(definition, null, 2);
    const broken = join(folder, '3-broken.json');
    writeFileSync(broken, brokenText);
    const optionsLine = brokenText.split('\n').findIndex((l, i, all) => l.includes('"options"') && all[i + 2].includes('"kasvatus"')) + 1;

    const context = await browser.newContext({ baseURL: t.baseUrl, ...DESKTOP });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await signIn(page, 'admin@test.fi');
      await page.locator('nav a[href="/admin/forms"]').click();
      await page.waitForURL('**/admin/forms');
      await page.setInputFiles('#definition-file', broken);
      await page.locator('form[action="/admin/forms"] button[type=submit]').click();
      await page.waitForSelector('.error-summary');
      await expect(page.title()).resolves.toMatch(/^Virhe: /);
      const link = page.locator('.error-summary a').first();
      await expect(link.textContent()).resolves.toMatch(new RegExp(`^Rivi ${optionsLine}: \\[options-enum\\] options \\[kasvatus, .*\\(/pages/0/questions/1/options\\)$`));
      // The link leads to the finding, right under the offending line of the file.
      await link.click();
      const target = page.locator(':target');
      await expect(target.evaluate((el) => el.closest('tr')!.previousElementSibling!.querySelector('th')!.textContent)).resolves.toBe(String(optionsLine));
      await expect(target.isVisible()).resolves.toBe(true);
      await expect(page.locator(`#line-${optionsLine} code`).textContent()).resolves.toBe('          "options": [');
      await expect(page.locator('.source-file__text').isVisible()).resolves.toBe(false); // the whole file, folded
      await screenshot(page, 'admin-forms-findings-fi-desktop');
      expect((await t.db.query(`SELECT count(*)::int AS n FROM form_definition WHERE form_id = 'pyyda-apua' AND version = 3`))[0].n).toBe(0);

      await page.setInputFiles('#definition-file', good);
      await page.locator('form[action="/admin/forms"] button[type=submit]').click();
      await page.waitForURL('**/admin/forms/pyyda-apua/3?done=uploaded');
      await expect(page.locator('.notice--success').textContent()).resolves.toContain('Luonnos on tallennettu.');
      await screenshot(page, 'admin-forms-version-fi-desktop');

      // The preview in Swedish: every page, each as a citizen sees it, nothing to send.
      await page.locator('a[href="/admin/forms/pyyda-apua/3/preview?lang=sv"]').click();
      await page.waitForURL('**/preview?lang=sv');
      const titles: string[] = [];
      for (let i = 0; i < definition.pages.length; i++) {
        await expect(page.getAttribute('html', 'lang')).resolves.toBe('sv');
        titles.push((await page.locator('h1').textContent())!);
        await expect(page.locator('.preview-banner strong').textContent()).resolves.toContain('Förhandsgranskning: Be om hjälp av familjerådgivningen, version 3 (Utkast).');
        await expect(page.locator('form, button').count()).resolves.toBe(0);
        if (i === 1) await screenshot(page, 'admin-forms-preview-sv-desktop');
        if (i < definition.pages.length - 1) {
          await page.locator('.preview-banner a', { hasText: 'Nästa sida' }).click();
          await page.waitForURL(`**/preview?page=${definition.pages[i + 1].id}&lang=sv`);
        }
      }
      expect(titles).toEqual(definition.pages.map((p: { title: { sv: string } }) => p.title.sv));
      await expect(page.locator('label[for="q-contactPhone"]').count()).resolves.toBe(0); // the last page, not the contact page

      // Publish, after confirming.
      await page.locator('.preview-banner a', { hasText: 'Tillbaka till versionens uppgifter' }).click();
      await page.locator('form[action="/admin/forms/pyyda-apua/3/publish"] button').click();
      await expect(page.locator('h1').textContent()).resolves.toBe('Ska Be om hjälp av familjerådgivningen, version 3 publiceras?');
      await screenshot(page, 'admin-forms-publish-sv-desktop');
      await page.locator('button', { hasText: 'Ja, publicera' }).click();
      await page.waitForURL('**/admin/forms/pyyda-apua/3?done=published');
      await expect(page.locator('.notice--success').textContent()).resolves.toContain('Versionen har publicerats.');
      await expect(page.locator('[data-status]').first().textContent()).resolves.toBe('Publicerad');
      const served = await t.http.get('/api/v1/forms/pyyda-apua').query({ lang: 'sv' }).expect(200);
      expect(served.body).toMatchObject({ version: 3, title: 'Be om hjälp av familjerådgivningen' });
    } finally {
      await context.close();
    }
  }, 90_000);
});
