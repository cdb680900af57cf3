import { NestFactory } from '@nestjs/core';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import {
  AppConfig, DomainError, EmbeddedPostgresInUseError, JsonLogger, type Lang, catalogue, createRootLogger, interpolate, resolveDatabase, validateEnvironment,
} from '@app/platform';
import { type Role, StaffService, UnitsService } from '@app/identity';
import { DemoSeeder, SlotPublisher } from '@app/booking';
import { FormDefinitionsService, formatIssues } from '@app/forms';
import { OutboxDispatcher } from '@app/notifications';
import { CliModule } from './cli.module';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                      run pending database migrations
  seed                         create the demo data (idempotent)
  publish-slots                publish every calendar's slots for its horizon
  forms:lint [path]            lint form definitions (a file or a folder; default form-definitions)
  outbox:drain                 send every due e-mail now (e.g. after an SMTP outage), then exit
  staff:create --email E --name N --password P [--role admin|staff]... [--unit CODE]... [--handler-unit CODE]... [--language fi|sv|en]...
                               create a staff account: --unit keeps a calendar in the unit,
                               --handler-unit handles the unit's inbox (a unit may be given to both)`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return;
  }
  validateEnvironment(process.env);
  const logger = createRootLogger(process.env.LOG_LEVEL || 'warn');
  // Beside a running server on the same DATA_DIR, use its embedded PostgreSQL (and leave it running).
  const database = await resolveDatabase(process.env, {
    log: (line) => logger.debug({ context: 'postgres' }, line),
    notice: (line) => logger.warn({ context: 'postgres' }, line),
    shareRunning: true,
  });
  if (database.shared) {
    logger.info({ context: 'postgres' }, `using the embedded PostgreSQL on port ${database.shared.port} that process ${database.shared.ownerPid} runs; it is left running`);
  }
  if (database.embedded) {
    // Stop the cluster this command started on Ctrl-C or SIGTERM as well.
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      process.on(signal, () => void database.embedded!.stop().finally(() => process.exit(code)));
    }
  }
  process.env.DATABASE_URL = database.url;
  process.env.JOBS_ENABLED = 'false';
  const app = await NestFactory.createApplicationContext(CliModule, { logger: new JsonLogger(logger), abortOnError: false });
  try {
    switch (command) {
      case 'migrate': {
        const applied = await app.get(DataSource).query(`SELECT name FROM migrations ORDER BY id`);
        console.log(`database is at the latest migration (${applied.length} applied)`);
        break;
      }
      case 'seed':
        await app.get(DemoSeeder).seed();
        console.log('demo data is in place');
        break;
      case 'forms:lint': {
        const issues = await app.get(FormDefinitionsService).lintPath(rest[0] ?? app.get(AppConfig).formsDir);
        if (issues.length) console.log(formatIssues(issues));
        const errors = issues.filter((i) => i.severity === 'error').length;
        console.log(errors ? `${errors} error(s)` : 'form definitions are valid');
        if (errors) process.exitCode = 1;
        break;
      }
      case 'outbox:drain': {
        const started = performance.now();
        const result = await app.get(OutboxDispatcher).drain();
        const seconds = (performance.now() - started) / 1000;
        console.log(`sent ${result.sent}, skipped ${result.skipped}, retrying ${result.retrying}, failed ${result.failed} in ${seconds.toFixed(2)} s`);
        break;
      }
      case 'publish-slots':
        console.log(`published ${await app.get(SlotPublisher).publishAll()} calendars`);
        break;
      case 'staff:create': {
        const { values } = parseArgs({
          args: rest,
          options: {
            email: { type: 'string' },
            name: { type: 'string' },
            password: { type: 'string' },
            role: { type: 'string', multiple: true },
            unit: { type: 'string', multiple: true },
            'handler-unit': { type: 'string', multiple: true },
            language: { type: 'string', multiple: true },
          },
        });
        if (!values.email || !values.name || !values.password) throw new Error('staff:create needs --email, --name and --password');
        const units = app.get(UnitsService);
        const idsOf = async (codes: string[] = []) => {
          const ids: string[] = [];
          for (const code of codes) {
            const unit = await units.findByCode(code);
            if (!unit) throw new Error(`unknown unit code: ${code}`);
            ids.push(unit.id);
          }
          return ids;
        };
        const unitIds = await idsOf(values.unit);
        const handlerUnitIds = await idsOf(values['handler-unit']);
        const staff = await app.get(StaffService).create({
          email: values.email,
          name: values.name,
          password: values.password,
          roles: (values.role ?? ['staff']) as Role[],
          languages: (values.language ?? ['fi']) as ('fi' | 'sv' | 'en')[],
          unitIds,
          handlerUnitIds,
        });
        const memberships = staff.units.map((u) => `${u.code}:${u.roles.join('+')}`).join(',');
        console.log(`created staff ${staff.id} <${staff.email}> roles=${staff.roles.join(',')}${memberships ? ` units=${memberships}` : ''}`);
        break;
      }
      default:
        console.error(`unknown command: ${command}\n\n${USAGE}`);
        process.exitCode = 2;
    }
  } finally {
    await app.close();
    await database.embedded?.stop();
  }
}

/** The language of messages: Finnish or Swedish when the locale (LC_ALL, LC_MESSAGES, LANG) says so, else English. */
function cliLanguage(env: NodeJS.ProcessEnv): Lang {
  const locale = (env.LC_ALL || env.LC_MESSAGES || env.LANG || '').toLowerCase();
  return locale.startsWith('fi') ? 'fi' : locale.startsWith('sv') ? 'sv' : 'en';
}

/** A refusal as the API words it: the message, then each field with its own message. */
function describe(error: DomainError, lang: Lang): string {
  const texts = catalogue(lang);
  const fields = error.fields.map((f) => {
    const rule = f.rule as keyof typeof texts.validation;
    return `  ${f.field}: ${interpolate(texts.validation[rule] ?? texts.validation.invalid, f.params)}`;
  });
  return [interpolate(texts.errors[error.code], error.params), ...fields].join('\n');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof EmbeddedPostgresInUseError) {
    console.error(error.message);
  } else if (error instanceof DomainError) {
    console.error(describe(error, cliLanguage(process.env)));
  } else if (error instanceof Error) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
