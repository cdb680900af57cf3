import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The project root, where `dist/` is. */
export const ROOT = resolve(__dirname, '..', '..');
export const SERVER_MAIN = join(ROOT, 'dist/apps/server/apps/server/src/main.js');
export const CLI_MAIN = join(ROOT, 'dist/apps/cli/apps/cli/src/main.js');

/** A minimal environment for a child process: nothing from the test run (no DATABASE_URL) leaks in. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SystemRoot']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  return { ...env, ...extra };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A compiled entry point run with `node`, its output collected. */
export class Spawned {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  /** After the exit, once its output is fully read. */
  readonly closed: Promise<void>;
  stdout = '';
  stderr = '';
  private exit?: Exit;
  private readonly listeners = new Set<() => void>();

  constructor(script: string, args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.notify();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    this.closed = new Promise((resolveClose) => this.child.once('close', () => resolveClose()));
    this.exited = new Promise((resolveExit) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolveExit(this.exit);
      });
    });
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Resolves when stdout contains the text; rejects if the process exits first or the time runs out. */
  waitForStdout(text: string, timeoutMs: number): Promise<void> {
    return new Promise((resolveWait, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error) reject(error);
        else resolveWait();
      };
      const check = () => {
        if (this.stdout.includes(text)) done();
        else if (this.exit) done(new Error(`exited (${JSON.stringify(this.exit)}) before printing "${text}"\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
      };
      const timer = setTimeout(() => done(new Error(`no "${text}" within ${timeoutMs} ms\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`)), timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Waits for the exit, or rejects after the timeout (the process is left to the caller). */
  async waitForExit(timeoutMs: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Cleanup after a failure: SIGTERM, then SIGKILL if it does not stop in
   * time; and the embedded PostgreSQL it started (from its postmaster.pid),
   * if that survived.
   */
  async stop(pgDataDir?: string): Promise<void> {
    if (this.running) {
      this.child.kill('SIGTERM');
      await this.waitForExit(15_000).catch(() => {
        this.child.kill('SIGKILL');
        return this.exited;
      });
    }
    const pidFile = pgDataDir && join(pgDataDir, 'postmaster.pid');
    if (pidFile && existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (Number.isInteger(pid) && pid > 0) {
        try {
          process.kill(pid, 'SIGINT'); // PostgreSQL's "fast shutdown"
        } catch {
          // already gone
        }
      }
    }
  }
}

/** Runs a command to its end. */
export async function runToEnd(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<Exit & { stdout: string; stderr: string }> {
  const run = new Spawned(script, args, env);
  try {
    const exit = await run.waitForExit(timeoutMs);
    await run.closed;
    return { ...exit, stdout: run.stdout, stderr: run.stderr };
  } finally {
    if (run.running) run.child.kill('SIGKILL');
  }
}
