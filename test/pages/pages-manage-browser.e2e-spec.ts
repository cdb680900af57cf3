import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { OutboxDispatcher } from '@app/notifications';
import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from '../support/booking-fixture';
import { PHONE, type PagesApp, launchBrowser, screenshot, startPagesApp } from '../support/browser';
import { SmtpSink } from '../support/smtp-sink';

/** Monday 2 March 2026, 07:00 in Helsinki. */
const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';

describe('the manage link in a real browser: move, cancel, and a race for the last time', () => {
  let t: PagesApp;
  let f: BookingFixture;
  let smtp: SmtpSink;
  let browser: Browser;
  let service: string;
  let lastOne: string;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    [t, browser] = await Promise.all([startPagesApp({ clock: new TestClock(MONDAY_MORNING), env: { SMTP_URL: smtp.url } }), launchBrowser()]);
    f = await BookingFixture.create(t);
    const unit = (await t.http.post('/api/v1/units').set('Authorization', await f.admin())
      .send({ code: 'neuvola', name: { fi: 'Neuvola Keskusta', sv: 'Rådgivningen Centrum', en: 'Clinic Centre' }, phone: '+358 9 123 4567', address: 'Koulukatu 1, Helsinki' })
      .expect(201)).body.id;
    const staff = await f.staff('hoitaja@test.fi', [unit], ['fi', 'sv']);
    service = await f.service(unit);
    await f.hours(staff, service, WEEKDAYS, '08:00', '12:00');
    // A service with three times in all, this Monday morning only (bookable one day ahead, changeable up to an hour before).
    lastOne = await f.service(unit, {
      name: { fi: 'Imetysneuvonta', sv: 'Amningsrådgivning', en: 'Breastfeeding advice' }, horizonDays: 1, minNoticeMinutes: 60, changeDeadlineMinutes: 60,
    });
    await f.hours(staff, lastOne, [1], '09:00', '10:00');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.stop();
  });

  async function inContext<T>(options: Parameters<Browser['newContext']>[0], use: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
    const context = await browser.newContext({ ...PHONE, baseURL: t.baseUrl, ...options });
    try {
      return await use(await context.newPage(), context);
    } finally {
      await context.close();
    }
  }

  const heading = (page: Page) => page.locator('h1').textContent();
  const dayTimes = (page: Page, day: string) => page.locator('section.day', { has: page.locator('h3', { hasText: day }) }).locator('.times a');

  it('a family books in Swedish, opens the manage link from the e-mail, moves the appointment and then cancels it', async () => {
    let link = '';
    await inContext({}, async (page) => {
      await page.goto('/?lang=sv');
      await page.locator(`a[href="/varaa/${service}"]`).click();
      await expect(page.locator('#kieli-sv').isChecked()).resolves.toBe(true);
      await page.locator('button[type=submit]').click();
      await page.waitForURL(/valittu=1/);
      await dayTimes(page, 'on 4.3.2026').first().click();
      await page.fill('#name', 'Sara Svensson');
      await page.fill('#email', 'sara@example.fi');
      await page.locator('button[value=check]').click();
      await page.locator('button[value=confirm]').click();
      await page.waitForURL(/\/booked$/);
      await expect(heading(page)).resolves.toBe('Tiden är bokad');
    });
    await t.app.get(OutboxDispatcher).drain();
    const [confirmation] = smtp.to('sara@example.fi');
    expect(confirmation.parsed.subject).toMatch(/^Tid bokad: Mottagning hos skolhälsovårdaren /);
    link = /(http:\/\/127\.0\.0\.1:\d+\/appointments\/[0-9a-f-]+\/manage\?token=[A-Za-z0-9_%-]+)/.exec(confirmation.parsed.text!)![1];
    const id = /appointments\/([0-9a-f-]+)\//.exec(link)![1];

    // Another day, another device: the link from the e-mail, in a browser that prefers Swedish.
    await inContext({ locale: 'sv-FI' }, async (page) => {
      await page.goto(link);
      expect(page.url()).toBe(`${t.baseUrl}/appointments/${id}/manage`);
      await expect(heading(page)).resolves.toBe('Din bokning');
      await page.getByRole('link', { name: 'Flytta tiden', exact: true }).click();
      await page.waitForURL(`**/appointments/${id}/move`);
      await expect(heading(page)).resolves.toBe('Välj en ny tid');
      await expect(page.locator('main').textContent()).resolves.toContain('Din nuvarande tid: on 4.3.2026 kl. 8.00–8.20.');
      await screenshot(page, 'move-times-sv-phone');
      await dayTimes(page, 'to 5.3.2026').nth(2).click();
      await expect(heading(page)).resolves.toBe('Kontrollera den nya tiden');
      await expect(page.locator('main').textContent()).resolves.toContain('to 5.3.2026 kl. 8.40–9.00');
      await screenshot(page, 'move-check-sv-phone');
      await page.getByRole('button', { name: 'Bekräfta flytten', exact: true }).click();
      await page.waitForURL(`**/appointments/${id}/moved`);
      await expect(heading(page)).resolves.toBe('Tiden är flyttad');
      await expect(page.locator('.panel').textContent()).resolves.toContain('Ny tid: to 5.3.2026 kl. 8.40–9.00');
      await expect(page.locator(`a[href="/appointments/${id}/calendar.ics"]`).count()).resolves.toBe(1);
      await screenshot(page, 'move-confirmation-sv-phone');

      await page.getByRole('link', { name: 'Tillbaka till bokningen', exact: true }).click();
      await expect(page.locator('main').textContent()).resolves.toContain('to 5.3.2026 kl. 8.40–9.00');
      await page.getByRole('link', { name: 'Avboka tiden', exact: true }).click();
      await expect(heading(page)).resolves.toBe('Vill du avboka tiden?');
      await page.getByRole('button', { name: 'Ja, avboka tiden', exact: true }).click();
      await page.waitForURL(`**/appointments/${id}/manage?done=cancelled`);
      await expect(page.locator('main').textContent()).resolves.toContain('Tiden är avbokad.');
      await expect(page.getByRole('link', { name: 'Flytta tiden', exact: true }).count()).resolves.toBe(0);
    });

    const [row] = await t.db.query(`SELECT status, language, starts_at, contact_email FROM appointment WHERE id = $1`, [id]);
    expect(row).toEqual({ status: 'cancelled', language: 'sv', starts_at: new Date('2026-03-05T06:40:00Z'), contact_email: 'sara@example.fi' });
    expect(await t.db.query(`SELECT count(*)::int AS n FROM appointment WHERE contact_email = 'sara@example.fi'`)).toEqual([{ n: 1 }]);
    expect((await t.db.query(`SELECT action FROM appointment_event WHERE appointment_id = $1 ORDER BY id`, [id])).map((e: { action: string }) => e.action))
      .toEqual(['booked', 'rescheduled', 'cancelled']);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM slot WHERE service_id = $1 AND booked > 0`, [service])).toEqual([{ n: 0 }]);

    await t.app.get(OutboxDispatcher).drain();
    const outbox: { kind: string; status: string }[] = await t.db.query(
      `SELECT kind, status FROM outbox WHERE appointment_id = $1 AND kind IN ('confirmation', 'rescheduled', 'cancelled') ORDER BY array_position(ARRAY['confirmation', 'rescheduled', 'cancelled'], kind)`,
      [id],
    );
    expect(outbox).toEqual([{ kind: 'confirmation', status: 'sent' }, { kind: 'rescheduled', status: 'sent' }, { kind: 'cancelled', status: 'sent' }]);
    const mails = smtp.to('sara@example.fi');
    expect(mails.map((m) => m.parsed.subject!.split(':')[0]).sort()).toEqual(['Tid avbokad', 'Tid bokad', 'Tid flyttad']);
    const movedMail = mails.find((m) => m.parsed.subject!.startsWith('Tid flyttad:'))!;
    expect(movedMail.parsed.text).toContain('Din bokade tid har flyttats.');
    expect(movedMail.parsed.text).toContain(`/appointments/${id}/manage?token=`);
    expect(mails.find((m) => m.parsed.subject!.startsWith('Tid avbokad:'))!.parsed.text).toContain('Din tid är avbokad.');
  }, 120_000);

  it('two families race for the last free time: one moves there, the other is told it went and sees the nearest free times', async () => {
    const [nine, twenty] = await f.slots(lastOne, '2026-03-02', '2026-03-02');
    const first = (await f.book(nine.id, { contact: { name: 'Eka Perhe', email: 'eka@example.fi' } }).expect(201)).body;
    const second = (await f.book(twenty.id, { contact: { name: 'Toka Perhe', email: 'toka@example.fi' } }).expect(201)).body;
    const [last] = await f.slots(lastOne, '2026-03-02', '2026-03-02');
    expect(last.startsAt).toBe('2026-03-02T09:40:00+02:00');

    const contexts = await Promise.all([1, 2].map(() => browser.newContext({ ...PHONE, baseURL: t.baseUrl })));
    try {
      const pages = await Promise.all(contexts.map((c) => c.newPage()));
      const families = [first, second];
      // Both reach the check step for the same, last time.
      await Promise.all(pages.map(async (page, i) => {
        const { appointment, manageToken } = families[i];
        await page.goto(`/appointments/${appointment.id}/manage?token=${manageToken}&lang=fi`);
        await page.getByRole('link', { name: 'Siirrä aika', exact: true }).click();
        await expect(page.locator('.times a').count()).resolves.toBe(1);
        await page.locator('.times a').click();
        await expect(heading(page)).resolves.toBe('Tarkista uusi aika');
        expect(page.url()).toBe(`${t.baseUrl}/appointments/${appointment.id}/move/${last.id}`);
      }));
      // Both confirm at once.
      const answers: Response[] = await Promise.all(pages.map(async (page) => {
        const answer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/move/'));
        await page.getByRole('button', { name: 'Vahvista siirto', exact: true }).click();
        return answer;
      }));
      expect(answers.map((a) => a.status()).sort()).toEqual([303, 409]);
      const winner = answers.findIndex((a) => a.status() === 303);
      const loser = 1 - winner;
      await pages[winner].waitForURL('**/moved');
      await expect(heading(pages[winner])).resolves.toBe('Aika on siirretty');
      await expect(pages[winner].locator('.panel').textContent()).resolves.toContain('Uusi aika: ma 2.3.2026 klo 9.40–10.00');

      await pages[loser].locator('.notice--alert').waitFor();
      await expect(heading(pages[loser])).resolves.toBe('Aika ehdittiin varata');
      await expect(pages[loser].locator('h2').first().textContent()).resolves.toBe('Lähimmät vapaat ajat');
      // The winner's old time is free again: the nearest (and only) one offered.
      const freed = [nine, twenty][winner];
      const offered = pages[loser].locator('.times a');
      await expect(offered.count()).resolves.toBe(1);
      await expect(offered.getAttribute('href')).resolves.toBe(`/appointments/${families[loser].appointment.id}/move/${freed.id}`);
      await expect(offered.textContent()).resolves.toContain(`ma 2.3.2026 ${freed === nine ? '9.00–9.20' : '9.20–9.40'}`);
      await screenshot(pages[loser], 'move-taken-fi-phone');
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }

    const rows = await t.db.query(
      `SELECT a.id, a.slot_id, s.booked FROM appointment a JOIN slot s ON s.id = a.slot_id WHERE a.service_id = $1 AND a.status = 'booked' ORDER BY a.starts_at`, [lastOne],
    );
    expect(rows.filter((r: { slot_id: string }) => r.slot_id === last.id)).toHaveLength(1);
    expect(rows).toHaveLength(2);
    expect(rows.every((r: { booked: number }) => r.booked === 1)).toBe(true);
    expect(await t.db.query(`SELECT booked FROM slot WHERE id = $1`, [last.id])).toEqual([{ booked: 1 }]);
  }, 90_000);
});
