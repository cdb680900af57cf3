import type { Browser } from 'playwright-core';
import { TestClock } from '@app/platform';
import { BookingFixture } from '../support/booking-fixture';
import { PHONE, type PagesApp, launchBrowser, screenshot, startPagesApp } from '../support/browser';
import { PYYDA_APUA } from '../support/forms-examples';
import { login } from '../support/test-app';
import { formToken, text } from './page-helpers';

const MONDAY_MORNING = '2026-03-02T09:00:00+02:00';

describe('follow-up page: reference and receipt code, the handler\'s messages, a reply', () => {
  let t: PagesApp;
  let browser: Browser;
  let handler: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startPagesApp({ clock: new TestClock(MONDAY_MORNING) }), launchBrowser()]);
    const f = await BookingFixture.create(t);
    const unit = await f.unit('perheneuvonta');
    await f.staff('kasittelija@test.fi', [], ['fi'], [unit]);
    handler = await login(t, 'kasittelija@test.fi');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a citizen sends an anonymous help request, a handler replies through the API, the citizen reads it on the follow-up page and replies', async () => {
    const context = await browser.newContext({ ...PHONE, baseURL: t.baseUrl, javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto('/lomake/pyyda-apua?lang=fi');
      await page.click('label[for=q-topic-0]');
      await page.locator('button[value=next]').click();
      await page.click('label[for=q-contactMethod-2]');
      await page.locator('button[value=next]').click();
      await page.fill('#q-message', 'Tarvitsen tukea arkeen.');
      await page.locator('button[value=next]').click();
      await page.selectOption('#q-municipality', 'ratherNotSay');
      await page.click('label[for=q-contactLanguage-0]');
      await page.locator('button[value=next]').click();
      await page.locator('button[value=send]').click();
      const [reference, receiptCode] = await page.locator('.reference').allTextContents();
      expect(reference).toMatch(/^APU-2026-/);

      const [{ id }] = await t.db.query(`SELECT id FROM submission WHERE reference = $1`, [reference]);
      await t.http.post(`/api/v1/inbox/${id}/messages`).set('Authorization', handler).send({ text: 'Hei! Voimme tavata torstaina.' }).expect(201);

      // The footer leads to the follow-up page.
      await page.locator('a[href="/seuranta"]').click();
      await page.fill('#reference', reference.toLowerCase());
      await page.fill('#receiptCode', receiptCode);
      await page.locator('button[value=lookup]').click();
      await expect(page.locator('h1').textContent()).resolves.toBe('Seuraa asiaasi');
      await expect(page.locator('.message--handler .message__text').textContent()).resolves.toBe('Hei! Voimme tavata torstaina.');
      await expect(page.locator('main').textContent()).resolves.toContain('Vastaanotettu');
      await page.fill('#text', 'Kiitos, torstai sopii.');
      await page.locator('button[value=reply]').click();
      await expect(page.locator('.notice--success').textContent()).resolves.toBe('Viestisi on lähetetty.');
      await expect(page.locator('.message--sender .message__text').textContent()).resolves.toBe('Kiitos, torstai sopii.');
      await screenshot(page, 'follow-up-fi-phone');
      // The code never appears in an address.
      expect(page.url()).toBe(`${t.baseUrl}/seuranta`);
    } finally {
      await context.close();
    }
    expect(await t.db.query(`SELECT count(*)::int AS n FROM submission_message`)).toEqual([{ n: 2 }]);
  }, 90_000);

  it('gives the same answer for a wrong reference, a wrong code and a malformed one; an empty reply is refused; a post needs the form token', async () => {
    const start = await t.http.get('/seuranta').expect(200);
    expect(start.headers['cache-control']).toBe('no-store');
    const { csrf, cookie } = formToken(start);
    const sent = await t.http.post('/api/v1/forms/pyyda-apua/submissions').send({
      language: 'fi', answers: { ...PYYDA_APUA, municipality: 'ratherNotSay' },
    }).expect(201);
    const { reference, receiptCode } = sent.body as { reference: string; receiptCode: string };
    const answers = [];
    for (const typed of [
      { reference: reference.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), receiptCode },
      { reference, receiptCode: receiptCode.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) },
      { reference: 'nonsense', receiptCode: '' },
    ]) {
      const res = await t.http.post('/seuranta').set('Cookie', cookie).type('form').send({ _csrf: csrf, _go: 'lookup', ...typed }).expect(404);
      answers.push(text(res).replace(/value="[^"]*"/g, ''));
    }
    expect(answers[0]).toContain('Viitenumerolla ja kuittauskoodilla ei löytynyt lähetettyä lomaketta.');
    expect(new Set(answers.map((a) => a.replace(/Viitenumero .*? Kuittauskoodi/, '')))).toHaveProperty('size', 1);
    const empty = await t.http.post('/seuranta').set('Cookie', cookie).type('form').send({ _csrf: csrf, _go: 'reply', reference, receiptCode, text: '   ' }).expect(422);
    expect(empty.text).toContain('<a href="#text">');
    await t.http.post('/seuranta').set('Cookie', cookie).type('form').send({ _go: 'lookup', reference, receiptCode }).expect(403);
  });
});
