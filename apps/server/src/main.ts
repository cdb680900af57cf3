import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, ConfigurationError, EmbeddedPostgresInUseError, createRootLogger, resolveDatabase, validateEnvironment } from '@app/platform';

// The application's modules take most of the start-up time: they are loaded
// while embedded PostgreSQL boots in its own process (from its first output
// on), rather than before it is started.
let modules: Promise<typeof import('./server')> | undefined;
const loadModules = () => (modules ??= import('./server'));

async function main(): Promise<void> {
  validateEnvironment(process.env);
  const logger = createRootLogger(process.env.LOG_LEVEL || 'info');
  const database = await resolveDatabase(process.env, {
    log: (line) => {
      void loadModules();
      logger.debug({ context: 'postgres' }, line);
    },
    notice: (line) => logger.warn({ context: 'postgres' }, line),
  });
  process.env.DATABASE_URL = database.url;
  if (database.embedded) logger.info(`embedded PostgreSQL running with data in ${process.env.DATA_DIR || '.data'}/pg`);

  // Handlers first, so a signal during the start stops embedded PostgreSQL too.
  // `on`, not `once`: Ctrl-C under npm delivers SIGINT twice (from the terminal and forwarded by npm).
  let app: NestExpressApplication | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received, shutting down`);
    let code = 0;
    await app?.close().catch((error: Error) => {
      logger.error(`closing the application failed: ${error.message}`);
      code = 1;
    });
    await database.embedded?.stop();
    logger.info('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const { DEMO_ACCOUNTS, DEMO_PASSWORD, DemoSeeder, createServerApp } = await loadModules();
  app = await createServerApp(logger);
  if (process.argv.includes('--seed-demo')) {
    const seeded = await app.get(DemoSeeder).seedIfEmpty();
    if (seeded) logger.info(`demo data created; every demo account's password is ${DEMO_PASSWORD}`);
  }
  const config = app.get(AppConfig);
  await app.listen(config.port);
  const url = config.publicUrl;
  console.log(
    [
      '',
      `  Perhe booking is running at ${url}`,
      `  API docs:  ${url}/api/docs`,
      `  Health:    ${url}/health`,
      ...(process.argv.includes('--seed-demo')
        ? [`  Demo logins (password ${DEMO_PASSWORD}):`, ...DEMO_ACCOUNTS.map((a) => `    ${a.email}  ${a.title.en}`)]
        : []),
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError || error instanceof EmbeddedPostgresInUseError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
