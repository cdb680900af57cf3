import type { Browser } from 'playwright-core';
import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from '../support/booking-fixture';
import { DESKTOP, type PagesApp, launchBrowser, screenshot, seriousViolations, startPagesApp } from '../support/browser';
import { PASSWORD } from '../support/test-app';

describe('staff schedule in a real browser', () => {
  let t: PagesApp;
  let f: BookingFixture;
  let browser: Browser;
  let appointmentId: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startPagesApp({ clock: new TestClock('2026-03-02T09:00:00+02:00') }), launchBrowser()]);
    f = await BookingFixture.create(t);
    const unit = await f.unit('neuvola');
    const nurse = await f.staff('hoitaja@test.fi', [unit], ['fi']);
    const service = await f.service(unit);
    await f.hours(nurse, service, WEEKDAYS, '08:00', '12:00');
    const [slot] = await f.slots(service, '2026-03-11', '2026-03-11');
    appointmentId = (await f.book(slot.id, { contact: { name: 'Liisa Perhe', email: 'liisa@example.fi' } }).expect(201)).body.appointment.id;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a nurse sets an absence over a booked time and sees the warning, confirms, the appointment is kept and flagged', async () => {
    const context = await browser.newContext({ baseURL: t.baseUrl, ...DESKTOP });
    try {
      const page = await context.newPage();
      await page.goto('/staff/login?lang=fi');
      await page.fill('#email', 'hoitaja@test.fi');
      await page.fill('#password', PASSWORD);
      await page.locator('main button[type=submit]').click();
      await page.waitForURL('**/staff/calendar');
      await page.getByRole('link', { name: 'Työajat ja poissaolot' }).click();
      await page.fill('#ab-startDate', '2026-03-11');
      await page.fill('#ab-startTime', '07:00');
      await page.fill('#ab-endDate', '2026-03-11');
      await page.fill('#ab-endTime', '16:00');
      await page.fill('#ab-reason', 'Koulutus');
      await page.getByRole('button', { name: 'Lisää poissaolo' }).click();

      await expect(page.locator('h1').textContent()).resolves.toBe('Poissaolo osuu varattuihin aikoihin');
      await expect(page.locator('main').textContent()).resolves.toContain('Liisa Perhe');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'staff-absence-warning-fi-desktop');
      expect(Number((await t.db.query(`SELECT count(*) AS n FROM absence`))[0].n)).toBe(0);

      await page.getByRole('button', { name: 'Tallenna poissaolo silti' }).click();
      await page.waitForURL('**/staff/schedule?done=added');
      await expect(page.locator('.notice--alert').textContent()).resolves.toContain('Liisa Perhe');
      await screenshot(page, 'staff-schedule-fi-desktop');

      await page.locator('.notice--alert a', { hasText: 'Liisa Perhe' }).click();
      await expect(page.locator('main').textContent()).resolves.toContain('Tämä aika ei enää sovi kalenteriisi');
    } finally {
      await context.close();
    }
    const [row] = await t.db.query(`SELECT a.status, s.withdrawn FROM appointment a JOIN slot s ON s.id = a.slot_id WHERE a.id = $1`, [appointmentId]);
    expect(row).toEqual({ status: 'booked', withdrawn: true });
    expect(Number((await t.db.query(`SELECT count(*) AS n FROM absence`))[0].n)).toBe(1);
  }, 90_000);
});
