import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';

/**
 * What `postmaster.pid` of a data directory says, checked against the
 * processes that actually run. PostgreSQL writes the file when it starts and
 * removes it when it stops cleanly; a process killed with SIGKILL leaves it.
 */
export type ClusterState =
  /** No `postmaster.pid`: nothing runs on this data directory. */
  | { kind: 'stopped' }
  /** The processes cannot be inspected here (no /proc, no ps): PostgreSQL decides by itself. */
  | { kind: 'unknown' }
  /** A `postmaster.pid` whose process is gone, or is no PostgreSQL of this data directory (its pid was reused). */
  | { kind: 'stale'; pid: number; why: string }
  /** This data directory's PostgreSQL runs, but the process that started it is gone (it was killed). */
  | { kind: 'orphaned'; pid: number; port: number }
  /** This data directory's PostgreSQL runs under the live process that started it. */
  | { kind: 'running'; pid: number; port: number; ownerPid: number; ready: boolean };

interface ProcessInfo {
  /** `R`, `S`, … from /proc; `Z` for a zombie (exited, not yet reaped). */
  state: string;
  ppid: number;
  argv: string[];
  cwd?: string;
  exe?: string;
}

const hasProc = existsSync('/proc/self/stat');

/** The process with this pid, if one exists and has not exited. */
function processInfo(pid: number): ProcessInfo | undefined {
  if (hasProc) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' || state === 'X') return undefined;
    const read = <T>(f: () => T): T | undefined => {
      try {
        return f();
      } catch {
        return undefined;
      }
    };
    const argv = (read(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8')) ?? '').split('\0').filter(Boolean);
    return { state, ppid: Number(ppid), argv, cwd: read(() => readlinkSync(`/proc/${pid}/cwd`)), exe: read(() => readlinkSync(`/proc/${pid}/exe`)) };
  }
  // Without /proc (macOS): ps, with the command line split on spaces (enough for the checks below).
  try {
    const line = execFileSync('ps', ['-o', 'stat=,ppid=,command=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const [state, ppid, ...argv] = line.split(/\s+/);
    if (!state || state.startsWith('Z')) return undefined;
    return { state, ppid: Number(ppid), argv };
  } catch (error) {
    // ps exits 1 for a pid that does not exist; without ps at all nothing can be told.
    if ((error as { status?: number }).status === 1) return undefined;
    throw new CannotInspect();
  }
}

class CannotInspect extends Error {}

/** True while a process with this pid runs (a zombie does not). */
export function isRunning(pid: number): boolean {
  try {
    return processInfo(pid) !== undefined;
  } catch {
    return true;
  }
}

function sameDir(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}

/** Is this process the postmaster of `databaseDir`? (Its working directory is the data directory; it was started with `-D` naming it.) */
function isPostmasterOf(info: ProcessInfo, databaseDir: string): boolean {
  const program = basename(info.exe ?? info.argv[0] ?? '');
  if (program !== 'postgres' && program !== 'postmaster') return false;
  if (info.cwd !== undefined && sameDir(info.cwd, databaseDir)) return true;
  const d = info.argv.indexOf('-D');
  return d >= 0 && info.argv[d + 1] !== undefined && sameDir(info.argv[d + 1], databaseDir);
}

/** Is this a Node.js process (the server or the command line that starts embedded PostgreSQL as its child)? */
function isNode(info: ProcessInfo): boolean {
  return /^node/.test(basename(info.exe ?? '')) || /^node/.test(basename(info.argv[0] ?? ''));
}

export function pidFileOf(databaseDir: string): string {
  return resolve(databaseDir, 'postmaster.pid');
}

/**
 * Reads `postmaster.pid` of `databaseDir` and tells whether the cluster is
 * stopped, left behind (stale file or orphaned PostgreSQL) or running under a
 * live owner. Only a process whose working directory or `-D` is this data
 * directory counts as its PostgreSQL: another cluster is never mistaken for it.
 */
export function inspectCluster(databaseDir: string): ClusterState {
  try {
    return inspect(databaseDir);
  } catch (error) {
    if (error instanceof CannotInspect) return { kind: 'unknown' };
    throw error;
  }
}

function inspect(databaseDir: string): ClusterState {
  let lines: string[];
  try {
    lines = readFileSync(pidFileOf(databaseDir), 'utf8').split('\n');
  } catch {
    return { kind: 'stopped' };
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return { kind: 'stale', pid: 0, why: 'it names no process' };
  const info = processInfo(pid);
  if (!info) return { kind: 'stale', pid, why: `process ${pid} no longer runs` };
  if (!isPostmasterOf(info, databaseDir)) return { kind: 'stale', pid, why: `process ${pid} is not this data directory's PostgreSQL` };
  const owner = info.ppid > 1 ? processInfo(info.ppid) : undefined;
  if (!owner || !isNode(owner)) return { kind: 'orphaned', pid, port };
  // The 8th line is the postmaster's status: `starting`, `ready`, `stopping`.
  return { kind: 'running', pid, port, ownerPid: info.ppid, ready: lines[7]?.trim() === 'ready' };
}

/**
 * Stops an orphaned postmaster: a fast shutdown (SIGINT: sessions are ended,
 * transactions rolled back, a clean checkpoint written), then an immediate
 * one (SIGQUIT: crash recovery at the next start) if it takes too long.
 */
export async function stopOrphan(pid: number, databaseDir: string, fastTimeoutMs = 30_000): Promise<void> {
  const gone = () => !isRunning(pid) || !existsSync(pidFileOf(databaseDir));
  const wait = async (ms: number) => {
    const until = Date.now() + ms;
    while (!gone() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    return gone();
  };
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // it has exited in the meantime
    }
  };
  signal('SIGINT');
  if (await wait(fastTimeoutMs)) return waitForExit(pid);
  signal('SIGQUIT');
  if (await wait(10_000)) return waitForExit(pid);
  throw new Error(`PostgreSQL (pid ${pid}) of ${databaseDir} did not stop; stop it by hand`);
}

/** PostgreSQL removes its pid file just before it exits: wait for the process itself too. */
async function waitForExit(pid: number): Promise<void> {
  const until = Date.now() + 10_000;
  while (isRunning(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}
