import type { Browser, Page } from 'playwright-core';
import { TestClock } from '@app/platform';
import { BookingFixture } from '../support/booking-fixture';
import { PHONE, type PagesApp, launchBrowser, screenshot, startPagesApp } from '../support/browser';

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

/** The keyboard-only flows of the issue (booking has its own, in pages-booking-browser), and touch target sizes. */
describe('forms with the keyboard alone, and touch targets, in a real browser', () => {
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
