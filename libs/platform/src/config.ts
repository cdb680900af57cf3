import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy, type ValidationOptions, validateSync } from 'class-validator';
import {
  BOOKING_CONTACT_LIMIT_DEFAULT, BUCKET_LIMITS_RULE, type BucketLimits, CONTACT_LIMIT_RULE, RATE_LIMIT_BUCKETS, RATE_LIMIT_DEFAULTS,
  type RateLimitBucket, type RateLimitRule, TRUST_PROXY_RULE, type TrustProxy, parseBucketLimits, parseRule, parseTrustProxy,
  rateLimitVariable,
} from './rate-limit-settings';

const BucketLimitsSetting = (options?: ValidationOptions) =>
  ValidateBy({ name: 'rateLimit', validator: { validate: (v) => typeof v === 'string' && Boolean(parseBucketLimits(v)), defaultMessage: () => BUCKET_LIMITS_RULE } }, options);

/** Every setting the service reads from the environment, with its rule. */
class Environment {
  @IsOptional() @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  @IsOptional() @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional() @IsString()
  DATA_DIR?: string;

  @IsOptional() @IsInt() @Min(1) @Max(65535)
  EMBEDDED_PG_PORT?: number;

  @IsOptional() @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'must be an http(s) URL' })
  PUBLIC_URL?: string;

  @IsOptional() @IsInt() @Min(5) @Max(10080)
  SESSION_TTL_MINUTES?: number;

  @IsOptional() @IsInt() @Min(1) @Max(480)
  STAFF_IDLE_MINUTES?: number;

  @IsOptional() @IsInt() @Min(0) @Max(60_000)
  PAGE_CACHE_MS?: number;

  @IsOptional() @IsInt() @Min(2) @Max(200)
  DB_POOL_SIZE?: number;

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional() @IsIn(['true', 'false'])
  JOBS_ENABLED?: string;

  @IsOptional() @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsOptional() @Matches(/^([^<>]*<)?[^\s@<>]+@[^\s@<>]+>?$/, { message: 'must be an e-mail address, optionally "Name <address>"' })
  MAIL_FROM?: string;

  @IsOptional() @IsInt() @Min(100) @Max(3_600_000)
  OUTBOX_POLL_MS?: number;

  @IsOptional() @IsInt() @Min(1) @Max(50)
  OUTBOX_MAX_ATTEMPTS?: number;

  @IsOptional() @IsInt() @Min(1000) @Max(3_600_000)
  OUTBOX_LEASE_MS?: number;

  @IsOptional() @IsInt() @Min(1) @Max(100)
  SMTP_CONNECTIONS?: number;

  /** `id:base64key[,id:base64key…]`, 32-byte keys; the first encrypts, all decrypt. */
  @IsOptional() @Matches(/^[a-z0-9-]{1,20}:[A-Za-z0-9+/]{43}=(,[a-z0-9-]{1,20}:[A-Za-z0-9+/]{43}=)*$/, {
    message: 'must be id:base64-of-32-bytes, comma-separated',
  })
  MASTER_KEYS?: string;

  /** base64 of 32 bytes: the key of pseudonyms (rate limits, login throttling), kept across master-key rotations. */
  @IsOptional() @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'must be base64 of 32 bytes' })
  PSEUDONYM_KEY?: string;

  @IsOptional() @IsString()
  FORMS_DIR?: string;

  @IsOptional() @BucketLimitsSetting() RATE_LIMIT_BOOKING?: string;
  @IsOptional() @BucketLimitsSetting() RATE_LIMIT_MANAGE?: string;
  @IsOptional() @BucketLimitsSetting() RATE_LIMIT_SUBMISSION?: string;
  @IsOptional() @BucketLimitsSetting() RATE_LIMIT_DRAFT?: string;
  @IsOptional() @BucketLimitsSetting() RATE_LIMIT_VALIDATION?: string;
  @IsOptional() @BucketLimitsSetting() RATE_LIMIT_LOGIN?: string;
  @IsOptional() @BucketLimitsSetting() RATE_LIMIT_RECEIPT?: string;

  @IsOptional()
  @ValidateBy({ name: 'rateLimit', validator: { validate: (v) => typeof v === 'string' && Boolean(parseRule(v)), defaultMessage: () => CONTACT_LIMIT_RULE } })
  RATE_LIMIT_BOOKING_CONTACT?: string;

  /** How often each instance reconciles its counts with the shared ones in PostgreSQL. */
  @IsOptional() @IsInt() @Min(20) @Max(60_000)
  RATE_LIMIT_SYNC_MS?: number;

  @IsOptional()
  @ValidateBy({ name: 'trustProxy', validator: { validate: (v) => typeof v === 'string' && parseTrustProxy(v) !== undefined, defaultMessage: () => TRUST_PROXY_RULE } })
  TRUST_PROXY?: string;
  @IsOptional() @IsInt() @Min(1024) @Max(1_048_576)
  DRAFT_MAX_BYTES?: number;

  /** The organisation's name in the pages' header: one name, or `fi|sv|en`. */
  @IsOptional() @Matches(/^[^<>|]{1,80}(\|[^<>|]{1,80}\|[^<>|]{1,80})?$/, { message: 'must be a name (at most 80 characters), or three names fi|sv|en' })
  ORG_NAME?: string;

  /** The organisation's main colour: white text on it must stay readable. */
  @IsOptional() @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'must be a colour like #0000bf' })
  ORG_COLOR?: string;

  /** The organisation's logo: a path on this server or an https URL. */
  @IsOptional() @Matches(/^(\/[\w./-]*|https:\/\/[^\s"'<>]+)$/, { message: 'must be a path starting with / or an https:// URL' })
  ORG_LOGO_URL?: string;

  /** Where the accessibility statement's feedback is announced (one or more addresses, comma-separated). */
  @IsOptional() @Matches(/^[^\s@,<>]+@[^\s@,<>]+(\s*,\s*[^\s@,<>]+@[^\s@,<>]+)*$/, { message: 'must be one or more e-mail addresses separated by commas' })
  ADMIN_EMAIL?: string;
}

/**
 * Validates the environment at start. A bad setting stops the start with one
 * line naming it.
 */
export function validateEnvironment(raw: Record<string, unknown>): Record<string, unknown> {
  const env = plainToInstance(Environment, raw, { enableImplicitConversion: true, excludeExtraneousValues: false });
  const [first] = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (first) {
    // The kind of value is the first thing to fix: prefer "must be an integer" over "must not be greater than".
    const constraints = first.constraints ?? {};
    const rule = ['isInt', 'matches', 'isIn', 'isString'].find((r) => r in constraints) ?? Object.keys(constraints)[0];
    const why = constraints[rule] ?? 'is invalid';
    throw new ConfigurationError(`Invalid configuration: ${first.property}=${JSON.stringify(raw[first.property])} ${why.replace(first.property + ' ', '')}`);
  }
  return raw;
}

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Typed, validated settings. */
@Injectable()
export class AppConfig {
  readonly port: number;
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly embeddedPgPort: number;
  readonly publicUrl: string;
  readonly sessionTtlMinutes: number;
  /** Minutes without a request after which the staff pages end the session (shared workstations). */
  readonly staffIdleMinutes: number;
  /** How long the public pages reuse the free times and the list of services they looked up (0: never). */
  readonly pageCacheMs: number;
  readonly dbPoolSize: number;
  readonly logLevel: string;
  readonly jobsEnabled: boolean;
  readonly smtpUrl?: string;
  readonly mailFrom: string;
  readonly mailDir: string;
  readonly outboxPollMs: number;
  readonly outboxMaxAttempts: number;
  readonly outboxLeaseMs: number;
  readonly smtpConnections: number;
  readonly masterKeys: [string, Buffer][];
  /** The key of keyed pseudonyms; without it they are keyed by the current master key. */
  readonly pseudonymKey?: Buffer;
  readonly formsDir: string;
  readonly rateLimits: Record<RateLimitBucket, BucketLimits>;
  readonly bookingContactLimit: RateLimitRule;
  readonly rateLimitSyncMs: number;
  readonly trustProxy: TrustProxy;
  /** The largest JSON of a form draft's answers, in bytes. */
  readonly draftMaxBytes: number;
  /** The organisation named in the pages' header, per language. */
  readonly orgName: { fi: string; sv: string; en: string };
  readonly orgColor: string;
  readonly orgLogoUrl?: string;
  /** The administrators' address(es) for feedback notices; without it, every active admin's own address. */
  readonly adminEmail: string[];

  constructor(config: ConfigService) {
    const num = (key: string, fallback: number) => {
      const v = config.get<string>(key);
      return v === undefined || v === '' ? fallback : Number(v);
    };
    this.port = num('PORT', 3000);
    this.databaseUrl = config.get<string>('DATABASE_URL') || undefined;
    this.dataDir = config.get<string>('DATA_DIR') || '.data';
    this.embeddedPgPort = num('EMBEDDED_PG_PORT', 54329);
    this.publicUrl = (config.get<string>('PUBLIC_URL') || `http://localhost:${this.port}`).replace(/\/$/, '');
    this.sessionTtlMinutes = num('SESSION_TTL_MINUTES', 480);
    this.staffIdleMinutes = num('STAFF_IDLE_MINUTES', 15);
    this.pageCacheMs = num('PAGE_CACHE_MS', 5000);
    this.dbPoolSize = num('DB_POOL_SIZE', 20);
    this.logLevel = config.get<string>('LOG_LEVEL') || 'info';
    this.jobsEnabled = config.get<string>('JOBS_ENABLED') !== 'false';
    this.smtpUrl = config.get<string>('SMTP_URL') || undefined;
    this.mailFrom = config.get<string>('MAIL_FROM') || 'Perhe booking <no-reply@perhe.localhost>';
    this.mailDir = `${this.dataDir}/mail`;
    this.outboxPollMs = num('OUTBOX_POLL_MS', 2000);
    this.outboxMaxAttempts = num('OUTBOX_MAX_ATTEMPTS', 8);
    this.outboxLeaseMs = num('OUTBOX_LEASE_MS', 120_000);
    this.smtpConnections = num('SMTP_CONNECTIONS', 16);
    this.masterKeys = (config.get<string>('MASTER_KEYS') || '')
      .split(',')
      .filter(Boolean)
      .map((entry) => {
        const [id, key] = entry.split(':');
        return [id, Buffer.from(key, 'base64')] as [string, Buffer];
      });
    const pseudonymKey = config.get<string>('PSEUDONYM_KEY');
    this.pseudonymKey = pseudonymKey ? Buffer.from(pseudonymKey, 'base64') : undefined;
    this.formsDir = config.get<string>('FORMS_DIR') || 'form-definitions';
    const setting = <T>(key: string, fallback: string, parse: (text: string) => T | undefined, rule: string): T => {
      const raw = config.get<string>(key) || fallback;
      const parsed = parse(raw);
      if (parsed === undefined) throw new ConfigurationError(`Invalid configuration: ${key}=${JSON.stringify(raw)} ${rule}`);
      return parsed;
    };
    this.rateLimits = Object.fromEntries(
      RATE_LIMIT_BUCKETS.map((bucket) => [bucket, setting(rateLimitVariable(bucket), RATE_LIMIT_DEFAULTS[bucket], parseBucketLimits, BUCKET_LIMITS_RULE)]),
    ) as Record<RateLimitBucket, BucketLimits>;
    this.bookingContactLimit = setting('RATE_LIMIT_BOOKING_CONTACT', BOOKING_CONTACT_LIMIT_DEFAULT, parseRule, CONTACT_LIMIT_RULE);
    this.rateLimitSyncMs = num('RATE_LIMIT_SYNC_MS', 1000);
    this.trustProxy = setting('TRUST_PROXY', 'loopback', parseTrustProxy, TRUST_PROXY_RULE);
    this.draftMaxBytes = num('DRAFT_MAX_BYTES', 65_536);
    const [fiName, svName = fiName, enName = fiName] = (config.get<string>('ORG_NAME') || 'Perhekeskus|Familjecentret|Family centre').split('|');
    this.orgName = { fi: fiName, sv: svName, en: enName };
    this.orgColor = config.get<string>('ORG_COLOR') || '#0000bf';
    this.orgLogoUrl = config.get<string>('ORG_LOGO_URL') || undefined;
    this.adminEmail = (config.get<string>('ADMIN_EMAIL') || '').split(',').map((a) => a.trim()).filter(Boolean);
  }
}
