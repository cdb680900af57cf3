import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { types } from 'pg';
import { migrations } from '@app/migrations';
import type { AppConfig } from './config';
import { EmbeddedPostgres } from './embedded-postgres';

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
  embedded?: EmbeddedPostgres;
}

/**
 * DATABASE_URL when set; otherwise embedded PostgreSQL with its data under
 * DATA_DIR/pg. Call before creating the Nest application, stop after closing it.
 */
export async function resolveDatabase(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<ResolvedDatabase> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL };
  const embedded = new EmbeddedPostgres({
    dataDir: `${env.DATA_DIR || '.data'}/pg`,
    port: Number(env.EMBEDDED_PG_PORT || 54329),
    database: 'perhe',
    log,
  });
  const url = await embedded.start();
  return { url, embedded };
}
