import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc, { type Arbitrary } from 'fast-check';
import { Client } from 'pg';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '@app/booking';
import { freePort } from './support/free-port';
import { SERVER_MAIN, Spawned, cleanEnv } from './support/spawned';
import { tableChecksums } from './support/table-checksums';
import { GENEROUS_RATE_LIMITS, createTestDatabase } from './support/test-app';

/**
 * Property-based fuzzing of every route, driven by the server's own OpenAPI
 * document (GET /api/docs-json): malformed bodies, query values, path ids and
 * headers, anonymously and with staff and admin sessions. No response may be
 * a 5xx, and every table (but session and throttling bookkeeping) must be
 * exactly as it was.
 *
 * Every generated request is CERTAINLY INVALID, so nothing may legitimately
 * be stored: each carries at least one of
 * - a path id that names nothing (NUL, `..`, far too long, out-of-range
 *   numbers, bad percent-encoding…);
 * - a body that is not an object, nests deeper than the limit, has a field the
 *   schema does not declare, or has one declared field with a value the
 *   schema rules out (wrong JSON type, an array for an object, longer than
 *   maxLength, outside minimum/maximum, not in the enum, a NUL where the
 *   format or pattern cannot hold one, too many items);
 * - or it is a read (GET), which stores nothing; reads get malformed query
 *   values and may name real objects.
 * The rest of a body is plausible, so that requests get past the first checks.
 *
 * Time-boxed (FUZZ_SECONDS, 25 s by default) with a fixed seed (FUZZ_SEED);
 * a failure prints the seed, the request and the server's log. It runs the
 * built server (`npm test` builds first; alone: `npm run build`).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 25);
/** Runs every route gets before the time box applies. */
const MIN_RUNS = 12;

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
};
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
}
interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** A JSON fragment written as it is: deep nesting, numbers JSON.stringify cannot produce. */
class Raw {
  constructor(readonly text: string) {}
}

function toJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Percent-encodes UTF-8 (lone surrogates become U+FFFD), for paths and queries sent as they are. */
function encode(text: string): string {
  return [...new TextEncoder().encode(text)]
    .map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

// ---- building blocks ------------------------------------------------------

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
/** Strings no text rule lets through: NUL, lone surrogates, controls and bidirectional overrides, mixed with anything. */
const poisoned = fc
  .tuple(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.constantFrom('\u0000', '\u0000\u0000', '\u0001', '\u001b[2J', '\u202e', '\u2066', '\u0085'),
    fc.oneof(loneSurrogate, fc.constant('')),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
  )
  .map(([a, bad, surrogate, b]) => `${a}${bad}${surrogate}${b}`);
const nastyString = fc.oneof(
  poisoned,
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }),
  fc.constantFrom('', ' ', '..', '../../etc/passwd', '%00', 'null', 'undefined', 'NaN', '-1', '0', '1e20', '99999999999', '3e9', '💥'.repeat(50), 'a'.repeat(5000), '{"$ne":null}', "' OR 1=1 --", '<script>alert(1)</script>', 'http://example.com/\r\nBcc: x@example.fi'),
);
const rawNumber = fc.constantFrom('1e400', '-1e400', '1e20', '-1e20', '3e9', '99999999999', '2147483648', '-2147483649', '1.5', '-0', '0.0000001', '9007199254740993');
const junkLeaf: Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double({ noNaN: true }),
  rawNumber.map((n) => new Raw(n)),
  fc.boolean(),
  fc.constant(null),
);
const junk: Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: junkLeaf },
  { weight: 1, arbitrary: fc.array(junkLeaf, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(nastyString, junkLeaf, { maxKeys: 5 }) },
  { weight: 1, arbitrary: fc.array(fc.dictionary(fc.string({ maxLength: 10 }), junkLeaf, { maxKeys: 3 }), { maxLength: 3 }) },
);
/** Nested deeper than the server's limit of 32. */
function deep(depth: number, array: boolean): Raw {
  return new Raw(array ? '['.repeat(depth) + '1' + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
}
/** Not a property name any request schema declares (and not an answer id: those start with a letter). */
const unknownKey = fc.oneof(fc.constant('__fuzz'), nastyString.map((k) => `__fuzz${k}`));

/** Path segments that name nothing, whatever the route. */
const MALFORMED_IDS = [
  '%00', 'a%00b', '..', '%2e%2e', '.', '%2F', '%2F..%2F..', 'x'.repeat(3000), '99999999999', '3e9', '1e20', '-1', '0', 'NaN', '%C3%A4%C3%B6',
  '%F0%9F%92%A5', '%FF', '%E0%A4%A', '%', 'undefined', 'null', '%20', '00000000-0000-0000-0000-00000000000g', '{id}', '%7B%7D', "'%3B--",
];
const malformedId = fc.constantFrom(...MALFORMED_IDS);

// ---- from the OpenAPI document ---------------------------------------------

interface Context {
  schemas: Record<string, Schema>;
  /** Real ids by kind, so that some requests name existing objects (with an invalid body). */
  ids: Record<string, string[]>;
  /** Answer ids of the published forms, for plausible answers. */
  answerIds: string[];
}

function resolve(ctx: Context, schema: Schema): Schema {
  return schema.$ref ? ctx.schemas[schema.$ref.split('/').pop()!] : schema;
}

const PLAUSIBLE_STRINGS: Record<string, string> = {
  email: 'fuzz@example.fi',
  'person-name': 'Maija Meikäläinen',
  text: 'Teksti',
  'multiline-text': 'Rivi\nToinen rivi',
  date: '2026-03-02',
  time: '08:00',
  'date-time': '2026-03-02T08:00:00+02:00',
  phone: '040 123 4567',
};

/** A value the schema allows (or might): enough to get past the first checks. */
function plausible(ctx: Context, input: Schema, depth = 0): Arbitrary<unknown> {
  const schema = resolve(ctx, input);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string': {
      if (schema.format === 'uuid') return fc.oneof(fc.constantFrom(...Object.values(ctx.ids).flat()), fc.uuid());
      if (schema.format && PLAUSIBLE_STRINGS[schema.format]) return fc.constant(PLAUSIBLE_STRINGS[schema.format]);
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({ unit: 'grapheme', minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 20, 20) });
    }
    case 'number':
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(schema.items ? plausible(ctx, schema.items, depth + 1) : junkLeaf, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'object':
    default: {
      if (schema.additionalProperties && !schema.properties) return fc.dictionary(fc.constantFrom(...ctx.answerIds), junk, { maxKeys: 6 });
      return plausibleObject(ctx, schema, depth);
    }
  }
}

function plausibleObject(ctx: Context, schema: Schema, depth = 0): Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  if (depth > 4 || !properties.length) return fc.constant({});
  const model = Object.fromEntries(properties.map(([name, s]) => [name, fc.oneof({ weight: 5, arbitrary: plausible(ctx, s, depth + 1) }, { weight: 1, arbitrary: junk })]));
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in model) }) as Arbitrary<Record<string, unknown>>;
}

/** Formats and patterns that never hold a NUL character. */
const NO_NUL_FORMATS = new Set(['uuid', 'email', 'person-name', 'text', 'multiline-text', 'date', 'time', 'date-time', 'phone']);

function wrongTypeFor(ctx: Context, schema: Schema): Arbitrary<unknown> {
  const strings = nastyString;
  const numbers = fc.oneof(fc.integer(), fc.double({ noNaN: true }));
  const objects = fc.dictionary(nastyString, junkLeaf, { maxKeys: 3 });
  switch (schema.type) {
    case 'string':
      return fc.oneof(numbers, fc.boolean(), fc.array(strings, { maxLength: 3 }), objects);
    case 'number':
    case 'integer':
      return fc.oneof(numbers.map(String), fc.boolean(), fc.array(numbers, { maxLength: 3 }), objects);
    case 'boolean':
      return fc.oneof(fc.constantFrom('true', 'false', 1, 0), objects, fc.array(fc.boolean(), { maxLength: 2 }));
    case 'array':
      return fc.oneof(strings, numbers, objects);
    default:
      // An array where an object belongs, even an array of a plausible one.
      return fc.oneof(strings, numbers, fc.boolean(), fc.array(plausibleObject(ctx, schema), { minLength: 1, maxLength: 2 }));
  }
}

/** Values the schema certainly rules out, or undefined when no such value is known. */
function invalidValue(ctx: Context, input: Schema, depth: number): Arbitrary<unknown> | undefined {
  const schema = resolve(ctx, input);
  const options: Arbitrary<unknown>[] = [];
  if (schema.type || schema.$ref || schema.properties) options.push(wrongTypeFor(ctx, schema));
  if (schema.enum) options.push(nastyString.filter((s) => !schema.enum!.includes(s)));
  if (schema.type === 'string') {
    if (schema.maxLength !== undefined) {
      const max = schema.maxLength;
      // Longer than maxLength even once trimmed: text is trimmed before its length is checked.
      options.push(fc.tuple(fc.integer({ min: 1, max: 300 }), fc.constantFrom('x', 'ä', '💥', ' ', '\n')).map(([extra, c]) => `a${c.repeat(max + extra)}a`));
    }
    if ((schema.format && NO_NUL_FORMATS.has(schema.format)) || schema.pattern) options.push(poisoned);
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    if (schema.maximum !== undefined) options.push(fc.oneof(fc.integer({ min: schema.maximum + 1 }), rawNumber.filter((n) => Number(n) > schema.maximum!).map((n) => new Raw(n))));
    if (schema.minimum !== undefined) options.push(fc.oneof(fc.integer({ max: schema.minimum - 1 }), rawNumber.filter((n) => Number(n) < schema.minimum!).map((n) => new Raw(n))));
  }
  if (schema.type === 'array') {
    if (schema.maxItems !== undefined) options.push(fc.array(schema.items ? plausible(ctx, schema.items) : junkLeaf, { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 3 }));
    const item = schema.items && invalidValue(ctx, schema.items, depth + 1);
    if (item) options.push(fc.tuple(fc.array(plausible(ctx, schema.items!), { maxLength: 2 }), item).map(([items, bad]) => [...items, bad]));
  }
  if (schema.additionalProperties && !schema.properties) {
    // Free-form objects (form answers): an answer id no form has.
    options.push(fc.tuple(plausible(ctx, schema), unknownKey, junk).map(([o, k, v]) => ({ ...(o as object), [k]: v })));
  }
  if (schema.properties && depth < 3) options.push(invalidObject(ctx, schema, depth + 1));
  return options.length ? fc.oneof(...options) : undefined;
}

/** A plausible object with exactly one certainly invalid part. */
function invalidObject(ctx: Context, schema: Schema, depth = 0): Arbitrary<Record<string, unknown>> {
  const base = plausibleObject(ctx, schema, depth);
  const choices: Arbitrary<Record<string, unknown>>[] = [fc.tuple(base, unknownKey, junk).map(([o, k, v]) => ({ ...o, [k]: v }))];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const bad = invalidValue(ctx, property, depth);
    if (bad) choices.push(fc.tuple(base, bad).map(([o, v]) => ({ ...o, [name]: v })));
  }
  return fc.oneof(...choices);
}

function invalidBody(ctx: Context, schema: Schema): Arbitrary<string> {
  const resolved = resolve(ctx, schema);
  return fc.oneof(
    { weight: 8, arbitrary: invalidObject(ctx, resolved).map(toJson) },
    { weight: 1, arbitrary: fc.oneof(nastyString, fc.integer(), fc.boolean(), fc.constant(null), fc.array(junk, { maxLength: 3 })).map(toJson) },
    { weight: 1, arbitrary: fc.integer({ min: 33, max: 6000 }).chain((d) => fc.boolean().map((array) => deep(d, array).text)) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[1,]', '{"a":1}}', '\u0000', 'null', '{"__proto__":{"admin":true},"__fuzz":1}', `{"x":"${'y'.repeat(70_000)}"}`) },
  );
}

/** Which real ids a path parameter may take, from the path segment before it. */
function idsFor(ctx: Context, path: string, name: string): string[] {
  if (name === 'staffId') return [...ctx.ids.staff, 'me'];
  if (name === 'submissionId') return ctx.ids.submission;
  if (name === 'version') return ['1'];
  const before = path.split('/').slice(0, path.split('/').indexOf(`{${name}}`)).pop() ?? '';
  const kind: Record<string, string> = {
    services: 'service', appointments: 'appointment', units: 'unit', staff: 'staff', slots: 'slot', 'working-hours': 'working_hours',
    'extra-hours': 'extra_hours', absences: 'absence', outbox: 'outbox', forms: 'form', submissions: 'submission',
  };
  return ctx.ids[kind[before]] ?? [];
}

const headerJunk = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 40 }),
  fc.constantFrom('x'.repeat(4000), '', ' ', '..', 'Bearer x'),
);

/** Only certainly invalid requests for one operation (see the comment at the top). */
function requests(ctx: Context, op: Operation): Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header' && p.name.toLowerCase() !== 'accept-language');
  const isRead = op.method === 'GET';
  const invalidBodyArb = op.body ? invalidBody(ctx, op.body) : undefined;

  // Without a body that is certainly invalid, every path id must name nothing.
  const anyId = (p: Parameter) =>
    fc.oneof({ weight: 1, arbitrary: malformedId }, { weight: 3, arbitrary: fc.constantFrom(...idsFor(ctx, op.path, p.name), 'x') }, { weight: 1, arbitrary: nastyString.map(encode) });
  const pathArb = fc.tuple(...pathParams.map((p) => (invalidBodyArb || isRead ? anyId(p) : malformedId)));
  const queryValue = (p: Parameter) => {
    const bad = p.schema ? invalidValue(ctx, p.schema, 0) : undefined;
    // At most 2,000 characters a value: a request line and headers over Node's 16 KiB are refused by its HTTP parser (431) before the application sees them.
    const tooDeep = fc.integer({ min: 33, max: 300 }).map((d) => deep(d, false).text);
    return fc.oneof(nastyString, tooDeep, ...(bad ? [bad.map((v) => (typeof v === 'string' ? v : toJson(v)))] : [])).map((v) => v.slice(0, 2000));
  };
  const queryArb = fc.array(
    fc.oneof(
      ...queryParams.map((p) => queryValue(p).map((v) => `${p.name}=${encode(v).slice(0, 2000)}`)),
      ...queryParams.map((p) => fc.constant(`${p.name}[]=1&${p.name}=2`)),
      unknownKey.map((k) => `${encode(k)}=1`),
    ),
    { maxLength: 3 },
  );
  const headerArb = fc.tuple(...headerParams.map(() => fc.option(headerJunk, { nil: undefined })), fc.option(headerJunk, { nil: undefined }));
  // A body where none belongs is mostly left out: a junk body is refused by the JSON parser before anything else is looked at.
  const bodyArb: Arbitrary<string | undefined> = invalidBodyArb ?? fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: junk.map(toJson) });

  return fc.tuple(pathArb, queryArb, headerArb, bodyArb).map(([ids, query, headerValues, body]) => {
    let path = op.path;
    pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, ids[i])));
    if (query.length) path += `?${query.join('&')}`;
    const headers: Record<string, string> = {};
    headerParams.forEach((p, i) => {
      if (headerValues[i] !== undefined) headers[p.name] = headerValues[i]!;
    });
    const language = headerValues[headerParams.length];
    if (language !== undefined) headers['accept-language'] = language;
    return { method: op.method, path, headers, body };
  });
}

function operations(doc: { paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content?.['application/json']?.schema,
    })),
  );
}

// ---- the test ---------------------------------------------------------------

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

function send(port: number, req: FuzzRequest, authorization?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolveResponse, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (authorization) headers.authorization = authorization;
    if (req.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(req.body);
    }
    const outgoing = request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer within 15 s')));
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

describe('fuzzing every route of the OpenAPI document with certainly invalid input', () => {
  let server: Spawned;
  let port: number;
  let db: Client;
  let doc: Parameters<typeof operations>[0];
  const sessions: Record<string, string | undefined> = { anonymous: undefined };
  const ctx: Context = { schemas: {}, ids: {}, answerIds: [] };

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    port = await freePort();
    // Limits no fuzzing reaches, so that every request gets past them to the validation it is meant to test.
    server = new Spawned(SERVER_MAIN, ['--seed-demo'], cleanEnv({
      ...GENEROUS_RATE_LIMITS,
      DATABASE_URL: databaseUrl, PORT: String(port), JOBS_ENABLED: 'false', LOG_LEVEL: 'error', DATA_DIR: mkdtempSync(join(tmpdir(), 'perhe-fuzz-')),
    }));
    await server.waitForStdout('is running at', 60_000);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();

    const json = async (method: string, path: string, body?: unknown, authorization?: string) => {
      const res = await send(port, { method, path, headers: {}, body: body === undefined ? undefined : JSON.stringify(body) }, authorization);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.body}`);
      return JSON.parse(res.body);
    };
    doc = await json('GET', '/api/docs-json');
    ctx.schemas = (doc as unknown as { components: { schemas: Record<string, Schema> } }).components.schemas;
    const login = async (email: string) => `Bearer ${(await json('POST', '/api/v1/auth/login', { email, password: DEMO_PASSWORD })).token}`;
    sessions.staff = await login(DEMO_ACCOUNTS.find((a) => !a.roles.includes('admin'))!.email);
    sessions.admin = await login(DEMO_ACCOUNTS.find((a) => a.roles.includes('admin'))!.email);

    // Something of every kind exists, so that requests can name real objects.
    const { rows: [slot] } = await db.query(`SELECT id FROM slot WHERE starts_at > now() + interval '3 days' AND NOT blocked AND NOT withdrawn AND booked < capacity ORDER BY starts_at LIMIT 1`);
    await json('POST', '/api/v1/appointments', { slotId: slot.id, language: 'fi', contact: { name: 'Fuzz Perhe', email: 'fuzz@example.fi' } });
    await json('POST', '/api/v1/forms/pyyda-apua/submissions', {
      language: 'fi', answers: { topic: 'parenting', contactMethod: 'anonymous', message: 'Kokeilu', municipality: '091', contactLanguage: 'fi' },
    });
    for (const [kind, sql] of Object.entries({
      unit: 'SELECT id FROM unit', service: 'SELECT id FROM service', staff: 'SELECT id FROM staff', slot: 'SELECT id FROM slot LIMIT 20',
      appointment: 'SELECT id FROM appointment', working_hours: 'SELECT id FROM working_hours LIMIT 5', extra_hours: 'SELECT id FROM extra_hours LIMIT 5',
      absence: 'SELECT id FROM absence LIMIT 5', outbox: 'SELECT id FROM outbox LIMIT 5', submission: 'SELECT id FROM submission', form: 'SELECT DISTINCT form_id AS id FROM form_definition',
    })) {
      ctx.ids[kind] = (await db.query(sql)).rows.map((r: { id: string }) => r.id);
    }
    const definitions = (await db.query(`SELECT definition FROM form_definition`)).rows as { definition: { answers: { properties: Record<string, unknown> } } }[];
    ctx.answerIds = [...new Set(definitions.flatMap((r) => Object.keys(r.definition.answers.properties)))];
  }, 120_000);

  afterAll(async () => {
    agent.destroy();
    await db?.end();
    await server?.stop();
  });

  it('answers no request with a 5xx and leaves every table as it was', async () => {
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(40);
    const before = await tableChecksums(db);
    // Routes that take a body get three shares of the time: more can go wrong behind them.
    const shares = ops.reduce((sum, op) => sum + (op.body ? 3 : 1), 0);
    const problems: string[] = [];
    let sent = 0;
    const outcomes = new Map<string, number>();
    for (const [index, op] of ops.entries()) {
      const name = `${op.method} ${op.path}`;
      // Ending a session is not bad input: logout is tried anonymously only.
      const who = op.path.endsWith('/auth/logout') ? ['anonymous'] : Object.keys(sessions);
      const seed = SEED + index;
      const failures: string[] = [];
      const accepted: string[] = [];
      const property = fc.asyncProperty(requests(ctx, op), fc.constantFrom(...who), async (req, session) => {
        sent++;
        let res: { status: number; body: string };
        try {
          res = await send(port, req, sessions[session]);
        } catch (error) {
          res = { status: 599, body: (error as Error).message };
        }
        const outcome = `${name} ${res.status} ${/"code":"(\w+)"/.exec(res.body)?.[1] ?? ''}`;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (req.method !== 'GET' && res.status < 300) accepted.push(`${req.method} ${req.path.slice(0, 200)} body ${(req.body ?? '').slice(0, 500)} → ${res.status}`);
        if (res.status < 500) return true;
        failures.push(`${name} as ${session} (seed ${seed}): ${req.method} ${req.path.slice(0, 300)} ${JSON.stringify(req.headers).slice(0, 200)} body ${(req.body ?? '').slice(0, 500)} → ${res.status} ${res.body.slice(0, 300)}`);
        return false;
      });
      // Every route gets a few runs whatever the machine's load; then its share of the time for more.
      const first = await fc.check(property, { seed, numRuns: MIN_RUNS, endOnFailure: true });
      const more = first.failed
        ? first
        : await fc.check(property, { seed: seed + 1_000_000, numRuns: 10_000, interruptAfterTimeLimit: ((op.body ? 3 : 1) * SECONDS * 1000) / shares, markInterruptAsFailure: false, endOnFailure: true });
      for (const result of new Set([first, more])) if (result.failed) problems.push(failures[0] ?? `${name} (seed ${seed}): ${result.errorInstance}`);
      if (!first.failed) expect({ name, runs: first.numRuns }).toEqual({ name, runs: MIN_RUNS });
      const after = await tableChecksums(db);
      const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
      if (changed.length) {
        problems.push(`${name} (seed ${seed}) changed ${changed.join(', ')}; accepted: ${accepted.slice(0, 3).join(' | ')}`);
        Object.assign(before, after);
      }
    }
    // FUZZ_STATS=1 prints how the requests were answered, by route.
    if (process.env.FUZZ_STATS) console.log(`sent ${sent}\n${[...outcomes].sort().map(([k, n]) => `${k}: ${n}`).join('\n')}`);
    const serverErrors = server.stdout.split('\n').filter((line) => line.includes('unhandled')).slice(0, 5);
    expect({ problems, serverErrors, seed: SEED }).toEqual({ problems: [], serverErrors: [], seed: SEED });
    expect(sent).toBeGreaterThan(ops.length * 3);
  }, (SECONDS + 90) * 1000);
});
