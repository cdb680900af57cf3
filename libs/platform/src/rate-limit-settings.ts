import { isIP } from 'node:net';

/**
 * The rate-limited kinds of request. Each has a limit per client address and
 * a limit for all clients together, set by `RATE_LIMIT_<BUCKET>`.
 */
export const RATE_LIMIT_BUCKETS = ['booking', 'manage', 'submission', 'draft', 'validation', 'login', 'receipt'] as const;
export type RateLimitBucket = (typeof RATE_LIMIT_BUCKETS)[number];

/** At most `limit` in any `windowMs` (a sliding window). */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface BucketLimits {
  perClient: RateLimitRule;
  total: RateLimitRule;
}

/**
 * Defaults: far above what a family or an office does, reached by a script
 * within seconds. Families behind one shared address (a school network, a
 * mobile operator's NAT) share the per-client allowance, hence its headroom.
 */
export const RATE_LIMIT_DEFAULTS: Record<RateLimitBucket, string> = {
  booking: '20/10m per client, 600/1m total',
  manage: '60/10m per client, 3000/1m total',
  submission: '20/10m per client, 300/1m total',
  draft: '120/10m per client, 3000/1m total',
  validation: '300/10m per client, 6000/1m total',
  login: '60/10m per client, 600/1m total',
  receipt: '30/10m per client, 600/1m total',
};

/** Anonymous bookings per contact e-mail address and per phone number. */
export const BOOKING_CONTACT_LIMIT_DEFAULT = '10/1d';

/** The environment variable of a bucket, e.g. `RATE_LIMIT_BOOKING`. */
export function rateLimitVariable(bucket: RateLimitBucket): string {
  return `RATE_LIMIT_${bucket.toUpperCase()}`;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const MAX_WINDOW_MS = 30 * UNIT_MS.d;
const MAX_LIMIT = 1_000_000_000;

/** `N/W` where W is `30s`, `10m`, `1h`, `1d` (the number may be left out: `600/m`). */
export function parseRule(text: string): RateLimitRule | undefined {
  const match = /^\s*(\d{1,10})\s*\/\s*(\d{0,6})\s*([smhd])\s*$/.exec(text);
  if (!match) return undefined;
  const limit = Number(match[1]);
  const windowMs = Number(match[2] || 1) * UNIT_MS[match[3]];
  if (limit < 1 || limit > MAX_LIMIT || windowMs < 1000 || windowMs > MAX_WINDOW_MS) return undefined;
  return { limit, windowMs };
}

/** `20/10m per client, 600/1m total` (either order). */
export function parseBucketLimits(text: string): BucketLimits | undefined {
  const parts = text.split(',');
  if (parts.length !== 2) return undefined;
  const found: Partial<BucketLimits> = {};
  for (const part of parts) {
    const match = /^(.*?)\s+(per\s+client|total)\s*$/i.exec(part.trim());
    const rule = match && parseRule(match[1]);
    if (!match || !rule) return undefined;
    const which = match[2].toLowerCase() === 'total' ? 'total' : 'perClient';
    if (found[which]) return undefined;
    found[which] = rule;
  }
  return found.perClient && found.total ? (found as BucketLimits) : undefined;
}

export const BUCKET_LIMITS_RULE = 'must be like "20/10m per client, 600/1m total" (a count per window; windows in s, m, h or d, up to 30d)';
export const CONTACT_LIMIT_RULE = 'must be like "10/1d" (a count per window; windows in s, m, h or d, up to 30d)';

/** Express's `trust proxy`: `false`, a hop count, or addresses, CIDR ranges and the names loopback, linklocal, uniquelocal. */
export type TrustProxy = false | number | string;

const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

export function parseTrustProxy(text: string): TrustProxy | undefined {
  const value = text.trim();
  if (value === 'false') return false;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const items = value.split(',').map((item) => item.trim());
  const valid = items.every((item) => {
    if (NAMED_RANGES.includes(item)) return true;
    const [address, prefix, ...rest] = item.split('/');
    const version = isIP(address);
    if (!version || rest.length) return false;
    if (prefix === undefined) return true;
    return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
  });
  return valid && items.length > 0 ? items.join(',') : undefined;
}

export const TRUST_PROXY_RULE =
  'must be false, a hop count, or a comma-separated list of proxy addresses, CIDR ranges, loopback, linklocal or uniquelocal ("true" would let any client choose its address)';
