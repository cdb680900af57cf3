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
import { KeyRotation, RetentionService, type RotationReport, describePurge } from '@app/delivery';
import { CliModule } from './cli.module';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                      run pending database migrations
  seed                         create the demo data (idempotent)
  publish-slots                publish every calendar's slots for its horizon
  forms:lint [path]            lint form definitions (a file or a folder; default form-definitions)
  outbox:drain                 send every due e-mail now (e.g. after an SMTP outage), then exit
  keys:rotate [--dry-run] [--batch-size N]
                               rewrap every data key under the first key of MASTER_KEYS, in small
                               batches while the service runs; rerun to continue. Exit 0: everything is
                               under the first key; 1: some records cannot be opened (listed);
                               75: some rows were in use, run it again. --dry-run changes nothing
  retention:purge              purge the content of closed submissions past their retention period now
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
      case 'keys:rotate': {
        const { values } = parseArgs({ args: rest, options: { 'dry-run': { type: 'boolean' }, 'batch-size': { type: 'string' } } });
        const batchSize = values['batch-size'] === undefined ? undefined : Number(values['batch-size']);
        if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 10_000)) throw new Error('--batch-size must be a whole number from 1 to 10000');
        process.exitCode = await rotateKeys(app.get(KeyRotation), { dryRun: values['dry-run'] ?? false, batchSize });
        break;
      }
      case 'retention:purge':
        console.log(describePurge(await app.get(RetentionService).purge()));
        break;
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

/** Exit status of keys:rotate when rows in use were left for the next run (EX_TEMPFAIL). */
const EXIT_RUN_AGAIN = 75;

/** Runs the rotation, printing progress and a report; returns the exit status. */
async function rotateKeys(rotation: KeyRotation, options: { dryRun: boolean; batchSize?: number }): Promise<number> {
  const started = performance.now();
  let printed = started;
  const before = (b: Record<string, number>) => Object.entries(b).map(([key, n]) => `${n} under "${key}"`).join(', ') || 'none';
  console.log(`${options.dryRun ? 'dry run: nothing is changed; ' : ''}rewrapping every data key under master key "${rotation.currentKeyId}"`);
  const report: RotationReport = await rotation.rotate({
    ...options,
    onProgress: (count) => {
      if (performance.now() - printed < 2000) return;
      printed = performance.now();
      console.log(`${count.label}: ${count.rewrapped} ${options.dryRun ? 'to rewrap' : 'rewrapped'} so far`);
    },
  });
  for (const c of report.counts) {
    const done = options.dryRun ? `would rewrap ${c.rewrapped}` : `rewrapped ${c.rewrapped}`;
    console.log(`${c.label}: ${done}, unreadable ${c.unreadable}, in use ${c.busy} (before: ${before(c.before)})`);
  }
  for (const u of report.unreadable) console.log(`unreadable: ${u.table} ${u.id}: ${u.reason}`);
  const busy = report.counts.reduce((n, c) => n + c.busy, 0);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (options.dryRun) {
    console.log(`dry run done in ${seconds} s: nothing was changed`);
  } else if (report.unreadable.length) {
    console.log(`${report.unreadable.length} record(s) cannot be opened and keep their old key; see the list above (${seconds} s)`);
  } else if (busy) {
    console.log(`${busy} row(s) were in use and keep their old key: run keys:rotate again (${seconds} s)`);
  } else {
    console.log(`every data key is under master key "${report.keyId}": the other keys may be removed from MASTER_KEYS (${seconds} s)`);
  }
  return options.dryRun ? (report.unreadable.length ? 1 : 0) : report.unreadable.length ? 1 : busy ? EXIT_RUN_AGAIN : 0;
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
