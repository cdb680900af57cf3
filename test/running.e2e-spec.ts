import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from './support/booking-fixture';
import { freePort } from './support/free-port';
import { CLI_MAIN, ROOT, SERVER_MAIN, Spawned, cleanEnv, runToEnd } from './support/spawned';
import { type TestApp, startApp } from './support/test-app';

// ---------------------------------------------------------------------------
// Processes, seen from outside through /proc (Linux), as an operator would.

/** pid → parent pid of every process whose command line can be read, zombies excluded. */
function processTable(): Map<number, { ppid: number; argv: string[]; cwd?: string }> {
  const table = new Map<number, { ppid: number; argv: string[]; cwd?: string }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' || state === 'X') continue;
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      let cwd: string | undefined;
      try {
        cwd = readlinkSync(`/proc/${name}/cwd`);
      } catch {
        cwd = undefined;
      }
      table.set(Number(name), { ppid: Number(ppid), argv, cwd });
    } catch {
      // exited meanwhile
    }
  }
  return table;
}

/** True while the process runs (an exited, unreaped zombie does not). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/** The process and all its descendants. */
function processTree(rootPid: number): number[] {
  const table = processTable();
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, info] of table) if (info.ppid === tree[i] && !tree.includes(pid)) tree.push(pid);
  }
  return tree.filter((pid) => table.has(pid));
}

/** PostgreSQL processes of one data directory: the postmaster (started with -D) and its children (working directory). */
function postgresOf(databaseDir: string): number[] {
  return [...processTable()]
    .filter(([, info]) => info.cwd === databaseDir || (info.argv.includes('-D') && info.argv[info.argv.indexOf('-D') + 1] === databaseDir))
    .map(([pid]) => pid);
}

function postmasterPid(databaseDir: string): number | undefined {
  const file = join(databaseDir, 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

/** Cleanup after a failure: fast shutdown of whatever PostgreSQL still runs on the data directory. */
async function stopPostgresOf(databaseDir: string): Promise<void> {
  const postmasters = postgresOf(databaseDir).filter((pid) => processTable().get(pid)?.argv.includes('-D'));
  for (const pid of postmasters) process.kill(pid, 'SIGINT');
  const until = Date.now() + 20_000;
  while (postmasters.some(isRunning) && Date.now() < until) await sleep(100);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls /health until it answers 200; returns the milliseconds since `since`. */
async function waitHealthy(base: string, since: number, timeoutMs: number, exited: () => boolean): Promise<number> {
  while (Date.now() - since < timeoutMs) {
    if (exited()) throw new Error('exited before it became healthy');
    const status = await fetch(`${base}/health`).then((r) => r.status, () => 0);
    if (status === 200) return Date.now() - since;
    await sleep(100);
  }
  throw new Error(`not healthy within ${timeoutMs} ms`);
}

/** Helsinki calendar date `days` from now. */
function helsinkiDate(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Helsinki' });
}

async function newDataDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755); // embedded PostgreSQL runs as its own user
  return dir;
}

// ---------------------------------------------------------------------------

describe('a server killed with SIGKILL, and the command line beside a running server', () => {
  let dataDir: string;
  let pgDir: string;
  let env: NodeJS.ProcessEnv;
  let base: string;
  let server: Spawned | undefined;
  let booking: { id: string; reference: string; manageToken: string };

  beforeAll(async () => {
    dataDir = await newDataDir('perhe-running-');
    pgDir = join(dataDir, 'pg');
    const httpPort = await freePort();
    env = cleanEnv({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), PORT: String(httpPort), OUTBOX_POLL_MS: '500' });
    base = `http://127.0.0.1:${httpPort}`;
  });

  afterAll(async () => {
    await server?.stop(pgDir);
    await stopPostgresOf(pgDir);
    if (postgresOf(pgDir).length === 0) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  async function start(): Promise<Spawned> {
    const started = new Spawned(SERVER_MAIN, ['--seed-demo'], env);
    server = started;
    await started.waitForStdout('running at', 90_000);
    return started;
  }

  async function readBooking(): Promise<{ status: number; reference?: string }> {
    const res = await fetch(`${base}/api/v1/appointments/${booking.id}`, { headers: { 'X-Manage-Token': booking.manageToken } });
    return { status: res.status, reference: res.status === 200 ? ((await res.json()) as { reference: string }).reference : undefined };
  }

  it(
    'after kill -9 of the server the next start stops the orphaned PostgreSQL, says so in one line, and the data is still there',
    async () => {
      const first = await start();
      // A family books a demo time: data written by the server that will be killed.
      const services = (await (await fetch(`${base}/api/v1/services`)).json()) as { id: string; code: string }[];
      const service = services.find((s) => s.code === 'laaja-terveystarkastus')!;
      const search = await fetch(`${base}/api/v1/services/${service.id}/slots?from=${helsinkiDate(3)}&to=${helsinkiDate(20)}`);
      expect(search.status).toBe(200);
      const slot = ((await search.json()) as { items: { id: string }[] }).items[0];
      const booked = await fetch(`${base}/api/v1/appointments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ slotId: slot.id, language: 'fi', contact: { name: 'Maija Meikäläinen', email: 'maija@example.fi' }, childName: 'Matti' }),
      });
      expect(booked.status).toBe(201);
      const body = (await booked.json()) as { appointment: { id: string; reference: string }; manageToken: string };
      booking = { id: body.appointment.id, reference: body.appointment.reference, manageToken: body.manageToken };

      const orphan = postmasterPid(pgDir)!;
      expect(isRunning(orphan)).toBe(true);
      first.child.kill('SIGKILL');
      expect(await first.waitForExit(10_000)).toEqual({ code: null, signal: 'SIGKILL' });
      // PostgreSQL outlives the server that started it: this used to stop every later start.
      expect(isRunning(orphan)).toBe(true);

      const second = await start();
      await second.waitForStdout('starting it again', 5_000);
      const notices = second.stdout.split('\n').filter((line) => line.includes('left running by a process that was killed'));
      expect(notices).toHaveLength(1);
      expect(JSON.parse(notices[0])).toMatchObject({ level: 40, context: 'postgres' });
      expect(notices[0]).toContain(`stopped embedded PostgreSQL (pid ${orphan}`);
      expect(isRunning(orphan)).toBe(false);
      const now = postmasterPid(pgDir)!;
      expect(now).not.toBe(orphan);
      expect(processTable().get(now)?.ppid).toBe(second.child.pid);

      expect(await readBooking()).toEqual({ status: 200, reference: booking.reference });
    },
    180_000,
  );

  it(
    'migrate and outbox:drain use the running server\'s PostgreSQL of the same DATA_DIR and leave it running; a second server is refused; the server still answers',
    async () => {
      expect(server?.running).toBe(true);
      const postmaster = postmasterPid(pgDir)!;

      const migrate = await runToEnd(CLI_MAIN, ['migrate'], env, 60_000);
      expect({ code: migrate.code, stderr: migrate.stderr }).toEqual({ code: 0, stderr: '' });
      expect(migrate.stdout).toMatch(/database is at the latest migration \(\d+ applied\)/);

      const drain = await runToEnd(CLI_MAIN, ['outbox:drain'], { ...env, LOG_LEVEL: 'info' }, 60_000);
      expect({ code: drain.code, stderr: drain.stderr }).toEqual({ code: 0, stderr: '' });
      expect(drain.stdout).toMatch(/sent \d+, skipped \d+, retrying \d+, failed \d+/);
      expect(drain.stdout).toContain(`that process ${server!.child.pid} runs; it is left running`);

      // A second server on the same data directory is refused in one line that says how to reach the running one.
      const second = await runToEnd(SERVER_MAIN, [], { ...env, PORT: String(await freePort()) }, 60_000);
      expect(second.code).toBe(1);
      const lines = second.stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`embedded PostgreSQL of ${pgDir} is already running (pid ${postmaster}`);
      expect(lines[0]).toContain(`DATABASE_URL=postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_PG_PORT}/perhe`);

      // The same PostgreSQL still runs under the server, which still answers.
      expect(postmasterPid(pgDir)).toBe(postmaster);
      expect(isRunning(postmaster)).toBe(true);
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect(await readBooking()).toEqual({ status: 200, reference: booking.reference });
    },
    120_000,
  );

  it(
    'a postmaster.pid left behind with a dead pid is removed with one log line, and the server starts on the same data',
    async () => {
      server!.child.kill('SIGTERM');
      expect(await server!.waitForExit(30_000)).toEqual({ code: 0, signal: null });
      const pidFile = join(pgDir, 'postmaster.pid');
      expect(existsSync(pidFile)).toBe(false);

      // What PostgreSQL leaves when it is killed itself: its pid file, naming a process that is gone.
      const gone = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
      expect(isRunning(gone)).toBe(false);
      const port = env.EMBEDDED_PG_PORT!;
      writeFileSync(pidFile, `${gone}\n${pgDir}\n1764220000\n${port}\n/tmp\n127.0.0.1\n  5808986        20\nready   \n`);

      const again = await start();
      const notices = again.stdout.split('\n').filter((line) => line.includes('stale postmaster.pid'));
      expect(notices).toHaveLength(1);
      expect(notices[0]).toContain(`process ${gone} no longer runs`);
      expect(await readBooking()).toEqual({ status: 200, reference: booking.reference });
    },
    120_000,
  );

  it(
    'a postmaster.pid naming a live process that is not PostgreSQL (a reused pid) is removed too; PostgreSQL alone would refuse to start',
    async () => {
      server!.child.kill('SIGTERM');
      expect(await server!.waitForExit(30_000)).toEqual({ code: 0, signal: null });
      const port = env.EMBEDDED_PG_PORT!;
      writeFileSync(join(pgDir, 'postmaster.pid'), `${process.pid}\n${pgDir}\n1764220000\n${port}\n/tmp\n127.0.0.1\n  5808986        20\nready   \n`);

      const again = await start();
      expect(again.stdout).toContain(`process ${process.pid} is not this data directory's PostgreSQL`);
      expect(isRunning(process.pid)).toBe(true);
      expect(await readBooking()).toEqual({ status: 200, reference: booking.reference });

      again.child.kill('SIGTERM');
      expect(await again.waitForExit(30_000)).toEqual({ code: 0, signal: null });
      expect(postgresOf(pgDir)).toEqual([]);
      server = undefined;
    },
    120_000,
  );
});

describe('npm start', () => {
  let dataDir: string;
  let pgDir: string;
  let env: NodeJS.ProcessEnv;
  let base: string;
  let pgPort: number;
  let npm: NpmStart | undefined;

  /** `npm start` itself, as a user runs it: the PID signalled is npm's. */
  class NpmStart {
    readonly child: ChildProcess;
    readonly spawnedAt = Date.now();
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    output = '';
    constructor() {
      // Its own process group, so that a failed test can end the whole tree.
      this.child = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
      this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
      this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    }
    get running(): boolean {
      return this.child.exitCode === null && this.child.signalCode === null;
    }
    async exit(timeoutMs: number) {
      return Promise.race([this.exited, sleep(timeoutMs).then(() => Promise.reject(new Error(`npm still running after ${timeoutMs} ms:\n${this.output}`)))]);
    }
  }

  beforeAll(async () => {
    // `npm start` builds when the sources differ from the last build: that must not happen under other tests' feet.
    const check = spawnSync(process.execPath, [join(ROOT, 'scripts/build-if-changed.js'), '--check']);
    if (check.status !== 0) throw new Error('dist/ is older than the sources: run `npm run build` before these tests');
    dataDir = await newDataDir('perhe-npm-start-');
    pgDir = join(dataDir, 'pg');
    const httpPort = await freePort();
    pgPort = await freePort();
    env = cleanEnv({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), PORT: String(httpPort) });
    base = `http://127.0.0.1:${httpPort}`;
  });

  afterAll(async () => {
    if (npm?.running) {
      process.kill(-npm.child.pid!, 'SIGTERM');
      await npm.exit(20_000).catch(() => process.kill(-npm!.child.pid!, 'SIGKILL'));
    }
    await stopPostgresOf(pgDir);
    if (postgresOf(pgDir).length === 0) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it(
    'is healthy, and SIGTERM to npm\'s own PID stops npm, the server and PostgreSQL cleanly',
    async () => {
      npm = new NpmStart();
      const firstStartMs = await waitHealthy(base, npm.spawnedAt, 120_000, () => !npm!.running);
      const tree = processTree(npm.child.pid!);
      const server = tree.find((pid) => processTable().get(pid)?.argv.some((a) => a.endsWith('dist/apps/server/apps/server/src/main.js')));
      const postmaster = postmasterPid(pgDir)!;
      // npm → node (exec'd: no shell in between) → postgres → its workers
      expect(processTable().get(server!)?.ppid).toBe(npm.child.pid);
      expect(tree).toContain(postmaster);
      expect(tree.length).toBeGreaterThanOrEqual(4);

      const stopping = Date.now();
      process.kill(npm.child.pid!, 'SIGTERM');
      expect(await npm.exit(30_000)).toEqual({ code: 0, signal: null });
      const stopMs = Date.now() - stopping;
      expect(tree.filter(isRunning)).toEqual([]);
      expect(postgresOf(pgDir)).toEqual([]);
      expect(existsSync(join(pgDir, 'postmaster.pid'))).toBe(false);
      expect(await portAccepts(pgPort)).toBe(false);
      await expect(fetch(`${base}/health`)).rejects.toThrow();
      expect(npm.output).toContain('SIGTERM received, shutting down');
      expect(npm.output).toMatch(/"msg":"stopped"/);
      console.log(`npm start: healthy ${firstStartMs} ms after spawn; stopped ${stopMs} ms after SIGTERM`);
    },
    180_000,
  );

  it(
    'a second npm start with nothing changed skips the build and is healthy within 15 s',
    async () => {
      npm = new NpmStart();
      const secondStartMs = await waitHealthy(base, npm.spawnedAt, 60_000, () => !npm!.running);
      expect(npm.output).toContain('build is up to date');
      expect(npm.output).not.toContain('nest build');
      expect(npm.output).not.toMatch(/> perhe-booking@[\d.]+ build/);
      console.log(`second npm start: healthy ${secondStartMs} ms after spawn`);
      expect(secondStartMs).toBeLessThan(15_000);

      process.kill(npm.child.pid!, 'SIGTERM');
      expect(await npm.exit(30_000)).toEqual({ code: 0, signal: null });
      expect(postgresOf(pgDir)).toEqual([]);
    },
    120_000,
  );
});

// ---------------------------------------------------------------------------

/** Monday 2 March 2026, 07:00 in Helsinki. */
const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';

/**
 * A PostgreSQL of the test's own, started and stopped by a small process on
 * the built `EmbeddedPostgres` (the server's code), so it can go down and come
 * back under a running application.
 */
class OwnPostgres {
  private process?: Spawned;
  constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}

  async start(): Promise<string> {
    const code = `
      const { EmbeddedPostgres } = require(process.argv[1]);
      const pg = new EmbeddedPostgres({ dataDir: process.argv[2], port: Number(process.argv[3]), database: 'perhe' });
      process.on('SIGTERM', () => pg.stop().then(() => process.exit(0)));
      pg.start().then((url) => console.log('ready ' + url), (e) => { console.error(e); process.exit(1); });`;
    const embedded = join(ROOT, 'dist/apps/server/libs/platform/src/embedded-postgres.js');
    this.process = new Spawned('-e', [code, embedded, join(this.dataDir, 'pg'), String(this.port)], cleanEnv({}));
    await this.process.waitForStdout('ready ', 60_000);
    return this.process.stdout.match(/ready (\S+)/)![1];
  }

  /** A fast shutdown: the sessions are ended (57P01), then new connections are refused. */
  async stop(): Promise<void> {
    const running = this.process;
    this.process = undefined;
    if (!running?.running) return;
    running.child.kill('SIGTERM');
    expect(await running.waitForExit(30_000)).toEqual({ code: 0, signal: null });
  }

  async cleanup(): Promise<void> {
    await this.process?.stop(join(this.dataDir, 'pg'));
  }
}

describe('the database down under a running server', () => {
  let dataDir: string;
  let pg: OwnPostgres;
  let t: TestApp;
  let f: BookingFixture;
  let service: string;
  let slots: { id: string }[];

  beforeAll(async () => {
    dataDir = await newDataDir('perhe-db-down-');
    pg = new OwnPostgres(dataDir, await freePort());
    const url = await pg.start();
    t = await startApp({ databaseUrl: url, clock: new TestClock(MONDAY_MORNING) });
    f = await BookingFixture.create(t);
    const unit = await f.unit('kouluterveys');
    const staff = await f.staff('hoitaja@test.fi', [unit]);
    service = await f.service(unit);
    await f.hours(staff, service, WEEKDAYS, '08:00', '12:00');
    slots = await f.slots(service, '2026-03-04', '2026-03-04');
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await pg?.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('every response carries the security headers, and API responses Cache-Control: no-store', async () => {
    const booked = await f.book(slots[0].id).expect(201);
    const read = await t.http.get(`/api/v1/appointments/${booked.body.appointment.id}`).set('X-Manage-Token', booked.body.manageToken).expect(200);
    expect(read.body.contact.email).toBe('maija@example.fi');
    const responses = {
      booked,
      read,
      search: await t.http.get(`/api/v1/services/${service}/slots?from=2026-03-04&to=2026-03-04`).expect(200),
      notFound: await t.http.get(`/api/v1/appointments/${booked.body.appointment.id}`).set('X-Manage-Token', 'wrong').expect(404),
      invalid: await f.book('not-a-slot').expect(400),
      unauthenticated: await t.http.get('/api/v1/staff/me/calendar').expect(401),
      unknownRoute: await t.http.get('/api/v1/nothing-here').expect(404),
      health: await t.http.get('/health').expect(200),
    };
    for (const [name, res] of Object.entries(responses)) {
      const headers = {
        name,
        csp: res.headers['content-security-policy'],
        nosniff: res.headers['x-content-type-options'],
        frame: res.headers['x-frame-options'],
        referrer: res.headers['referrer-policy'],
        coop: res.headers['cross-origin-opener-policy'],
        cache: res.headers['cache-control'],
        pragma: res.headers['pragma'],
        expires: res.headers['expires'],
        poweredBy: res.headers['x-powered-by'],
      };
      expect(headers).toEqual({
        name,
        csp: expect.stringContaining("default-src 'self'"),
        nosniff: 'nosniff',
        frame: 'DENY',
        referrer: 'no-referrer',
        coop: 'same-origin',
        cache: expect.stringMatching(/(^|, )no-store(,|$)/),
        pragma: 'no-cache',
        expires: undefined,
        poweredBy: undefined,
      });
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self';");
      // Plain http: no HSTS and no upgrading of requests (PUBLIC_URL is http here).
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    }
  });

  it('the API documentation loads under that policy: its scripts and styles come from this origin, and stay cacheable', async () => {
    const page = await t.http.get('/api/docs').redirects(2).expect(200);
    const csp = page.headers['content-security-policy'];
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/style-src 'self' 'unsafe-inline'(;|$)/);
    // No inline script: everything the page runs is a file that 'self' allows.
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const [, attributes, inline] of scripts) {
      expect(inline.trim()).toBe('');
      expect(attributes).toMatch(/src="\.\/(docs\/)?[\w.-]+\.js"/);
    }
    expect(page.text).not.toMatch(/\son[a-z]+=/i); // no inline event handlers (script-src-attr 'none')
    const assets = [...page.text.matchAll(/(?:src|href)="\.\/(?:docs\/)?([\w.-]+\.(?:js|css|png))"/g)].map((m) => m[1]);
    expect(assets).toEqual(expect.arrayContaining(['swagger-ui-bundle.js', 'swagger-ui-init.js', 'swagger-ui.css']));
    for (const asset of assets) {
      const res = await t.http.get(`/api/docs/${asset}`).expect(200);
      expect(res.headers['cache-control']).not.toBe('no-store');
      expect(res.headers['pragma']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    // The init script points Swagger UI at the document inline or on this origin only.
    const init = await t.http.get('/api/docs/swagger-ui-init.js').expect(200);
    expect(init.text).not.toMatch(/https?:\/\//);
  });

  it('answers 503 with Retry-After and a localized message while PostgreSQL is down, and works again once it is back', async () => {
    await pg.stop();

    const booking = await f.book(slots[1].id).set('Accept-Language', 'sv');
    const search = await t.http.get(`/api/v1/services/${service}/slots?from=2026-03-04&to=2026-03-04`).set('Accept-Language', 'en');
    const health = await t.http.get('/health');
    const texts = {
      fi: 'Palvelu on juuri nyt tilapäisesti poissa käytöstä. Yritä uudelleen hetken kuluttua.',
      sv: 'Tjänsten är tillfälligt otillgänglig just nu. Försök igen om en stund.',
      en: 'The service is temporarily unavailable. Please try again in a moment.',
    };
    for (const [res, lang] of [[booking, 'sv'], [search, 'en'], [health, 'fi']] as const) {
      expect({ status: res.status, retryAfter: res.headers['retry-after'], cache: res.headers['cache-control'] }).toEqual({
        status: 503,
        retryAfter: '5',
        cache: expect.stringMatching(/(^|, )no-store(,|$)/),
      });
      expect(res.body).toMatchObject({ code: 'service_unavailable', message: texts[lang] });
    }
    expect(health.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });

    await pg.start();
    await t.http.get('/health').expect(200);
    expect((await f.slots(service, '2026-03-04', '2026-03-04')).map((s) => s.id)).toContain(slots[1].id);
    await f.book(slots[1].id).expect(201);
  }, 120_000);
});
