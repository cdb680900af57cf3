import { performance } from 'node:perf_hooks';
import type { HttpClient } from './http-client';

export interface PageLoad {
  latencies: number[];
  /** Pages per second over the whole run (warm-up included). */
  rate: number;
  failures: Map<string, number>;
}

/** What a phone's browser sends for a page. */
const BROWSER = { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br', 'accept-language': 'fi' };

/**
 * `concurrency` clients each asking for the next of `paths` (round robin) as
 * soon as its previous page arrived, until `count` pages were measured after
 * `warmup` unmeasured ones. Only a 200 with a whole HTML page counts.
 */
export async function loadPages(client: HttpClient, paths: readonly string[], concurrency: number, warmup: number, count: number): Promise<PageLoad> {
  const result: PageLoad = { latencies: [], rate: 0, failures: new Map() };
  const started = performance.now();
  let issued = 0;
  const worker = async () => {
    for (let i = issued++; i < warmup + count; i = issued++) {
      const path = paths[i % paths.length];
      const res = await client.get(path, BROWSER);
      const ok = res.status === 200 && res.body.includes('</html>');
      if (!ok) {
        const why = `HTTP ${res.status} on ${path.replace(/[0-9a-f-]{36}/g, '{id}')}`;
        result.failures.set(why, (result.failures.get(why) ?? 0) + 1);
      } else if (i >= warmup) {
        result.latencies.push(res.ms);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  result.rate = (warmup + count) / ((performance.now() - started) / 1000);
  return result;
}

export interface PageWeight {
  html: number;
  /** Whether the page came compressed. */
  htmlEncoding: string;
  css: number;
  /** Whether the style sheet came compressed. */
  cssEncoding: string;
}

/** The bytes a phone downloads for a page the first time: the HTML and its style sheets, as transferred. */
export async function pageWeight(client: HttpClient, path: string): Promise<PageWeight> {
  const page = await client.get(path, BROWSER);
  if (page.status !== 200) throw new Error(`${path}: HTTP ${page.status}`);
  let css = 0;
  let cssEncoding = 'identity';
  for (const [, href] of page.body.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)) {
    const sheet = await client.get(href, { ...BROWSER, accept: 'text/css' });
    if (sheet.status !== 200) throw new Error(`${href}: HTTP ${sheet.status}`);
    css += sheet.bytes;
    cssEncoding = String(sheet.headers['content-encoding'] ?? 'identity');
  }
  return { html: page.bytes, htmlEncoding: String(page.headers['content-encoding'] ?? 'identity'), css, cssEncoding };
}
