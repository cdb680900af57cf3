import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
// Jest's globalSetup runs outside its module mapper, so path aliases do not resolve here.
// eslint-disable-next-line no-restricted-imports
import { EmbeddedPostgres } from '../../libs/platform/src/embedded-postgres';
import { migrations } from '../../migrations';
import { freePort } from './free-port';


/**
 * One real PostgreSQL for the whole run (DATABASE_URL's server when set,
 * embedded otherwise). Migrations run once into a template database; each
 * test file clones it.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'perhe-test-'));
    await chmod(dir, 0o755); // embedded PostgreSQL runs as its own user
    const embedded = new EmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), database: 'perhe' });
    adminUrl = await embedded.start();
    (globalThis as { __embeddedPostgres?: EmbeddedPostgres }).__embeddedPostgres = embedded;
  }
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS perhe_template`);
  await admin.query(`CREATE DATABASE perhe_template`);
  await admin.end();

  const templateUrl = withDatabase(adminUrl, 'perhe_template');
  const ds = new DataSource({ type: 'postgres', url: templateUrl, migrations, migrationsTransactionMode: 'each' });
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
  process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
  delete process.env.DATABASE_URL;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
