import { performance } from 'node:perf_hooks';

interface Entry<T> {
  /** When its lookup started (monotonic ms): the value is at least as fresh as that. */
  at: number;
  /** Age (ms) from which it is looked up again in the background (refresh ahead). */
  refreshAt: number;
  value: Promise<T>;
  settled: boolean;
  refreshing: boolean;
}

/**
 * A memo of public, non-personal lookups of the families' pages (the free
 * times of a week, the list of services, pages rendered from them): under a
 * rush each is looked up once per period instead of once per visitor, and
 * visitors asking at the same moment share one lookup. No entry is served
 * older than `ttlMs`. With `refreshAhead`, an entry past a random point in the
 * second half of its life is looked up again in the background while visitors
 * are still served the current one, so under steady traffic nobody waits for a
 * lookup and the lookups of many entries do not all fall on the same moment.
 * A time shown a second after it was taken costs nothing: choosing it looks
 * the slot up afresh and booking claims it atomically. Each instance keeps its
 * own; entries expire on the monotonic clock (not the domain clock, which
 * tests may stop).
 */
export class PageCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly options: { maxEntries: number; refreshAhead?: boolean },
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const now = performance.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) {
      if (hit.settled && !hit.refreshing && now - hit.at >= hit.refreshAt) {
        hit.refreshing = true;
        const next = this.start(key, load, now, false);
        next.value.catch(() => (hit.refreshing = false));
      }
      return hit.value;
    }
    return this.start(key, load, now, true).value;
  }

  /** Forgets everything (after a change made through this instance, so its own visitor sees it at once). */
  clear(): void {
    this.entries.clear();
  }

  /** Looks the value up; stored at once when nothing current is there, else when it arrives (a refresh). */
  private start(key: string, load: () => Promise<T>, now: number, store: boolean): Entry<T> {
    const refreshAt = this.options.refreshAhead ? this.ttlMs * (0.5 + 0.4 * Math.random()) : Infinity;
    const entry: Entry<T> = { at: now, refreshAt, value: load(), settled: false, refreshing: false };
    const previous = this.entries.get(key);
    if (store) this.put(key, entry);
    entry.value.then(
      () => {
        entry.settled = true;
        // A refresh replaces what it refreshed, unless cleared or replaced meanwhile.
        if (!store && this.entries.get(key) === previous) this.put(key, entry);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry;
  }

  private put(key: string, entry: Entry<T>): void {
    this.entries.delete(key); // re-inserted last: the map's order is the age order
    this.entries.set(key, entry);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) break;
      this.entries.delete(oldest);
    }
  }
}
