import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';


export interface ServerOptions {
  root: string;
  dataDir: string;
  port: number;
  embeddedPgPort: number;
  poolSize: number;
  /** An external PostgreSQL; without it the server starts embedded PostgreSQL itself. */
  databaseUrl?: string;
  startTimeoutMs?: number;
}

const MAX_FORWARDED_LINES = 40;

/** The real server, started from the build as a child process. */
export class ServerProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private forwarded = 0;
  private suppressed = 0;
  private runtimeLines = 0;
  /** Lines the server printed before it was up (warnings such as a generated development key). */
  startupLines = 0;
  private readonly tail: string[] = [];

  constructor(private readonly options: ServerOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Log lines the server wrote (at warn level or above) after it started; start-up notices do not count. */
  get warnings(): number {
    return this.runtimeLines;
  }

  async start(): Promise<void> {
    const { root, dataDir, port, embeddedPgPort, poolSize, databaseUrl } = this.options;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(embeddedPgPort),
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: String(poolSize),
      JOBS_ENABLED: 'false',
      ...unlimited(root),
    };
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    else delete env.DATABASE_URL;

    // The node flags `npm start` gives the server, and BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, to profile it under load).
    const nodeArgs = [...startFlags(root), ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)];
    const child = spawn(process.execPath, [...nodeArgs, join(root, 'dist/apps/server/apps/server/src/main.js')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));

    let banner = false;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`server did not start within ${(this.options.startTimeoutMs ?? 180_000) / 1000} s\n${this.output()}`)),
        this.options.startTimeoutMs ?? 180_000,
      );
      const onLine = (line: string) => {
        if (!line.trim()) return;
        this.tail.push(line);
        if (this.tail.length > 200) this.tail.shift();
        if (line.includes('running at')) {
          banner = true;
          clearTimeout(timer);
          resolve();
          return;
        }
        // Start-up notices stay in the tail (shown if the start fails); banner lines (API docs, Health) are plain text.
        if (!banner) {
          this.startupLines++;
          return;
        }
        if (!line.startsWith('{')) return;
        this.runtimeLines++;
        if (this.forwarded < MAX_FORWARDED_LINES) {
          this.forwarded++;
          process.stderr.write(`[server] ${line}\n`);
        } else {
          this.suppressed++;
        }
      };
      splitLines(child.stdout!, onLine);
      splitLines(child.stderr!, onLine);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited during start (code ${code}, signal ${signal})\n${this.output()}`));
      });
    });
  }

  /** The last lines the server printed. */
  output(): string {
    return this.tail.join('\n');
  }

  /** SIGTERM, then wait for the exit (the server stops embedded PostgreSQL itself); SIGKILL as a last resort. */
  async stop(timeoutMs = 60_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timedOut = await Promise.race([
      this.exited!.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), timeoutMs).unref()),
    ]);
    if (timedOut) {
      process.stderr.write(`[bench] server did not exit within ${timeoutMs / 1000} s of SIGTERM; killing it\n`);
      child.kill('SIGKILL');
      await this.exited;
    }
    if (this.suppressed) process.stderr.write(`[bench] ${this.suppressed} further server log lines were not shown\n`);
  }
}

/**
 * The bench measures booking and forms, not the rate limits: every bench
 * client is 127.0.0.1 and books with one e-mail address. Every bucket the
 * build knows is raised out of reach.
 */
function unlimited(root: string): Record<string, string> {
  const settings = require(join(root, 'dist/apps/server/libs/platform/src/rate-limit-settings.js')) as {
    RATE_LIMIT_BUCKETS: readonly string[];
    rateLimitVariable: (bucket: string) => string;
  };
  return {
    ...Object.fromEntries(settings.RATE_LIMIT_BUCKETS.map((bucket) => [settings.rateLimitVariable(bucket), '1000000000/1m per client, 1000000000/1m total'])),
    RATE_LIMIT_BOOKING_CONTACT: '1000000000/1m',
  };
}

/** The node flags of `npm start` (`exec node [flags] …main.js`), so the bench measures the server as it is run. */
function startFlags(root: string): string[] {
  const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start;
  const flags = /\bexec node((?: --[\w-]+(?:=\S+)?)*) \S*main\.js\b/.exec(start);
  if (!flags) throw new Error(`package.json's start script should run \`exec node [flags] …/main.js\`: ${start}`);
  return flags[1].split(' ').filter(Boolean);
}

function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
    }
  });
}

/** CPU seconds used so far, split by who used them. */
export interface CpuSample {
  bench: number;
  server: number;
  postgres: number;
  /** Everything else on the machine (other users' tests, builds…): non-zero means the numbers are disturbed. */
  other: number;
}

const CLOCK_TICKS = 100;

/**
 * CPU time of the bench itself, of the server process and of its PostgreSQL
 * processes (descendants of the server, including exited ones through the
 * parent's children counters). Linux only; zeros elsewhere. With
 * `localPostgres` (an external DATABASE_URL on this machine) every process
 * named postgres counts as PostgreSQL.
 */
export function sampleCpu(serverPid: number | undefined, localPostgres = false): CpuSample {
  const own = process.cpuUsage();
  const sample: CpuSample = { bench: (own.user + own.system) / 1e6, server: 0, postgres: 0, other: 0 };
  let machine = 0;
  try {
    // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
    const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    machine = (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
  } catch {
    return sample;
  }
  if (!serverPid) return sample;
  const processes = new Map<number, { ppid: number; comm: string; ticks: number; childTicks: number }>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return sample;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // fields[0] is state (field 3); utime is field 14, stime 15, cutime 16, cstime 17.
      processes.set(Number(entry), {
        ppid: Number(fields[1]),
        comm,
        ticks: Number(fields[11]) + Number(fields[12]),
        childTicks: Number(fields[13]) + Number(fields[14]),
      });
    } catch {
      // The process ended while we were reading.
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, depth = 0; p > 1 && depth < 10; depth++) {
      if (p === serverPid) return true;
      p = processes.get(p)?.ppid ?? 0;
    }
    return false;
  };
  for (const [pid, info] of processes) {
    if (!inTree(pid)) {
      if (localPostgres && info.comm === 'postgres') sample.postgres += (info.ticks + info.childTicks) / CLOCK_TICKS;
      continue;
    }
    if (pid === serverPid) {
      sample.server += info.ticks / CLOCK_TICKS;
      // Reaped children of the server (e.g. initdb) count as PostgreSQL.
      sample.postgres += info.childTicks / CLOCK_TICKS;
    } else {
      sample.postgres += (info.ticks + info.childTicks) / CLOCK_TICKS;
    }
  }
  sample.other = machine - sample.bench - sample.server - sample.postgres;
  return sample;
}

/** CPU seconds of this process's children that have ended and been waited for (Linux; 0 elsewhere). */
export function endedChildrenCpu(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime is field 16, cstime 17 (fields[13], fields[14] after the state).
    return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

export function cpuDelta(before: CpuSample, after: CpuSample): CpuSample {
  return {
    bench: after.bench - before.bench,
    server: after.server - before.server,
    postgres: after.postgres - before.postgres,
    other: Math.max(0, after.other - before.other),
  };
}
