import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { LSI_PROFESSIONAL } from '../support/forms-examples';
import type { Attempt } from './booking';
import type { HttpClient } from './http-client';
import { percentile } from './stats';

const FORM = 'lastensuojeluilmoitus';
/** The newest shipped version, which submissions without a version are filled in. */
const VERSION = 2;
const BODY = { language: 'fi', answers: LSI_PROFESSIONAL };
const UNIT_EMAIL = 'lastensuojelu@bench.example.fi';

/**
 * The unit the notification is routed to (a submission to a unit that does not exist is refused), with an inbox
 * address, so that every submission plans its content-free arrival notice as in production. Returns its id.
 */
export async function ensureReceivingUnit(pool: Pool): Promise<string> {
  await pool.query(
    `INSERT INTO unit (code, name, email) VALUES ('lastensuojelu-ilmoitukset', '{"fi":"Lastensuojeluilmoitukset","sv":"Barnskyddsanmälningar","en":"Child welfare notifications"}', $1)
     ON CONFLICT (code) DO UPDATE SET email = $1`,
    [UNIT_EMAIL],
  );
  return (await pool.query(`SELECT id FROM unit WHERE code = 'lastensuojelu-ilmoitukset'`)).rows[0].id;
}

/** One child-welfare notification over HTTP: pruned, validated, routed, sealed, referenced, stored. */
export function httpSubmission(client: HttpClient): () => Promise<Attempt> {
  return async () => {
    const res = await client.post(`/api/v1/forms/${FORM}/submissions`, BODY);
    return res.status === 201 ? { ok: true, ms: res.ms } : { ok: false, why: `HTTP ${res.status} ${res.body.slice(0, 80)}`, ms: res.ms };
  };
}

/**
 * The raw baseline: what the service stores, on `pg`, with the service's own
 * statements and reference generator from the build, in one transaction: the
 * submission (a random reference, retried on a collision; a sealed payload of
 * the same size; the notification's deadlines) and its urgent arrival notice to
 * the unit's address in the outbox; without validation, routing or encryption.
 */
export function rawSubmission(pool: Pool, root: string, unitId: string): () => Promise<Attempt> {
  const built = require(join(root, 'dist/apps/server/libs/forms/src/submissions.service.js')) as {
    INSERT_SUBMISSION: string;
    newReference: (prefix: string, year: number) => string;
  };
  const { INSERT_JOBS } = require(join(root, 'dist/apps/server/libs/notifications/src/outbox.service.js')) as { INSERT_JOBS: string };
  const notice = (submissionId: string) => JSON.stringify([{
    id: randomUUID(), message_id: `<${randomUUID()}@bench.example.fi>`, kind: 'inbox-notice', appointment_id: null, dedupe_key: null, urgent: true, secrets: null,
    facts: { submissionId, unitId, priority: 'urgent', event: 'arrival', to: 'unit' },
  }]);
  // The notification's two clocks (urgency assessment, decision), as the service stores them.
  const deadlines = (now: Date) => JSON.stringify([
    { kind: 'assessment', due_at: new Date(now.getTime() + 86_400_000).toISOString(), due_date: null, warn_at: null },
    { kind: 'decision', due_at: new Date(now.getTime() + 9 * 86_400_000).toISOString(), due_date: new Date(now.getTime() + 8 * 86_400_000).toISOString().slice(0, 10),
      warn_at: new Date(now.getTime() + 7 * 86_400_000).toISOString() },
  ]);
  const payloadLength = Math.ceil((JSON.stringify(BODY.answers).length + 16) / 3) * 4;
  return async () => {
    const started = performance.now();
    try {
      const now = new Date();
      const rest = [
        FORM, VERSION, 'child-welfare-notification', 'fi', now, true, 'lastensuojelu-ilmoitukset', 'urgent',
        null, randomBytes(32).toString('hex'), 'local', randomBytes(60).toString('base64'), randomBytes(payloadLength).toString('base64').slice(0, payloadLength),
        new Date(now.getTime() + 9125 * 86_400_000), unitId, null, deadlines(now),
      ];
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        let id: string | undefined;
        for (let attempt = 0; !id; attempt++) {
          if (attempt === 5) throw new Error('no free reference');
          id = (await client.query(built.INSERT_SUBMISSION, [built.newReference('LSI', now.getFullYear()), ...rest])).rows[0]?.id;
        }
        await client.query(INSERT_JOBS, [now, notice(id)]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      return { ok: true, ms: performance.now() - started };
    } catch (error) {
      return { ok: false, why: `raw: ${(error as Error).message}`, ms: performance.now() - started };
    }
  };
}

interface CompiledFormLike {
  validate(answers: unknown): { errors: unknown[] };
}

function compiledForm(root: string): CompiledFormLike & { definition: unknown } {
  const { FormCache } = require(join(root, 'dist/apps/server/libs/forms/src/form-runtime.js'));
  const definition = require(join(root, 'form-definitions', FORM, `${VERSION}.json`));
  return new FormCache().get(definition);
}

/** Prune → validate of one complete notification, in process, per second. */
export function validationsPerSecond(root: string, seconds = 2): number {
  const form = compiledForm(root);
  if (form.validate(BODY.answers).errors.length) throw new Error('the bench notification does not validate');
  let count = 0;
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i++) form.validate(BODY.answers);
    count += 100;
  }
  return count / seconds;
}

/** Median milliseconds to render the PDF of a three-page notification (a long answer). */
export async function pdfMedianMs(root: string, renders = 40): Promise<{ median: number; bytes: number }> {
  const { SubmissionPdf } = require(join(root, 'dist/apps/server/libs/forms/src/submission-pdf.js'));
  const form = compiledForm(root);
  const long = Array.from({ length: 600 }, (_, i) => `sana${i} äidin`).join(' ').slice(0, 3990);
  const submission = {
    reference: 'LSI-2026-7KQ4M9XZ', submittedAt: new Date(), language: 'fi', answers: { ...BODY.answers, concernDescription: long }, form,
  };
  const pdf = new SubmissionPdf();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < renders; i++) {
    const started = performance.now();
    bytes = ((await pdf.render(submission)) as Buffer).length;
    if (i >= 5) times.push(performance.now() - started);
  }
  return { median: percentile(times, 50), bytes };
}
