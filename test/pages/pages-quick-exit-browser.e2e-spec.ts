import type { Browser, Page } from 'playwright-core';
import { TestClock } from '@app/platform';
import { BookingFixture } from '../support/booking-fixture';
import { PYYDA_APUA } from '../support/forms-examples';
import { PHONE, type PagesApp, launchBrowser, screenshot, startPagesApp } from '../support/browser';

const NEUTRAL = 'https://www.google.com/';

/** What has the focus: enough to decide what a keyboard user would do there. */
interface Focused {
  tag: string;
  type: string;
  id: string;
  name: string;
  value: string;
  /** A radio or checkbox group with a choice made, or a text field with text in it. */
  answered: boolean;
  inAnswers: boolean;
}

/** A plausible answer for a text field, by what its id says it asks. */
function textFor(id: string): string | undefined {
  if (/phone/i.test(id)) return '040 123 4567';
  if (/email/i.test(id)) return 'perhe@example.fi';
  if (/postal/i.test(id)) return '00100';
  if (/birth|identity|age|date/i.test(id)) return undefined;
  return 'Maija Meikäläinen';
}

/**
 * Fills in a form page by page with the keyboard alone: Tab from the top of
 * the page; Space on the first option of each radio group and checkbox group
 * not answered yet; text in each empty text field; Arrow Down in each select;
 * Enter on Continue, then on Send. A page that comes back with errors (a
 * question shown by an answer on the same page) is gone through again.
 */
async function sendByKeyboard(page: Page, maxSteps = 16): Promise<void> {
  for (let step = 0; step < maxSteps; step++) {
    await page.locator('body').focus();
    const groups = new Set<string>();
    for (let presses = 0; presses < 150; presses++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate((): Focused => {
        const el = document.activeElement as HTMLInputElement | null;
        const type = el?.getAttribute('type') ?? '';
        const name = el?.getAttribute('name') ?? '';
        const group = type === 'radio' || type === 'checkbox' ? Array.from(document.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`)).some((i) => i.checked) : false;
        return {
          tag: el?.tagName.toLowerCase() ?? '',
          type,
          id: el?.id ?? '',
          name,
          value: el?.getAttribute('value') ?? '',
          answered: group || (!!el && 'value' in el && typeof el.value === 'string' && el.value !== '' && type !== 'radio' && type !== 'checkbox'),
          inAnswers: !!el?.closest('main form'),
        };
      });
      if (!focused.inAnswers) continue;
      if (focused.tag === 'button' && (focused.value === 'next' || focused.value === 'send')) {
        await Promise.all([page.waitForLoadState('domcontentloaded'), page.keyboard.press('Enter')]);
        await page.waitForSelector('main h1');
        if (focused.value === 'send') return;
        break;
      }
      if (focused.answered) continue;
      if ((focused.type === 'radio' || focused.type === 'checkbox') && !groups.has(focused.name)) {
        groups.add(focused.name);
        await page.keyboard.press('Space');
      } else if (focused.tag === 'textarea') {
        await page.keyboard.type('Tarvitsisin jonkun, jolle puhua.');
      } else if (focused.tag === 'select') {
        await page.keyboard.press('ArrowDown');
      } else if (focused.tag === 'input' && ['text', 'tel', 'email', ''].includes(focused.type)) {
        const text = textFor(focused.id);
        if (text) await page.keyboard.type(text);
      }
    }
  }
  throw new Error(`not sent after ${maxSteps} pages: ${await page.locator('main').innerText()}`);
}

/**
 * Quick exit on a sensitive form and the confirmation's print button (what needs a browser with script), the help
 * request and the child-welfare notification with the keyboard alone (booking has its own, in pages-booking-browser),
 * and touch target sizes.
 */
describe('quick exit, printing, keyboard-only forms and touch targets in a real browser', () => {
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

  it.each([
    ['pyyda-apua', 'help request'],
    ['lastensuojeluilmoitus', 'child-welfare notification'],
  ])('a citizen sends a %s (%s) with the keyboard alone and JavaScript off, and gets the reference and receipt code', async (formId) => {
    const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false, baseURL: t.baseUrl });
    const page = await context.newPage();
    try {
      await page.goto(`/lomake/${formId}`);
      await sendByKeyboard(page);
      await screenshot(page, `keyboard-${formId}-sent`);
      const text = await page.locator('main').innerText();
      const reference = /[A-Z]{2,4}-\d{4}-[0-9A-Z]{8}/.exec(text)?.[0];
      expect(reference).toBeDefined();
      const [row] = await t.db.query(`SELECT form_id FROM submission WHERE reference = $1`, [reference]);
      expect(row).toEqual({ form_id: formId });
    } finally {
      await context.close();
    }
  }, 120_000);

  it('touch targets of the main citizen pages are at least 44 px high (buttons, fields, options, navigation and time links)', async () => {
    const context = await browser.newContext({ ...PHONE, baseURL: t.baseUrl });
    const page = await context.newPage();
    const small: string[] = [];
    try {
      for (const path of ['/', '/lomake/pyyda-apua', '/lomake/lastensuojeluilmoitus', '/seuranta', '/saavutettavuusseloste']) {
        await page.goto(path);
        small.push(...(await page.evaluate((where) => {
          const targets = document.querySelectorAll<HTMLElement>(
            'button, select, textarea, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), .hds-radio-button__label, .hds-checkbox__label, header a, nav a, .help-bar a, .actions a, a.hds-button, .times a',
          );
          return Array.from(targets)
            .filter((el) => el.getClientRects().length > 0)
            .map((el) => ({ el, box: el.getBoundingClientRect() }))
            .filter(({ box }) => box.height < 44)
            .map(({ el, box }) => `${where}: <${el.tagName.toLowerCase()} class="${el.className}"> ${Math.round(box.height)} px "${(el.textContent ?? '').trim().slice(0, 30)}"`);
        }, path)));
      }
    } finally {
      await context.close();
    }
    expect(small).toEqual([]);
  }, 60_000);
});
