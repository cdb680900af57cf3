import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import { Client } from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { Clock, RATE_LIMIT_BUCKETS, TestClock, rateLimitVariable } from '@app/platform';
import { type Role, StaffService } from '@app/identity';
import { AppModule } from '../../apps/server/src/app.module';
import { configureApp } from '../../apps/server/src/app';
import { withDatabase } from './global-setup';

export const PASSWORD = 'correct-horse-battery';

/**
 * Limits no test meets by accident (tests make hundreds of requests from
 * 127.0.0.1 with one e-mail address); tests of the limits set low ones through `env`.
 */
export const GENEROUS_RATE_LIMITS: Record<string, string> = {
  ...Object.fromEntries(RATE_LIMIT_BUCKETS.map((bucket) => [rateLimitVariable(bucket), '1000000/1m per client, 1000000/1m total'])),
  RATE_LIMIT_BOOKING_CONTACT: '1000000/1m',
};
const testDataDir = mkdtempSync(join(tmpdir(), 'perhe-data-'));

export interface TestApp {
  app: NestExpressApplication;
  http: TestAgent;
  clock: TestClock;
  db: DataSource;
  databaseUrl: string;
  close(): Promise<void>;
}

/** A fresh database cloned from the migrated template. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL!;
  const name = `t_${randomBytes(8).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE perhe_template`);
  await admin.end();
  return withDatabase(adminUrl, name);
}

/** The real server application on a real database, with a clock the test moves. */
export async function startApp(
  options: { clock?: TestClock; databaseUrl?: string; env?: Record<string, string>; port?: number; /** Collects the server's log lines (info and above). */ logLines?: string[] } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  process.env.DATABASE_URL = databaseUrl;
  process.env.JOBS_ENABLED = 'false';
  // Mail goes to the test's own SMTP server when it names one, else to files in a temporary folder.
  process.env.DATA_DIR = testDataDir;
  delete process.env.SMTP_URL;
  delete process.env.TRUST_PROXY;
  delete process.env.RATE_LIMIT_SYNC_MS;
  Object.assign(process.env, GENEROUS_RATE_LIMITS, options.env);
  const clock = options.clock ?? new TestClock();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(Clock).useValue(clock).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  const lines = options.logLines;
  configureApp(app, lines ? pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }) : pino({ level: 'silent' }));
  await app.init();
  const server = app.getHttpServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    app,
    http: request(server),
    clock,
    db: app.get(DataSource),
    databaseUrl,
    close: () => app.close(),
  };
}

/** Insert factory for accounts (the CLI's path): calendar units, languages, units whose inbox they handle; returns the staff id. */
export async function createAccount(
  t: TestApp, email: string, roles: Role[], unitIds: string[] = [], languages: ('fi' | 'sv' | 'en')[] = ['fi'], handlerUnitIds: string[] = [],
): Promise<string> {
  const staff = await t.app.get(StaffService).create({ email, name: email.split('@')[0], password: PASSWORD, roles, unitIds, languages, handlerUnitIds });
  return staff.id;
}

/** Logs in over HTTP and returns the bearer header value. */
export async function login(t: TestApp, email: string): Promise<string> {
  const res = await t.http.post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200);
  return `Bearer ${res.body.token}`;
}
