import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import chromium from '@sparticuz/chromium';
import { type Browser, type BrowserContextOptions, type Page, chromium as playwright } from 'playwright-core';
import { freePort } from './free-port';
import { type TestApp, startApp } from './test-app';
import type { TestClock } from '@app/platform';

/** Where screenshots go (git-ignored). */
export const SCREENSHOTS = resolve(__dirname, '..', '..', 'test-artifacts', 'screenshots');

/** The package's version, from its own package.json (its `exports` do not list that file). */
const CHROMIUM_VERSION: string = JSON.parse(readFileSync(join(dirname(require.resolve('@sparticuz/chromium')), '..', '..', 'package.json'), 'utf8')).version;

/**
 * The Chromium shipped inside @sparticuz/chromium, unpacked once per version
 * into a folder of its own under the system's temporary folder. The package
 * unpacks into `os.tmpdir()` (and reuses whatever `chromium` it finds there,
 * whichever version), so it runs in a child process whose TMPDIR is a fresh
 * folder, renamed into place when complete: concurrent test files never see
 * half a browser.
 */
async function chromiumPath(): Promise<string> {
  const home = join(tmpdir(), `perhe-chromium-${CHROMIUM_VERSION}`);
  const binary = join(home, 'chromium');
  if (existsSync(binary)) return binary;
  const staging = await mkdtemp(join(tmpdir(), 'perhe-chromium-unpack-'));
  const script = `require(${JSON.stringify(require.resolve('@sparticuz/chromium'))}).executablePath().then((p) => console.log(p))`;
  const unpacked = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, TMPDIR: staging }, encoding: 'utf8', timeout: 120_000 });
  if (unpacked.status !== 0 || unpacked.stdout.trim() !== join(staging, 'chromium')) {
    throw new Error(`unpacking Chromium failed: ${unpacked.stderr || unpacked.stdout}`);
  }
  await rename(staging, home).catch(async () => {
    await rm(staging, { recursive: true, force: true }); // another test file got there first
  });
  return binary;
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = await chromiumPath();
  return playwright.launch({
    executablePath,
    headless: true,
    // The package's flags, minus single-process (meant for AWS Lambda; it makes pages share one renderer).
    args: chromium.args.filter((arg) => arg !== '--single-process'),
  });
}

export interface PagesApp extends TestApp {
  baseUrl: string;
}

/** The real application on a real database, listening where PUBLIC_URL says (so e-mail links and the origin check agree). */
export async function startPagesApp(options: { clock?: TestClock; env?: Record<string, string> } = {}): Promise<PagesApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t = await startApp({ ...options, port, env: { PUBLIC_URL: baseUrl, ...options.env } });
  return Object.assign(t, { baseUrl });
}

export const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 740 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };

/** axe-core's WCAG 2.1 A and AA rules on the page: the serious and critical findings, as short lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Only violations are reported: axe then skips the details of what passed, which is most of its time.
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).options({ resultTypes: ['violations'] }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${page.url()} ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs a browser page in through the staff login page and waits until it has left it. */
export async function signInThroughPage(page: Page, email: string, password: string, lang = 'fi'): Promise<void> {
  await page.goto(`/staff/login?lang=${lang}`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/staff/login'));
}
