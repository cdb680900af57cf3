import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './support/free-port';
import { CLI_MAIN, SERVER_MAIN, Spawned, cleanEnv, runToEnd } from './support/spawned';
import { type TestApp, createTestDatabase, startApp } from './support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('platform over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('GET /health is 200 with the database up', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('GET /api/docs-json is the OpenAPI document with the booking paths', async () => {
    const res = await t.http.get('/api/docs-json').expect(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.info.title).toBe('Perhe booking API');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/appointments', '/api/v1/services/{id}/slots', '/api/v1/auth/login', '/health']));
    expect(res.body.paths['/api/v1/appointments'].post).toBeDefined();
    expect(res.body.paths['/api/v1/services/{id}/slots'].get).toBeDefined();
  });

  it('GET /api/docs is the HTML API documentation', async () => {
    const res = await t.http.get('/api/docs').redirects(2).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toMatch(/<html/i);
    expect(res.text).toMatch(/swagger/i);
  });

  it('every response carries an X-Request-Id; a caller-given one is echoed', async () => {
    const a = await t.http.get('/health').expect(200);
    const b = await t.http.get('/health').expect(200);
    expect(a.headers['x-request-id']).toMatch(UUID);
    expect(b.headers['x-request-id']).toMatch(UUID);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);

    const refused = await t.http.get('/api/v1/services/not-a-uuid').expect(404);
    expect(refused.headers['x-request-id']).toMatch(UUID);
    const unauthenticated = await t.http.get('/api/v1/staff/me').expect(401);
    expect(unauthenticated.headers['x-request-id']).toMatch(UUID);

    const echoed = await t.http.get('/health').set('X-Request-Id', 'lb-trace-42').expect(200);
    expect(echoed.headers['x-request-id']).toBe('lb-trace-42');
    const long = await t.http.get('/health').set('X-Request-Id', 'x'.repeat(500)).expect(200);
    expect(long.headers['x-request-id']).toBe('x'.repeat(100));
  });

  it('logs one line per request with its id, method, path without the query, status and time; never the token or a header', async () => {
    const logLines: string[] = [];
    const logged = await startApp({ logLines });
    try {
      const id = '6f1c2a9e-0b7d-4c1e-9a55-3d2f4b8e7c10';
      const res = await logged.http.get(`/appointments/${id}/manage?token=salainen-linkki-123`).set('Cookie', 'session=salainen-istunto').expect(404); // a link to nothing: a plain page
      await logged.http.get('/health').set('X-Request-Id', 'lb-trace-7').expect(200);
      const requests = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'request completed');
      expect(requests).toEqual([
        expect.objectContaining({ level: 30, req: { id: res.headers['x-request-id'], method: 'GET', path: `/appointments/${id}/manage` }, res: { status: 404 }, responseTime: expect.any(Number) }),
        expect.objectContaining({ req: { id: 'lb-trace-7', method: 'GET', path: '/health' }, res: { status: 200 } }),
      ]);
      expect(logLines.join('\n')).not.toMatch(/salainen/);
    } finally {
      await logged.close();
    }
  });
});

describe('configuration', () => {
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
  });

  it('a bad PORT stops the CLI with exit code 1 and one line on stderr naming PORT', async () => {
    const run = await runToEnd(CLI_MAIN, ['migrate'], cleanEnv({ PORT: 'abc', DATABASE_URL: databaseUrl }));
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: expect.any(String) });
    const lines = run.stderr.split('\n').filter((line) => line.length > 0);
    expect(lines).toHaveLength(1);
    expect(run.stderr.endsWith('\n')).toBe(true);
    expect(lines[0]).toMatch(/\bPORT\b/);
    expect(lines[0]).toContain('abc');
    expect(run.stdout).toBe('');
  });

  it('the line says what is wrong with PORT=abc: it must be a whole number', async () => {
    const run = await runToEnd(CLI_MAIN, ['migrate'], cleanEnv({ PORT: 'abc', DATABASE_URL: databaseUrl }));
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^Invalid configuration: PORT="abc" .*\binteger\b/);
  });

  it('the same command with a good PORT succeeds (so it was PORT that stopped it)', async () => {
    const run = await runToEnd(CLI_MAIN, ['migrate'], cleanEnv({ PORT: '3000', DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' }));
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/database is at the latest migration \(\d+ applied\)/);
  });

  it.each([
    ['DATABASE_URL', 'mysql://root@localhost/perhe'],
    ['SESSION_TTL_MINUTES', '0'],
    ['LOG_LEVEL', 'chatty'],
  ])('a bad %s is named on one line, exit code 1', async (name, value) => {
    const run = await runToEnd(CLI_MAIN, ['migrate'], cleanEnv({ DATABASE_URL: databaseUrl, [name]: value }));
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n').filter((line) => line.length > 0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
  });
});

describe('the newcomer default: embedded PostgreSQL, demo data, graceful shutdown', () => {
  let dataDir: string;
  let server: Spawned | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'perhe-newcomer-'));
    await chmod(dataDir, 0o755); // embedded PostgreSQL runs as its own user
  });

  afterAll(async () => {
    await server?.stop(join(dataDir, 'pg'));
    if (!existsSync(join(dataDir, 'pg', 'postmaster.pid'))) await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  it(
    'starts without DATABASE_URL, seeds once, stops cleanly on SIGTERM and keeps its data across restarts',
    async () => {
      const pgPort = await freePort();
      const httpPort = await freePort();
      const env = cleanEnv({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), PORT: String(httpPort) });
      const base = `http://127.0.0.1:${httpPort}`;
      const pidFile = join(dataDir, 'pg', 'postmaster.pid');
      const pgUrl = `postgres://postgres:postgres@127.0.0.1:${pgPort}/perhe`;

      const countUnits = async (): Promise<number> => {
        const client = new Client({ connectionString: pgUrl });
        await client.connect();
        try {
          const { rows } = await client.query(`SELECT count(*)::int AS count FROM unit`);
          return rows[0].count;
        } finally {
          await client.end();
        }
      };

      // First start: a fresh data directory is initialised, migrated and seeded.
      server = new Spawned(SERVER_MAIN, ['--seed-demo'], env);
      await server.waitForStdout('running at', 90_000);
      expect(server.stdout).toContain(`running at http://localhost:${httpPort}`);
      expect(server.stdout).toContain('admin@demo.perhe.fi');
      // A handler for each unit that receives the shipped forms.
      expect(server.stdout).toContain('sosiaalityontekija.lahti@demo.perhe.fi  Social worker, child welfare notifications');
      expect(server.stdout).toContain('perheneuvoja.niemi@demo.perhe.fi  Family counsellor, help requests');
      expect(existsSync(pidFile)).toBe(true);

      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
      const first = await fetch(`${base}/api/v1/services`);
      expect(first.status).toBe(200);
      const services = (await first.json()) as { id: string; code: string }[];
      const demo = services.find((s) => s.code === 'laaja-terveystarkastus');
      expect(demo).toBeDefined();
      expect(await countUnits()).toBe(7);

      server.child.kill('SIGTERM');
      expect(await server.waitForExit(30_000)).toEqual({ code: 0, signal: null });
      expect(existsSync(pidFile)).toBe(false);
      await expect(fetch(`${base}/health`)).rejects.toThrow();
      await server.closed; // the logs are asynchronous: read them to the end
      expect(server.stdout).toContain('demo data created');
      expect(server.stdout).toContain('SIGTERM received, shutting down');

      // Second start on the same data: nothing is seeded again, the same rows are there.
      server = new Spawned(SERVER_MAIN, ['--seed-demo'], env);
      await server.waitForStdout('running at', 60_000);
      const again = await fetch(`${base}/api/v1/services`);
      expect(again.status).toBe(200);
      const servicesAgain = (await again.json()) as { id: string; code: string }[];
      expect(servicesAgain.map((s) => [s.id, s.code]).sort()).toEqual(services.map((s) => [s.id, s.code]).sort());
      expect(servicesAgain.find((s) => s.code === 'laaja-terveystarkastus')?.id).toBe(demo!.id);
      expect(await countUnits()).toBe(7);

      server.child.kill('SIGTERM');
      expect(await server.waitForExit(30_000)).toEqual({ code: 0, signal: null });
      expect(existsSync(pidFile)).toBe(false);
      await server.closed;
      expect(server.stdout).toContain('running at');
      expect(server.stdout).not.toContain('demo data created');
      expect(server.stdout).not.toContain('demo data seeded');
      server = undefined;
    },
    120_000,
  );
});
