import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Envelope, TestClock, catalogue, validateEnvironment } from '@app/platform';
import { LOGIN_THROTTLE } from '@app/identity';
import { OutboxDispatcher } from '@app/notifications';
import { KeyRotation, RetentionJobs, RetentionService } from '@app/delivery';
import { BookingFixture, WEEKDAYS } from './support/booking-fixture';
import { LSI_PROFESSIONAL, PYYDA_APUA } from './support/forms-examples';
import { freePort } from './support/free-port';
import { SmtpSink } from './support/smtp-sink';
import { CLI_MAIN, SERVER_MAIN, Spawned, cleanEnv, runToEnd } from './support/spawned';
import { tableChecksums } from './support/table-checksums';
import { GENEROUS_RATE_LIMITS, PASSWORD, type TestApp, createTestDatabase, login, startApp } from './support/test-app';

const MONDAY_MORNING = '2026-03-02T09:00:00+02:00';
/** Planted in every sealed text: must come back whole after the rotation, and never appear in a report, a log line or an error. */
const ANSWER_MARKER = 'AVAINVASTAUS-QX3';
const NOTE_MARKER = 'AVAINMUISTIO-RT7';
const MESSAGE_MARKER = 'AVAINVIESTI-HN5';
const DRAFT_MARKER = 'AVAINLUONNOS-KD2';
/** An anonymous help request whose sender asked to be told of a reply. */
const REPLY_NOTICE = { contactMethod: 'anonymous', contactPhone: undefined, contactName: undefined, safeContactNotes: undefined, replyNotice: true, replyNoticeEmail: 'avain.vastaus@example.fi' };

const masterKey = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const KEY_A = masterKey('a');
const KEY_B = masterKey('b');

/** Changes one character of the ciphertext body (`iv.tag.body`): AES-GCM must notice. */
function tampered(sealed: string): string {
  const [iv, tag, body] = sealed.split('.');
  return [iv, tag, (body[0] === 'A' ? 'B' : 'A') + body.slice(1)].join('.');
}

type SealedRow = { id: string; key_id: string | null; wrapped_key: string | null; payload: string | null };

/** Every sealed value now: table → id → key id, wrapped key, payload. */
async function sealedRows(t: TestApp): Promise<Record<string, Record<string, SealedRow>>> {
  const rows: Record<string, Record<string, SealedRow>> = {};
  for (const table of ['submission', 'submission_note', 'submission_message', 'form_draft']) {
    rows[table] = Object.fromEntries((await t.db.query(`SELECT id, key_id, wrapped_key, payload FROM ${table}`)).map((r: SealedRow) => [r.id, r]));
  }
  rows.outbox = Object.fromEntries(
    (await t.db.query(`SELECT id, secrets->>'keyId' AS key_id, secrets->>'wrappedKey' AS wrapped_key, secrets->>'payload' AS payload FROM outbox WHERE secrets IS NOT NULL`))
      .map((r: SealedRow) => [r.id, r]),
  );
  rows['submission.reply_notice_to'] = Object.fromEntries(
    (await t.db.query(`SELECT id, reply_notice_to->>'keyId' AS key_id, reply_notice_to->>'wrappedKey' AS wrapped_key, reply_notice_to->>'payload' AS payload
                         FROM submission WHERE reply_notice_to IS NOT NULL`))
      .map((r: SealedRow) => [r.id, r]),
  );
  return rows;
}

describe('master key rotation (npm run cli -- keys:rotate)', () => {
  const clock = new TestClock(MONDAY_MORNING);
  let databaseUrl: string;
  let smtp: SmtpSink;
  let t: TestApp;
  let handler: { id: string; email: string };
  const submissions: { id: string; reference: string }[] = [];
  const notes: string[] = [];
  const messages: string[] = [];
  let draftToken: string;
  let tamperedDraftToken: string;
  let booking: { id: string; manageToken: string };
  /** The sealed values as they were before any rotation, and the originals of the ones the test modifies. */
  let original: Awaited<ReturnType<typeof sealedRows>>;

  const restart = async (keys: string) => {
    await t?.close();
    t = await startApp({ databaseUrl, clock, env: { MASTER_KEYS: keys, SMTP_URL: smtp.url } });
  };
  const rotate = (keys: string, ...args: string[]) =>
    runToEnd(CLI_MAIN, ['keys:rotate', ...args], cleanEnv({ DATABASE_URL: databaseUrl, DATA_DIR: process.env.DATA_DIR!, MASTER_KEYS: keys, LOG_LEVEL: 'silent' }), 90_000);
  const open = async (id: string, status: number, lang = 'fi') =>
    t.http.get(`/api/v1/inbox/${id}`).query({ purpose: 'handling' }).set('Authorization', await login(t, handler.email)).set('Accept-Language', lang).expect(status);
  const keyIds = async (table: string, ids: string[]) =>
    (await t.db.query(`SELECT id, key_id FROM ${table} WHERE id = ANY($1::uuid[])`, [ids])).reduce(
      (all: Record<string, string>, r: { id: string; key_id: string }) => ({ ...all, [r.id]: r.key_id }), {},
    );
  /** Runs `work` while another connection holds a row lock taken by `lock`. */
  const withRowLock = async <T>(lock: string, params: unknown[], work: () => Promise<T>): Promise<T> => {
    const holder = new Client({ connectionString: databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(lock, params);
      return await work();
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  };
  const noMarkers = (text: string) => {
    for (const marker of [ANSWER_MARKER, NOTE_MARKER, MESSAGE_MARKER, DRAFT_MARKER]) expect({ leaked: text.includes(marker) ? marker : null }).toEqual({ leaked: null });
  };

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    databaseUrl = await createTestDatabase();
    await restart(KEY_A);
    const f = await BookingFixture.create(t);
    const lsi = await f.unit('lastensuojelu-ilmoitukset');
    const apu = await f.unit('perheneuvonta');
    handler = { id: await f.staff('avain.kasittelija@test.fi', [], ['fi'], [lsi, apu]), email: 'avain.kasittelija@test.fi' };
    const auth = await login(t, handler.email);
    for (const [form, answers] of [
      ['lastensuojeluilmoitus', { ...LSI_PROFESSIONAL, concernDescription: `Huoli 0. ${ANSWER_MARKER}` }],
      // The sender asked for the reply notice: the address is sealed in a column of its own.
      ['pyyda-apua', { ...PYYDA_APUA, ...REPLY_NOTICE, message: `Apua 1. ${ANSWER_MARKER}` }],
      ['lastensuojeluilmoitus', { ...LSI_PROFESSIONAL, concernDescription: `Huoli 2. ${ANSWER_MARKER}` }],
      ['pyyda-apua', { ...PYYDA_APUA, message: `Apua 3. ${ANSWER_MARKER}` }],
    ] as const) {
      clock.advanceMinutes(1);
      const res = await t.http.post(`/api/v1/forms/${form}/submissions`).send({ language: 'fi', answers }).expect(201);
      submissions.push({ id: res.body.id, reference: res.body.reference });
    }
    for (const i of [0, 2]) {
      const note = await t.http.post(`/api/v1/inbox/${submissions[i].id}/notes`).set('Authorization', auth).send({ text: `Muistio ${i}. ${NOTE_MARKER}` }).expect(201);
      notes.push(note.body.id);
      // A message from the sender, sealed as the receipt flow stores it.
      const sealed = t.app.get(Envelope).seal(`Viesti ${i}. ${MESSAGE_MARKER}`);
      const [message] = await t.db.query(
        `INSERT INTO submission_message (submission_id, at, direction, key_id, wrapped_key, payload) VALUES ($1, $2, 'sender', $3, $4, $5) RETURNING id`,
        [submissions[i].id, clock.now(), sealed.keyId, sealed.wrappedKey, sealed.payload],
      );
      messages.push(message.id);
    }
    draftToken = (await t.http.post('/api/v1/forms/pyyda-apua/drafts').send({ answers: { topic: 'parenting', message: `Luonnos. ${DRAFT_MARKER}` } }).expect(201)).body.resumeToken;
    tamperedDraftToken = (await t.http.post('/api/v1/forms/pyyda-apua/drafts').send({ answers: { topic: 'parenting', message: `Toinen. ${DRAFT_MARKER}` } }).expect(201)).body.resumeToken;
    // A booking whose confirmation (with the manage link's token, a sealed secret) waits in the outbox.
    const kouluterveys = await f.unit('kouluterveys');
    const nurse = await f.staff('avain.hoitaja@test.fi', [kouluterveys]);
    const service = await f.service(kouluterveys);
    await f.hours(nurse, service, WEEKDAYS, '08:00', '16:00');
    const [slot] = await f.slots(service, '2026-03-04', '2026-03-04');
    const booked = await f.book(slot.id, { contact: { name: 'Avain Varaaja', email: 'avain.varaaja@example.fi' } }).expect(201);
    booking = { id: booked.body.appointment.id, manageToken: booked.body.manageToken };
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  it('keeps reading key A\'s data with MASTER_KEYS=B,A, and seals new data under B', async () => {
    await restart(`${KEY_B},${KEY_A}`);
    original = await sealedRows(t);
    for (const table of ['submission', 'submission.reply_notice_to', 'submission_note', 'submission_message', 'form_draft', 'outbox']) {
      const keys = Object.values(original[table]).map((r) => r.key_id);
      expect({ table, keys: [...new Set(keys)] }).toEqual({ table, keys: ['a'] });
    }
    expect(Object.keys(original.outbox).length).toBeGreaterThan(0);
    const detail = await open(submissions[0].id, 200);
    expect(detail.body.rawAnswers.concernDescription).toBe(`Huoli 0. ${ANSWER_MARKER}`);
    const fresh = await t.http.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: { ...PYYDA_APUA, message: `Uusi. ${ANSWER_MARKER}` } }).expect(201);
    submissions.push({ id: fresh.body.id, reference: fresh.body.reference });
    expect(await keyIds('submission', [fresh.body.id])).toEqual({ [fresh.body.id]: 'b' });
  });

  it('--dry-run reports what would change and changes nothing', async () => {
    const before = await tableChecksums(t.db);
    const run = await rotate(`${KEY_B},${KEY_A}`, '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('dry run: nothing is changed; rewrapping every data key under master key "b"');
    expect(run.stdout).toContain('submission.payload: would rewrap 4, unreadable 0, in use 0 (before: 4 under "a", 1 under "b")');
    expect(run.stdout).toContain('submission.reply_notice_to: would rewrap 1, unreadable 0, in use 0 (before: 1 under "a")');
    expect(run.stdout).toContain('submission_note.payload: would rewrap 2, unreadable 0, in use 0 (before: 2 under "a")');
    expect(run.stdout).toContain('submission_message.payload: would rewrap 2, unreadable 0, in use 0 (before: 2 under "a")');
    expect(run.stdout).toContain('form_draft.payload: would rewrap 2, unreadable 0, in use 0 (before: 2 under "a")');
    expect(run.stdout).toMatch(/^outbox\.secrets: would rewrap [1-9]\d*, unreadable 0, in use 0 \(before: [1-9]\d* under "a"\)$/m);
    expect(run.stdout).toMatch(/^dry run done in [\d.]+ s: nothing was changed$/m);
    expect(await tableChecksums(t.db)).toEqual(before);
  });

  it('never returns a modified ciphertext: reads answer a localized 500, and the attempt is in the access log', async () => {
    await t.db.query(`UPDATE submission SET payload = $2 WHERE id = $1`, [submissions[1].id, tampered(original.submission[submissions[1].id].payload!)]);
    await t.db.query(`UPDATE submission_note SET wrapped_key = $2 WHERE id = $1`, [notes[1], tampered(original.submission_note[notes[1]].wrapped_key!)]);
    const before = await t.db.query(`SELECT count(*)::int AS n FROM access_log`);

    for (const [lang, id] of [['fi', submissions[1].id], ['sv', submissions[2].id], ['en', submissions[1].id]] as const) {
      const res = await open(id, 500, lang);
      expect(res.body).toEqual({ status: 500, code: 'record_unreadable', message: catalogue(lang).errors.record_unreadable });
      noMarkers(JSON.stringify(res.body));
    }
    const pdf = await t.http.get(`/api/v1/inbox/${submissions[1].id}/pdf`).query({ purpose: 'handling' }).set('Authorization', await login(t, handler.email)).expect(500);
    expect(pdf.body.code).toBe('record_unreadable');
    // The other submissions still open.
    expect((await open(submissions[0].id, 200)).body.notes[0].text).toBe(`Muistio 0. ${NOTE_MARKER}`);
    const attempts = await t.db.query(`SELECT submission_id, action FROM access_log ORDER BY id OFFSET $1`, [before[0].n]);
    expect(attempts).toEqual([
      { submission_id: submissions[1].id, action: 'view' },
      { submission_id: submissions[2].id, action: 'view' },
      { submission_id: submissions[1].id, action: 'view' },
      { submission_id: submissions[1].id, action: 'pdf' },
      { submission_id: submissions[0].id, action: 'view' },
    ]);
  });

  it('a modified draft is refused the same way', async () => {
    const [row] = await t.db.query(`SELECT id, payload FROM form_draft WHERE token_hash = encode(sha256($1::bytea), 'hex')`, [tamperedDraftToken]);
    await t.db.query(`UPDATE form_draft SET payload = $2 WHERE id = $1`, [row.id, tampered(row.payload)]);
    const res = await t.http.get('/api/v1/form-drafts').set('X-Resume-Token', tamperedDraftToken).set('Accept-Language', 'sv').expect(500);
    expect(res.body).toEqual({ status: 500, code: 'record_unreadable', message: catalogue('sv').errors.record_unreadable });
    noMarkers(JSON.stringify(res.body));
    expect((await t.http.get('/api/v1/form-drafts').set('X-Resume-Token', draftToken).expect(200)).body.answers.message).toBe(`Luonnos. ${DRAFT_MARKER}`);
  });

  it('a server logs the table and row id of a record that cannot be opened, never its content', async () => {
    const port = await freePort();
    const server = new Spawned(SERVER_MAIN, [], cleanEnv({
      ...GENEROUS_RATE_LIMITS, DATABASE_URL: databaseUrl, DATA_DIR: process.env.DATA_DIR!, PORT: String(port), MASTER_KEYS: `${KEY_B},${KEY_A}`,
      JOBS_ENABLED: 'false', LOG_LEVEL: 'info',
    }));
    try {
      await server.waitForStdout('running at', 90_000);
      const signIn = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: handler.email, password: PASSWORD }),
      });
      const { token } = (await signIn.json()) as { token: string };
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/inbox/${submissions[1].id}?purpose=handling`, { headers: { Authorization: `Bearer ${token}`, 'Accept-Language': 'en' } });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ status: 500, code: 'record_unreadable', message: catalogue('en').errors.record_unreadable });
      await server.waitForStdout(`submission ${submissions[1].id}`, 10_000);
      const errors = server.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line)).filter((l) => l.level >= 50);
      expect(errors).toEqual([expect.objectContaining({ msg: expect.stringContaining(`cannot open the sealed data of submission ${submissions[1].id}: the AES-GCM authentication failed`) })]);
      expect(errors[0].trace).toBeUndefined();
      noMarkers(server.stdout + server.stderr);
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('rotates in batches around a row in use and the modified ones, which it reports; a rerun continues; the payloads stay as they were', async () => {
    const [tamperedDraft] = await t.db.query(`SELECT id, payload FROM form_draft WHERE token_hash = encode(sha256($1::bytea), 'hex')`, [tamperedDraftToken]);
    // Someone holds a row lock on one submission for the whole run; it keeps its key.
    const first = await withRowLock(`SELECT 1 FROM submission WHERE id = $1 FOR UPDATE`, [submissions[3].id], () => rotate(`${KEY_B},${KEY_A}`, '--batch-size', '1'));
    expect(await keyIds('submission', [submissions[3].id])).toEqual({ [submissions[3].id]: 'a' });
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('submission.payload: rewrapped 2, unreadable 1, in use 1 (before: 4 under "a", 1 under "b")');
    expect(first.stdout).toContain('submission.reply_notice_to: rewrapped 1, unreadable 0, in use 0 (before: 1 under "a")');
    expect(first.stdout).toContain('submission_note.payload: rewrapped 1, unreadable 1, in use 0');
    expect(first.stdout).toContain('submission_message.payload: rewrapped 2, unreadable 0, in use 0');
    expect(first.stdout).toContain('form_draft.payload: rewrapped 1, unreadable 1, in use 0');
    expect(first.stdout).toMatch(/^outbox\.secrets: rewrapped [1-9]\d*, unreadable 0, in use 0/m);
    expect(first.stdout).toContain(`unreadable: submission ${submissions[1].id}: the AES-GCM authentication failed`);
    expect(first.stdout).toContain(`unreadable: submission_note ${notes[1]}: the AES-GCM authentication failed`);
    expect(first.stdout).toContain(`unreadable: form_draft ${tamperedDraft.id}: the AES-GCM authentication failed`);
    expect(first.stdout).toContain('3 record(s) cannot be opened and keep their old key');
    noMarkers(first.stdout + first.stderr);

    const now = await sealedRows(t);
    for (const table of Object.keys(original)) {
      for (const [id, was] of Object.entries(original[table])) {
        const is = now[table][id];
        const left = (table === 'submission' && (id === submissions[1].id || id === submissions[3].id)) || (table === 'submission_note' && id === notes[1])
          || (table === 'form_draft' && id === tamperedDraft.id);
        // Only the key id and the wrapped key change; the payload's ciphertext stays.
        expect({ table, id, key: is.key_id, payload: is.payload === was.payload || left }).toEqual({ table, id, key: left ? 'a' : 'b', payload: true });
        if (!left) expect(is.wrapped_key).not.toBe(was.wrapped_key);
      }
    }

    // The modified records are put back as they were (from a backup), while another row is in use: the rerun
    // continues with what is left and leaves that row for the next run (exit 75).
    await t.db.query(`UPDATE submission SET payload = $2 WHERE id = $1`, [submissions[1].id, original.submission[submissions[1].id].payload]);
    await t.db.query(`UPDATE submission_note SET wrapped_key = $2 WHERE id = $1`, [notes[1], original.submission_note[notes[1]].wrapped_key]);
    await t.db.query(`UPDATE form_draft SET payload = $2 WHERE id = $1`, [tamperedDraft.id, original.form_draft[tamperedDraft.id].payload]);
    const second = await withRowLock(`SELECT 1 FROM submission WHERE id = $1 FOR SHARE`, [submissions[1].id], () => rotate(`${KEY_B},${KEY_A}`, '--batch-size', '2'));
    expect(second.code).toBe(75);
    expect(second.stdout).toContain('submission.payload: rewrapped 1, unreadable 0, in use 1 (before: 2 under "a", 3 under "b")');
    expect(second.stdout).toContain('submission_note.payload: rewrapped 1, unreadable 0, in use 0 (before: 1 under "a", 1 under "b")');
    expect(second.stdout).toContain('submission_message.payload: rewrapped 0, unreadable 0, in use 0 (before: 2 under "b")');
    expect(second.stdout).toContain('form_draft.payload: rewrapped 1, unreadable 0, in use 0');
    expect(second.stdout).toMatch(/^1 row\(s\) were in use and keep their old key: run keys:rotate again/m);
    expect(await keyIds('submission', [submissions[1].id, submissions[3].id])).toEqual({ [submissions[1].id]: 'a', [submissions[3].id]: 'b' });

    const third = await rotate(`${KEY_B},${KEY_A}`);
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('submission.payload: rewrapped 1, unreadable 0, in use 0 (before: 1 under "a", 4 under "b")');
    expect(third.stdout).toMatch(/^every data key is under master key "b": the other keys may be removed from MASTER_KEYS/m);
    const sealed = await sealedRows(t);
    for (const table of Object.keys(original)) {
      for (const [id, was] of Object.entries(original[table])) expect({ table, id, key: sealed[table][id].key_id, payload: sealed[table][id].payload }).toEqual({ table, id, key: 'b', payload: was.payload });
    }

    // Once more (here in-process, as the CLI runs it): nothing to do, nothing changed.
    const checksums = await tableChecksums(t.db);
    const again = await t.app.get(KeyRotation).rotate({ batchSize: 1 });
    expect(again.unreadable).toEqual([]);
    expect(again.counts.map((c) => [c.label, c.rewrapped, c.busy, Object.keys(c.before)])).toEqual(
      ['submission.payload', 'submission.reply_notice_to', 'submission_note.payload', 'submission_message.payload', 'form_draft.payload', 'outbox.secrets'].map((label) => [label, 0, 0, ['b']]),
    );
    expect(await tableChecksums(t.db)).toEqual(checksums);
  }, 240_000);

  it('with key A removed (MASTER_KEYS=B) everything opens: answers, notes and messages, drafts, and the outbox sends its secrets', async () => {
    await restart(KEY_B);
    for (const [i, sent] of submissions.entries()) {
      const detail = await open(sent.id, 200);
      expect(JSON.stringify(detail.body.rawAnswers)).toContain(ANSWER_MARKER);
      if (i === 0 || i === 2) {
        expect(detail.body.notes.map((n: { text: string }) => n.text)).toEqual([`Muistio ${i}. ${NOTE_MARKER}`]);
        expect(detail.body.messages.map((m: { text: string }) => m.text)).toEqual([`Viesti ${i}. ${MESSAGE_MARKER}`]);
      }
    }
    expect((await t.http.get('/api/v1/form-drafts').set('X-Resume-Token', draftToken).expect(200)).body.answers.message).toBe(`Luonnos. ${DRAFT_MARKER}`);
    expect((await t.http.get('/api/v1/form-drafts').set('X-Resume-Token', tamperedDraftToken).expect(200)).body.answers.message).toBe(`Toinen. ${DRAFT_MARKER}`);

    // The reply notice's address too.
    expect(t.app.get(Envelope).open((await t.db.query(`SELECT reply_notice_to FROM submission WHERE id = $1`, [submissions[1].id]))[0].reply_notice_to)).toBe('avain.vastaus@example.fi');
    const result = await t.app.get(OutboxDispatcher).drain();
    expect(result).toMatchObject({ failed: 0, retrying: 0 });
    const [confirmation] = smtp.to('avain.varaaja@example.fi');
    expect(confirmation.parsed.text).toContain(`/appointments/${booking.id}/manage?token=${booking.manageToken}`);
    await t.http.get(`/api/v1/appointments/${booking.id}`).set('X-Manage-Token', booking.manageToken).expect(200);
  });
});

describe('pseudonyms across a key rotation (PSEUDONYM_KEY)', () => {
  const clock = new TestClock(MONDAY_MORNING);
  let databaseUrl: string;
  let t: TestApp | undefined;
  const pseudonymKey = randomBytes(32).toString('base64');
  const attempt = () => t!.http.post('/api/v1/auth/login').send({ email: 'lukko@test.fi', password: 'wrong-password-here' });
  const start = async (env: Record<string, string>) => {
    await t?.close();
    delete process.env.PSEUDONYM_KEY;
    t = await startApp({ databaseUrl, clock, env });
  };

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
    delete process.env.PSEUDONYM_KEY;
  });

  it('keeps login throttling through a rotation when PSEUDONYM_KEY is set, and starts afresh without it', async () => {
    await start({ MASTER_KEYS: KEY_A, PSEUDONYM_KEY: pseudonymKey });
    const f = await BookingFixture.create(t!);
    await f.staff('lukko@test.fi', []);
    for (let i = 0; i < LOGIN_THROTTLE.CLIENT_FREE_ATTEMPTS; i++) await attempt().expect(401);
    await attempt().expect(429);
    await start({ MASTER_KEYS: `${KEY_B},${KEY_A}`, PSEUDONYM_KEY: pseudonymKey });
    await attempt().expect(429);
    // Keyed by the current master key instead, the counters start afresh.
    await start({ MASTER_KEYS: `${KEY_B},${KEY_A}` });
    await attempt().expect(401);
  });

  it('refuses a PSEUDONYM_KEY that is not 32 bytes in base64 at start', () => {
    expect(() => validateEnvironment({ PSEUDONYM_KEY: 'short' })).toThrow('Invalid configuration: PSEUDONYM_KEY="short" must be base64 of 32 bytes');
    expect(() => validateEnvironment({ PSEUDONYM_KEY: randomBytes(32).toString('base64') })).not.toThrow();
  });
});

describe('retention', () => {
  let t: TestApp;
  let f: BookingFixture;
  let handler: { id: string; email: string };
  let lsiUnit: string;
  let apuUnit: string;

  const auth = () => login(t, handler.email);
  const submit = async (form: string, answers: object) => {
    t.clock.advanceMinutes(1);
    return (await t.http.post(`/api/v1/forms/${form}/submissions`).send({ language: 'fi', answers }).expect(201)).body as { id: string; reference: string };
  };
  const close = async (id: string, outcome: string) => {
    const who = await auth();
    for (const status of ['acknowledged', 'in_progress']) await t.http.post(`/api/v1/inbox/${id}/status`).set('Authorization', who).send({ status }).expect(200);
    await t.http.post(`/api/v1/inbox/${id}/status`).set('Authorization', who).send({ status: 'closed', outcome }).expect(200);
  };
  const row = async (id: string) => (await t.db.query(`SELECT * FROM submission WHERE id = $1`, [id]))[0];
  const accessLog = (ids: string[]) => t.db.query(`SELECT * FROM access_log WHERE submission_id = ANY($1::uuid[]) ORDER BY id`, [ids]);
  const help = (text: string) => ({ ...PYYDA_APUA, message: `${text} ${ANSWER_MARKER}` });

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING) });
    f = await BookingFixture.create(t);
    lsiUnit = await f.unit('lastensuojelu-ilmoitukset');
    apuUnit = await f.unit('perheneuvonta');
    handler = { id: await f.staff('sailytys.kasittelija@test.fi', [], ['fi'], [lsiUnit, apuUnit]), email: 'sailytys.kasittelija@test.fi' };
  });
  afterAll(() => t.close());

  it('purges the content of closed submissions past their retention period from closing, keeps the record and the access log, and answers 410', async () => {
    // Closed today: due in 3650 days (help requests). One has notes, messages and reads in the access log.
    const due = [await submit('pyyda-apua', { ...help('Eka.'), ...REPLY_NOTICE }), await submit('pyyda-apua', help('Toka.')), await submit('pyyda-apua', help('Kolmas.'))];
    const who = await auth();
    await t.http.post(`/api/v1/inbox/${due[0].id}/notes`).set('Authorization', who).send({ text: `Soitettu. ${NOTE_MARKER}` }).expect(201);
    const sealed = t.app.get(Envelope).seal(`Kiitos. ${MESSAGE_MARKER}`);
    await t.db.query(`INSERT INTO submission_message (submission_id, at, direction, key_id, wrapped_key, payload) VALUES ($1, $2, 'sender', $3, $4, $5)`,
      [due[0].id, t.clock.now(), sealed.keyId, sealed.wrappedKey, sealed.payload]);
    await t.http.get(`/api/v1/inbox/${due[0].id}`).query({ purpose: 'handling' }).set('Authorization', who).expect(200);
    for (const sent of due) await close(sent.id, 'guidance-given');
    // A child-welfare notification closed today: 9125 days.
    const lsi = await submit('lastensuojeluilmoitus', { ...LSI_PROFESSIONAL, concernDescription: `Huoli. ${ANSWER_MARKER}` });
    await close(lsi.id, 'no-further-action');
    // Never closed, however old.
    const open = await submit('pyyda-apua', help('Auki.'));
    await t.http.post(`/api/v1/inbox/${open.id}/status`).set('Authorization', who).send({ status: 'acknowledged' }).expect(200);
    // Sent today, closed 30 days later: due 30 days after the others.
    const later = await submit('pyyda-apua', help('Myöhemmin.'));
    t.clock.advanceMinutes(30 * 24 * 60);
    await close(later.id, 'service-started');

    const records = Object.fromEntries(await Promise.all([...due, lsi, open, later].map(async (s) => [s.id, await row(s.id)] as const)));
    const logBefore = await accessLog(due.map((d) => d.id));
    expect(logBefore.length).toBeGreaterThan(0);

    // 3650 days after the first closings (counted from closing, not from sending) and an hour.
    t.clock.set(new Date(records[due[2].id].closed_at.getTime() + 3650 * 86_400_000 + 3_600_000));
    // Two purges at once (every instance runs the job): each submission is purged exactly once.
    const service = t.app.get(RetentionService);
    const [one, two] = await Promise.all([service.purge({ batchSize: 1 }), service.purge({ batchSize: 1 })]);
    expect(one.purged + two.purged).toBe(3);
    expect(one.deleted.submission_note + two.deleted.submission_note).toBe(1);
    expect(one.deleted.submission_message + two.deleted.submission_message).toBe(1);
    expect(one.unclosedPastRetention).toBe(1);
    expect(one.preInformationPastRetention).toBe(0);
    const events = await t.db.query(`SELECT submission_id, actor_type, action, detail FROM submission_event WHERE action = 'purge' ORDER BY submission_id`);
    expect(events).toEqual(due.map((d) => ({ submission_id: d.id, actor_type: 'system', action: 'purge', detail: { retentionDays: 3650 } }))
      .sort((a, b) => a.submission_id.localeCompare(b.submission_id)));

    for (const sent of due) {
      const now = await row(sent.id);
      const was = records[sent.id];
      expect(now).toEqual({ ...was, key_id: null, wrapped_key: null, payload: null, reply_notice_to: null, purged_at: t.clock.now() });
      expect(JSON.stringify(now)).not.toContain(ANSWER_MARKER);
    }
    expect(await t.db.query(`SELECT id FROM submission_note WHERE submission_id = ANY($1::uuid[])`, [due.map((d) => d.id)])).toEqual([]);
    expect(await t.db.query(`SELECT id FROM submission_message WHERE submission_id = ANY($1::uuid[])`, [due.map((d) => d.id)])).toEqual([]);
    expect(await accessLog(due.map((d) => d.id))).toEqual(logBefore);
    // Open, the notification and the one closed later are untouched.
    for (const kept of [lsi, open, later]) expect(await row(kept.id)).toEqual(records[kept.id]);

    // Inbox and admin lists show it as purged; the rest of the record is there.
    const inbox = await t.http.get('/api/v1/inbox').set('Authorization', await auth()).expect(200);
    const item = (id: string) => inbox.body.items.find((i: { id: string }) => i.id === id);
    expect(item(due[0].id)).toMatchObject({ reference: due[0].reference, status: 'closed', outcome: 'guidance-given', priority: 'normal', purgedAt: expect.stringMatching(/^2036-/) });
    expect(item(open.id).purgedAt).toBeNull();
    const admin = await t.http.get('/api/v1/admin/submissions').query({ reference: due[1].reference }).set('Authorization', await f.admin()).expect(200);
    expect(admin.body.items).toEqual([expect.objectContaining({ id: due[1].id, purgedAt: expect.stringMatching(/^2036-/), closedAt: expect.any(String), unit: expect.objectContaining({ id: apuUnit }) })]);
  });

  it('opening a purged submission is 410 Gone, localized, and the attempt is in the access log; nothing new is added to it', async () => {
    const [purged] = await t.db.query(`SELECT id FROM submission WHERE purged_at IS NOT NULL ORDER BY reference LIMIT 1`);
    const who = await auth();
    const before = (await accessLog([purged.id])).length;
    for (const lang of ['fi', 'sv', 'en'] as const) {
      const res = await t.http.get(`/api/v1/inbox/${purged.id}`).query({ purpose: 'supervision' }).set('Authorization', who).set('Accept-Language', lang).expect(410);
      expect(res.body).toEqual({ status: 410, code: 'submission_purged', message: catalogue(lang).errors.submission_purged });
    }
    const pdf = await t.http.get(`/api/v1/inbox/${purged.id}/pdf`).query({ purpose: 'handling' }).set('Authorization', who).expect(410);
    expect(pdf.body.code).toBe('submission_purged');
    const attempts = (await accessLog([purged.id])).slice(before);
    expect(attempts.map((a: { action: string; purpose: string; staff_id: string }) => [a.action, a.purpose, a.staff_id])).toEqual([
      ['view', 'supervision', handler.id], ['view', 'supervision', handler.id], ['view', 'supervision', handler.id], ['pdf', 'handling', handler.id],
    ]);
    const exported = await t.http.get('/api/v1/admin/access-log/export').query({ submission: purged.id }).set('Authorization', await f.admin()).expect(200);
    expect(exported.body.submission.purgedAt).toMatch(/^2036-/);

    // No new content for a purged submission, through the API or around it.
    const note = await t.http.post(`/api/v1/inbox/${purged.id}/notes`).set('Authorization', who).set('Accept-Language', 'en').send({ text: 'Myöhäinen' }).expect(410);
    expect(note.body.code).toBe('submission_purged');
    const sealed = t.app.get(Envelope).seal('Myöhäinen viesti');
    await expect(t.db.query(`INSERT INTO submission_message (submission_id, at, direction, key_id, wrapped_key, payload) VALUES ($1, $2, 'sender', $3, $4, $5)`,
      [purged.id, t.clock.now(), sealed.keyId, sealed.wrappedKey, sealed.payload])).rejects.toThrow(/was purged/);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM submission_note WHERE submission_id = $1`, [purged.id])).toEqual([{ n: 0 }]);
    // The database refuses a purged submission that is not closed, or that keeps its content.
    await expect(t.db.query(`UPDATE submission SET status = 'in_progress', closed_at = NULL WHERE id = $1`, [purged.id])).rejects.toThrow(/submission_/);
    await expect(t.db.query(`UPDATE submission SET purged_at = now() WHERE purged_at IS NULL`)).rejects.toThrow(/submission_purged/);
  });

  it('leaves unclosed submissions readable, runs as a daily job only where jobs are enabled, and purges the later one when its time comes', async () => {
    const [open] = await t.db.query(`SELECT id FROM submission WHERE status <> 'closed' LIMIT 1`);
    const detail = await t.http.get(`/api/v1/inbox/${open.id}`).query({ purpose: 'handling' }).set('Authorization', await auth()).expect(200);
    expect(detail.body.rawAnswers.message).toBe(`Auki. ${ANSWER_MARKER}`);

    t.clock.advanceMinutes(31 * 24 * 60);
    const checksums = await tableChecksums(t.db);
    // JOBS_ENABLED=false in tests: the job does nothing.
    expect(await t.app.get(RetentionJobs).purgeDaily()).toBeUndefined();
    expect(await tableChecksums(t.db)).toEqual(checksums);
    const result = await t.app.get(RetentionService).purge();
    expect(result).toEqual({ purged: 1, deleted: { submission_note: 0, submission_message: 0 }, unclosedPastRetention: 1, preInformationPastRetention: 0 });
    expect(await t.db.query(`SELECT count(*)::int AS n FROM submission WHERE purged_at IS NULL AND status = 'closed'`)).toEqual([{ n: 1 }]);
    // Idempotent: nothing more is due.
    expect((await t.app.get(RetentionService).purge()).purged).toBe(0);
  });
});

describe('retention from the command line (npm run cli -- retention:purge)', () => {
  it('purges what is due now and reports counts only', async () => {
    // Submitted and closed in January 2015: ten years (3650 days) have passed by the real clock.
    const t = await startApp({ clock: new TestClock('2015-01-05T09:00:00+02:00') });
    try {
      const f = await BookingFixture.create(t);
      const unit = await f.unit('perheneuvonta');
      await f.staff('vanha.kasittelija@test.fi', [], ['fi'], [unit]);
      const auth = await login(t, 'vanha.kasittelija@test.fi');
      const sent = async () => (await t.http.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: { ...PYYDA_APUA, message: `Vanha. ${ANSWER_MARKER}` } }).expect(201)).body.id as string;
      const closed = await sent();
      const open = await sent();
      for (const status of ['acknowledged', 'in_progress']) await t.http.post(`/api/v1/inbox/${closed}/status`).set('Authorization', auth).send({ status }).expect(200);
      await t.http.post(`/api/v1/inbox/${closed}/status`).set('Authorization', auth).send({ status: 'closed', outcome: 'withdrawn' }).expect(200);

      const run = await runToEnd(CLI_MAIN, ['retention:purge'], cleanEnv({ DATABASE_URL: t.databaseUrl, DATA_DIR: process.env.DATA_DIR!, LOG_LEVEL: 'silent' }), 90_000);
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(
        'retention: purged the content of 1 closed submission(s) past their retention period (rows deleted: submission_note 0, submission_message 0); '
        + '1 unclosed submission(s) and 0 pre-information submission(s) are past their retention period counted from arrival and are kept',
      );
      expect(run.stdout + run.stderr).not.toContain(ANSWER_MARKER);
      const rows = await t.db.query(`SELECT id, payload IS NULL AS purged FROM submission WHERE id = ANY($1::uuid[]) ORDER BY id`, [[closed, open]]);
      expect(Object.fromEntries(rows.map((r: { id: string; purged: boolean }) => [r.id, r.purged]))).toEqual({ [closed]: true, [open]: false });
    } finally {
      await t.close();
    }
  }, 120_000);
});
