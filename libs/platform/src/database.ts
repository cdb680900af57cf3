import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { types } from 'pg';
import { migrations } from '@app/migrations';
import type { AppConfig } from './config';
import { EmbeddedPostgres, embeddedUrl } from './embedded-postgres';
import { inspectCluster } from './postmaster';

// A calendar date is a date, not local midnight: keep PostgreSQL `date` as 'YYYY-MM-DD'.
types.setTypeParser(types.builtins.DATE, (value: string) => value);
// bigint counts fit in a JS number for this product's sizes.
types.setTypeParser(types.builtins.INT8, (value: string) => Number(value));

export function typeOrmOptions(config: AppConfig): TypeOrmModuleOptions {
  if (!config.databaseUrl) throw new Error('DATABASE_URL must be resolved before the application starts');
  return {
    type: 'postgres',
    url: config.databaseUrl,
    autoLoadEntities: true,
    synchronize: false,
    migrations,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    // TypeORM's query logs carry parameters, i.e. personal data: keep them off.
    logging: false,
    extra: { max: config.dbPoolSize, application_name: 'perhe-booking' },
  };
}

export interface ResolvedDatabase {
  url: string;
  /** The embedded cluster this process started and must stop. */
  embedded?: EmbeddedPostgres;
  /** The running embedded cluster of DATA_DIR another process owns: used, never stopped. */
  shared?: { pid: number; port: number; ownerPid: number };
}

export interface ResolveOptions {
  /** PostgreSQL's own output. */
  log?: (line: string) => void;
  /** One line when a cluster left behind by a killed process was cleared. */
  notice?: (line: string) => void;
  /**
   * Use DATA_DIR's embedded cluster when another live process (the server)
   * already runs it, instead of refusing; for short commands run beside it.
   */
  shareRunning?: boolean;
}

/**
 * DATABASE_URL when set; otherwise embedded PostgreSQL with its data under
 * DATA_DIR/pg. Call before creating the Nest application, stop after closing it.
 */
export async function resolveDatabase(env: NodeJS.ProcessEnv, options: ResolveOptions = {}): Promise<ResolvedDatabase> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL };
  const database = 'perhe';
  const embedded = new EmbeddedPostgres({
    dataDir: `${env.DATA_DIR || '.data'}/pg`,
    port: Number(env.EMBEDDED_PG_PORT || 54329),
    database,
    log: options.log,
    notice: options.notice,
  });
  if (options.shareRunning) {
    const running = await runningCluster(embedded.databaseDir);
    if (running) return { url: embeddedUrl(running.port, database), shared: running };
  }
  const url = await embedded.start();
  return { url, embedded };
}

/** DATA_DIR's cluster when a live process runs it, once it accepts connections (it may be starting). */
async function runningCluster(databaseDir: string): Promise<{ pid: number; port: number; ownerPid: number } | undefined> {
  const until = Date.now() + 30_000;
  for (;;) {
    const state = inspectCluster(databaseDir);
    if (state.kind !== 'running') return undefined;
    if (state.ready || Date.now() > until) return { pid: state.pid, port: state.port, ownerPid: state.ownerPid };
    await new Promise((r) => setTimeout(r, 200));
  }
}
