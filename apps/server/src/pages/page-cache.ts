import { performance } from 'node:perf_hooks';

/**
 * A memo of public, non-personal lookups of the families' pages (the free
 * times of a week, the list of services) for `PAGE_CACHE_MS`: under a rush
 * the pages look each up once per period instead of once per visitor, and
 * visitors asking at the same moment share one lookup. A time shown a second
 * after it was taken costs nothing: choosing it looks the slot up afresh and
 * booking claims it atomically. Each instance keeps its own; entries expire
 * on the monotonic clock (not the domain clock, which tests may stop).
 */
export class PageCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 2000,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const now = performance.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const entry = { at: now, value: load() };
    this.entries.delete(key); // re-inserted last: the map's order is the age order
    this.entries.set(key, entry);
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
    return entry.value;
  }

  /** Forgets everything (after a change made through this instance, so its own visitor sees it at once). */
  clear(): void {
    this.entries.clear();
  }
}
