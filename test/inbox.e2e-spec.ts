import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { migrations } from '@app/migrations';
import { Envelope, TestClock, catalogue, interpolate } from '@app/platform';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DemoSeeder } from '@app/booking';
import { BookingFixture, WEEKDAYS, personName } from './support/booking-fixture';
import { KOULUTERVEYS, LSI_ANONYMOUS, LSI_PROFESSIONAL, PYYDA_APUA } from './support/forms-examples';
import { pdfText } from './support/pdf-text';
import { CLI_MAIN, ROOT, cleanEnv, runToEnd } from './support/spawned';
import { withDatabase } from './support/global-setup';
import { type TestApp, login, startApp } from './support/test-app';

const MONDAY_MORNING = '2026-03-02T09:00:00+02:00';
/** Planted in what senders and handlers write: must never leave through an admin route, a list or the database in clear. */
const ANSWER_MARKER = 'VASTAUSMERKKI-ZQ7';
const NOTE_MARKER = 'MUISTIINPANOMERKKI-XK4';
const MESSAGE_MARKER = 'VIESTIMERKKI-WP9';
const REASON_MARKER = 'SIIRTOPERUSTE-VM2';

/** Reads a binary response body. */
function binary(res: Response, callback: (error: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

interface Item {
  id: string;
  reference: string;
  status: string;
  priority: string;
  unit: { id: string; code: string } | null;
  assignedTo: { id: string } | null;
  form: { id: string; title: string };
}

describe('unit inboxes', () => {
  let t: TestApp;
  let f: BookingFixture;
  let admin: string;
  /** Units: child-welfare notifications, help requests, and a third one. */
  let lsi: string;
  let apu: string;
  let third: string;
  /** Handlers of lsi (two), of apu, of the third unit; a calendar-only member of lsi. */
  type Account = { id: string; auth: string; email: string };
  let lsiHandler: Account;
  let lsiHandler2: Account;
  let apuHandler: Account;
  let thirdHandler: Account;
  let lsiCalendar: Account;

  const submit = async (form: string, answers: object, minutesLater = 1) => {
    t.clock.advanceMinutes(minutesLater);
    const res = await t.http.post(`/api/v1/forms/${form}/submissions`).send({ language: 'fi', answers }).expect(201);
    return res.body as { id: string; reference: string };
  };
  // Urgent by immediate danger; violence among the concerns would make it urgent too, so the normal ones leave it out.
  const notification = (urgent: boolean) => ({
    ...LSI_PROFESSIONAL, immediateDanger: urgent, concernDescription: `Huoli lapsesta. ${ANSWER_MARKER}`, ...(urgent ? {} : { concernAreas: ['schoolAttendance'], policeNotified: undefined }),
  });
  const helpRequest = () => ({ ...PYYDA_APUA, message: `Tarvitsen apua. ${ANSWER_MARKER}` });
  const inbox = async (who: string, query: Record<string, string> = {}) =>
    (await t.http.get('/api/v1/inbox').query(query).set('Authorization', who).expect(200)).body as { items: Item[]; total: number; limit: number; offset: number };
  const open = (who: string, id: string, query: Record<string, string> = { purpose: 'handling' }) => t.http.get(`/api/v1/inbox/${id}`).query(query).set('Authorization', who);
  const accessRows = (submissionId: string) =>
    t.db.query(`SELECT staff_id, unit_id, action, purpose, purpose_text, at FROM access_log WHERE submission_id = $1 ORDER BY id`, [submissionId]);
  const events = (submissionId: string) => t.db.query(`SELECT actor_type, actor_id, action, unit_id, detail FROM submission_event WHERE submission_id = $1 ORDER BY id`, [submissionId]);
  const account = async (email: string, calendar: string[], handler: string[]) => {
    const id = await f.staff(email, calendar, ['fi'], handler);
    return { id, auth: await login(t, email), email };
  };
  /** New sessions for everyone, after the clock has moved past their end. */
  const signInAgain = async () => {
    admin = await f.admin();
    for (const who of [lsiHandler, lsiHandler2, apuHandler, thirdHandler, lsiCalendar]) who.auth = await login(t, who.email);
  };

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING) });
    f = await BookingFixture.create(t);
    admin = await f.admin();
    lsi = await f.unit('lastensuojelu-ilmoitukset');
    apu = await f.unit('perheneuvonta');
    third = await f.unit('kolmas-yksikko');
    lsiHandler = await account('lsi.kasittelija@test.fi', [], [lsi]);
    lsiHandler2 = await account('lsi.toinen@test.fi', [], [lsi]);
    apuHandler = await account('apu.kasittelija@test.fi', [], [apu]);
    thirdHandler = await account('kolmas.kasittelija@test.fi', [], [third]);
    lsiCalendar = await account('lsi.kalenteri@test.fi', [lsi], []);
  });
  afterAll(() => t.close());

  it('routes a submission to the unit\'s id as well as its code', async () => {
    const sent = await submit('lastensuojeluilmoitus', LSI_ANONYMOUS);
    const [row] = await t.db.query(`SELECT unit_id, unit_code, status, assigned_to FROM submission WHERE id = $1`, [sent.id]);
    expect(row).toEqual({ unit_id: lsi, unit_code: 'lastensuojelu-ilmoitukset', status: 'received', assigned_to: null });
  });

  it('shows a handler only their units\' submissions, urgent first then newest, filtered and paged, without answers', async () => {
    const first = await submit('lastensuojeluilmoitus', notification(false));
    const urgent = await submit('lastensuojeluilmoitus', notification(true), 10);
    const newest = await submit('lastensuojeluilmoitus', notification(false), 10);
    const help = await submit('pyyda-apua', helpRequest(), 10);
    const mine = [first.id, urgent.id, newest.id];

    const all = await inbox(lsiHandler.auth);
    expect(all.items.map((i) => i.id).filter((id) => mine.includes(id))).toEqual([urgent.id, newest.id, first.id]);
    expect(all.items.map((i) => i.id)).not.toContain(help.id);
    expect(all.items.every((i) => i.unit?.id === lsi)).toBe(true);
    // Urgent before normal across the whole list, newest first within each.
    const priorities = all.items.map((i) => i.priority);
    expect(priorities).toEqual([...priorities].sort((x, y) => (x === y ? 0 : x === 'urgent' ? -1 : 1)));
    expect(all.items.find((i) => i.id === urgent.id)).toMatchObject({
      reference: urgent.reference, status: 'received', priority: 'urgent', assignedTo: null, identified: true, language: 'fi',
      form: { id: 'lastensuojeluilmoitus', version: 2, title: 'Lastensuojeluilmoitus' }, unit: { id: lsi, code: 'lastensuojelu-ilmoitukset' },
      submittedAt: expect.stringMatching(/^2026-03-02T09:\d\d:00\+02:00$/),
    });
    expect(JSON.stringify(all)).not.toContain(ANSWER_MARKER);

    expect((await inbox(apuHandler.auth)).items.map((i) => i.id)).toEqual([help.id]);
    // A calendar in the unit is not its inbox; neither is being an administrator.
    expect((await inbox(lsiCalendar.auth)).items).toEqual([]);
    expect((await inbox(admin)).items).toEqual([]);
    await open(lsiCalendar.auth, urgent.id).expect(404);

    expect((await inbox(lsiHandler.auth, { priority: 'urgent' })).items.map((i) => i.priority)).not.toContain('normal');
    expect((await inbox(lsiHandler.auth, { priority: 'urgent' })).items.map((i) => i.id)).toContain(urgent.id);
    expect((await inbox(lsiHandler.auth, { form: 'pyyda-apua' })).items).toEqual([]);
    expect((await inbox(lsiHandler.auth, { status: 'closed' })).items).toEqual([]);
    expect((await inbox(lsiHandler.auth, { status: 'received', unit: lsi })).total).toBe(all.total);
    expect((await inbox(lsiHandler.auth, { assignedToMe: 'true' })).items).toEqual([]);
    const page = await inbox(lsiHandler.auth, { limit: '2', offset: '1' });
    expect(page).toMatchObject({ total: all.total, limit: 2, offset: 1 });
    expect(page.items.map((i) => i.id)).toEqual(all.items.slice(1, 3).map((i) => i.id));
    // Titles in the reader's language.
    const sv = await t.http.get('/api/v1/inbox').set('Authorization', lsiHandler.auth).set('Accept-Language', 'sv').expect(200);
    expect(sv.body.items[0].form.title).toBe('Barnskyddsanmälan');

    // Another unit's inbox is refused; bad filters are 400s (`overdue` takes true or false).
    expect((await t.http.get('/api/v1/inbox').query({ unit: apu }).set('Authorization', lsiHandler.auth).expect(403)).body.code).toBe('forbidden');
    for (const query of [{ status: 'open' }, { priority: 'high' }, { limit: '1000' }, { limit: '0' }, { offset: '-1' }, { assignedToMe: 'yes' }, { unit: 'x' }, { overdue: 'soon' }]) {
      const res = await t.http.get('/api/v1/inbox').query(query).set('Authorization', lsiHandler.auth).set('Accept-Language', 'en');
      expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'validation_failed' });
    }
  });

  it('opens a submission with a purpose and writes exactly one access-log row, and one for the PDF', async () => {
    const sent = await submit('lastensuojeluilmoitus', notification(true));
    const res = await open(lsiHandler.auth, sent.id, { purpose: 'urgency-assessment' }).expect(200);
    expect(res.body).toMatchObject({ id: sent.id, reference: sent.reference, status: 'received', notes: [], messages: [], history: [] });
    expect(res.body.rawAnswers.concernDescription).toBe(`Huoli lapsesta. ${ANSWER_MARKER}`);
    expect(res.body.answers).toContainEqual(expect.objectContaining({ answer: 'concernDescription', value: `Huoli lapsesta. ${ANSWER_MARKER}` }));
    expect(res.body.answers).toContainEqual(expect.objectContaining({ answer: 'immediateDanger', value: 'Kyllä' }));
    expect(res.body.outcomes.map((o: { value: string }) => o.value)).toEqual(['assessment-started', 'existing-client', 'no-further-action', 'transferred']);
    expect(await accessRows(sent.id)).toEqual([
      { staff_id: lsiHandler.id, unit_id: lsi, action: 'view', purpose: 'urgency-assessment', purpose_text: null, at: t.clock.now() },
    ]);

    t.clock.advanceMinutes(5);
    const pdf = await t.http.get(`/api/v1/inbox/${sent.id}/pdf`).query({ purpose: 'handling', lang: 'sv' }).set('Authorization', lsiHandler.auth)
      .buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const { text } = await pdfText(pdf.body as Buffer);
    expect(text).toContain(ANSWER_MARKER);
    expect(text).toContain('Referensnummer');
    const rows = await accessRows(sent.id);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual({ staff_id: lsiHandler.id, unit_id: lsi, action: 'pdf', purpose: 'handling', purpose_text: null, at: t.clock.now() });

    // `other` needs the purpose in words, under the text rule.
    await open(lsiHandler.auth, sent.id, { purpose: 'other', purposeText: 'Esihenkilön pyytämä tarkistus' }).expect(200);
    expect((await accessRows(sent.id))[2]).toMatchObject({ action: 'view', purpose: 'other', purpose_text: 'Esihenkilön pyytämä tarkistus' });
  });

  it('refuses a read without a valid purpose (400, localized) and logs nothing', async () => {
    const sent = await submit('lastensuojeluilmoitus', notification(false));
    const purposes = 'handling, urgency-assessment, supervision, data-subject-request, other';
    const cases: [Record<string, string>, string, string][] = [
      [{}, 'purpose', 'accessPurpose'],
      [{ purpose: 'curiosity' }, 'purpose', 'accessPurpose'],
      [{ purpose: 'other' }, 'purposeText', 'purposeTextRequired'],
      [{ purpose: 'other', purposeText: '   ' }, 'purposeText', 'textBlank'],
      [{ purpose: 'other', purposeText: 'Tarkistus \u202eesrever' }, 'purposeText', 'textBidi'],
      [{ purpose: 'other', purposeText: 'Rivi\nrivi' }, 'purposeText', 'textLineBreak'],
      [{ purpose: 'other', purposeText: 'x'.repeat(501) }, 'purposeText', 'maxLength'],
    ];
    for (const [query, field, rule] of cases) {
      for (const path of [`/api/v1/inbox/${sent.id}`, `/api/v1/inbox/${sent.id}/pdf`]) {
        const res = await t.http.get(path).query(query).set('Authorization', lsiHandler.auth).set('Accept-Language', 'en');
        expect({ path, query, status: res.status, fields: res.body.fields?.map((x: { field: string; rule: string }) => `${x.field}:${x.rule}`) })
          .toEqual({ path, query, status: 400, fields: [`${field}:${rule}`] });
        expect(JSON.stringify(res.body)).not.toContain(ANSWER_MARKER);
      }
    }
    for (const [lang, words] of [['fi', 'Kerro, mihin tarkoitukseen avaat tiedot'], ['sv', 'Ange för vilket ändamål du öppnar uppgifterna'], ['en', 'State the purpose']] as const) {
      const res = await t.http.get(`/api/v1/inbox/${sent.id}`).set('Authorization', lsiHandler.auth).set('Accept-Language', lang).expect(400);
      expect(res.body.fields[0].message).toBe(interpolate(catalogue(lang).validation.accessPurpose, { values: purposes }));
      expect(res.body.fields[0].message).toContain(words);
    }
    expect(await accessRows(sent.id)).toEqual([]);
  });

  it('fails the read, returning no answers, when its access-log row cannot be written', async () => {
    const sent = await submit('lastensuojeluilmoitus', notification(true));
    await t.db.query(`CREATE FUNCTION refuse_access_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'access log unavailable'; END $$`);
    await t.db.query(`CREATE TRIGGER refuse_access_log BEFORE INSERT ON access_log FOR EACH ROW EXECUTE FUNCTION refuse_access_log()`);
    try {
      const view = await open(lsiHandler.auth, sent.id).expect(500);
      expect(JSON.stringify(view.body)).not.toContain(ANSWER_MARKER);
      expect(view.body.code).toBe('internal');
      const pdf = await t.http.get(`/api/v1/inbox/${sent.id}/pdf`).query({ purpose: 'handling' }).set('Authorization', lsiHandler.auth).buffer(true).parse(binary).expect(500);
      expect(pdf.headers['content-type']).toMatch(/application\/json/);
      expect((pdf.body as Buffer).toString('utf8')).not.toContain(ANSWER_MARKER);
      // A note's log row fails too: the note is not stored.
      await t.http.post(`/api/v1/inbox/${sent.id}/notes`).set('Authorization', lsiHandler.auth).send({ text: NOTE_MARKER }).expect(500);
      expect(await t.db.query(`SELECT id FROM submission_note WHERE submission_id = $1`, [sent.id])).toEqual([]);
      expect(await events(sent.id)).toEqual([]);
    } finally {
      await t.db.query(`DROP TRIGGER refuse_access_log ON access_log`);
      await t.db.query(`DROP FUNCTION refuse_access_log()`);
    }
    expect(await accessRows(sent.id)).toEqual([]);
    await open(lsiHandler.auth, sent.id).expect(200);
    expect(await accessRows(sent.id)).toHaveLength(1);
  });

  it('keeps the access log append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const sent = await submit('lastensuojeluilmoitus', notification(false));
    await open(lsiHandler.auth, sent.id).expect(200);
    const before = await t.db.query(`SELECT * FROM access_log ORDER BY id`);
    expect(before.length).toBeGreaterThan(0);
    await expect(t.db.query(`UPDATE access_log SET purpose = 'supervision' WHERE submission_id = $1`, [sent.id])).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(t.db.query(`UPDATE access_log SET staff_id = $1`, [lsiHandler2.id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM access_log WHERE submission_id = $1`, [sent.id])).rejects.toThrow(/append-only: DELETE refused/);
    await expect(t.db.query(`TRUNCATE access_log`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect(await t.db.query(`SELECT * FROM access_log ORDER BY id`)).toEqual(before);
  });

  it('moves the status one step at a time; closing needs an outcome from the form\'s list', async () => {
    const sent = await submit('lastensuojeluilmoitus', notification(false));
    const status = (body: object, lang = 'en') => t.http.post(`/api/v1/inbox/${sent.id}/status`).set('Authorization', lsiHandler.auth).set('Accept-Language', lang).send(body);
    const state = async () => (await t.db.query(`SELECT status, outcome, status_changed_at, closed_at FROM submission WHERE id = $1`, [sent.id]))[0];

    for (const skip of ['in_progress', 'closed', 'received']) {
      const res = await status({ status: skip, ...(skip === 'closed' ? { outcome: 'assessment-started' } : {}) }).expect(409);
      expect(res.body).toMatchObject({ code: 'invalid_submission_status', message: expect.stringContaining('received, acknowledged, in progress, closed') });
    }
    expect(await state()).toEqual({ status: 'received', outcome: null, status_changed_at: null, closed_at: null });

    t.clock.advanceMinutes(30);
    const acknowledged = await status({ status: 'acknowledged' }).expect(200);
    expect(acknowledged.body).toMatchObject({ id: sent.id, status: 'acknowledged' });
    expect(new Date(acknowledged.body.statusChangedAt)).toEqual(t.clock.now());
    expect(acknowledged.body.statusChangedAt).toMatch(/\+02:00$/);
    await status({ status: 'acknowledged' }).expect(409);
    const early = await status({ status: 'in_progress', outcome: 'assessment-started' }).expect(400);
    expect(early.body.fields).toEqual([expect.objectContaining({ field: 'outcome', rule: 'outcomeOnlyWhenClosing' })]);
    await status({ status: 'in_progress' }).expect(200);

    const missing = await status({ status: 'closed' }, 'fi').expect(400);
    expect(missing.body.fields).toEqual([
      { field: 'outcome', rule: 'outcomeRequired', message: 'Valitse käsittelyn tulos, kun suljet asian: assessment-started, existing-client, no-further-action, transferred.' },
    ]);
    const unknown = await status({ status: 'closed', outcome: 'handled' }).expect(400);
    expect(unknown.body.fields).toEqual([expect.objectContaining({ field: 'outcome', rule: 'isIn' })]);
    await status({ status: 'closed', outcome: 'Ei Koodi' }).expect(400);
    expect((await state()).status).toBe('in_progress');

    t.clock.advanceMinutes(60);
    const closed = await status({ status: 'closed', outcome: 'no-further-action' }).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'no-further-action' });
    expect(await state()).toEqual({ status: 'closed', outcome: 'no-further-action', status_changed_at: t.clock.now(), closed_at: t.clock.now() });
    for (const next of ['received', 'acknowledged', 'in_progress', 'closed']) await status({ status: next, ...(next === 'closed' ? { outcome: 'transferred' } : {}) }).expect(409);

    expect((await events(sent.id)).map((e: { action: string; detail: object; actor_id: string; unit_id: string }) => [e.action, e.detail, e.actor_id, e.unit_id])).toEqual([
      ['status', { from: 'received', to: 'acknowledged' }, lsiHandler.id, lsi],
      ['status', { from: 'acknowledged', to: 'in_progress' }, lsiHandler.id, lsi],
      ['status', { from: 'in_progress', to: 'closed', outcome: 'no-further-action' }, lsiHandler.id, lsi],
    ]);
    const detail = await open(lsiHandler.auth, sent.id).expect(200);
    expect(detail.body.history.map((h: { action: string; actor: { name: string } }) => [h.action, h.actor.name])).toEqual([
      ['status', personName('Hoitaja', 'lsi.kasittelija')], ['status', personName('Hoitaja', 'lsi.kasittelija')], ['status', personName('Hoitaja', 'lsi.kasittelija')],
    ]);
    // Another unit's handler cannot move it.
    await t.http.post(`/api/v1/inbox/${sent.id}/status`).set('Authorization', apuHandler.auth).send({ status: 'acknowledged' }).expect(404);
  });

  it('closes with the form\'s own outcome list when its definition has one; a repeated outcome fails the linter', async () => {
    const definition = JSON.parse(readFileSync(join(ROOT, 'form-definitions', 'pyyda-apua', '1.json'), 'utf8'));
    definition.id = 'pyyda-apua-koulu';
    const outcomes = [
      { value: 'ohjattu-kuraattorille', label: { fi: 'Ohjattu kuraattorille', sv: 'Hänvisad till kuratorn', en: 'Referred to the school social worker' } },
      { value: 'ratkaistu', label: { fi: 'Ratkaistu', sv: 'Löst', en: 'Resolved' } },
    ];
    const repeated = await t.http.post('/api/v1/admin/forms').set('Authorization', admin).set('Accept-Language', 'en')
      .send({ ...definition, handling: { ...definition.handling, outcomes: [...outcomes, outcomes[1]] } }).expect(422);
    expect(repeated.body.fields).toEqual([expect.objectContaining({ field: '/handling/outcomes/2/value', message: expect.stringContaining('outcome-unique') })]);
    const unlabelled = await t.http.post('/api/v1/admin/forms').set('Authorization', admin).set('Accept-Language', 'en')
      .send({ ...definition, handling: { outcomes: [{ value: 'ratkaistu', label: { fi: 'Ratkaistu' } }] } }).expect(422);
    expect(unlabelled.body.code).toBe('form_lint_failed');

    await t.http.post('/api/v1/admin/forms').set('Authorization', admin).send({ ...definition, handling: { ...definition.handling, outcomes } }).expect(201);
    await t.http.post('/api/v1/admin/forms/pyyda-apua-koulu/1/publish').set('Authorization', admin).expect(201);
    const sent = await submit('pyyda-apua-koulu', helpRequest());
    for (const step of ['acknowledged', 'in_progress']) await t.http.post(`/api/v1/inbox/${sent.id}/status`).set('Authorization', apuHandler.auth).send({ status: step }).expect(200);
    const detail = await open(apuHandler.auth, sent.id).set('Accept-Language', 'sv').expect(200);
    expect(detail.body.outcomes).toEqual([{ value: 'ohjattu-kuraattorille', label: 'Hänvisad till kuratorn' }, { value: 'ratkaistu', label: 'Löst' }]);
    // The default list of help requests does not apply to this form.
    await t.http.post(`/api/v1/inbox/${sent.id}/status`).set('Authorization', apuHandler.auth).send({ status: 'closed', outcome: 'guidance-given' }).expect(400);
    await t.http.post(`/api/v1/inbox/${sent.id}/status`).set('Authorization', apuHandler.auth).send({ status: 'closed', outcome: 'ratkaistu' }).expect(200);
  });

  it('assigns only to handlers of the submission\'s unit', async () => {
    const sent = await submit('lastensuojeluilmoitus', notification(false));
    const assign = (staffId: string | null, who = lsiHandler.auth) => t.http.post(`/api/v1/inbox/${sent.id}/assign`).set('Authorization', who).send({ staffId });
    const assignee = async () => (await t.db.query(`SELECT assigned_to FROM submission WHERE id = $1`, [sent.id]))[0].assigned_to;

    const done = await assign(lsiHandler2.id).expect(200);
    expect(done.body.assignedTo).toEqual({ id: lsiHandler2.id, name: personName('Hoitaja', 'lsi.toinen') });
    expect((await inbox(lsiHandler2.auth, { assignedToMe: 'true' })).items.map((i) => i.id)).toEqual([sent.id]);
    expect((await inbox(lsiHandler.auth, { assignedToMe: 'true' })).items).toEqual([]);

    // Not a handler of this unit: a calendar member of it, another unit's handler, an admin, nobody at all.
    for (const other of [lsiCalendar.id, apuHandler.id, (await t.db.query(`SELECT id FROM staff WHERE email = 'admin@test.fi'`))[0].id, '00000000-0000-4000-8000-000000000000']) {
      const res = await assign(other).set('Accept-Language', 'en').expect(403);
      expect(res.body).toMatchObject({ code: 'assignee_not_handler', message: 'A submission can be assigned only to a handler of its unit.' });
    }
    expect(await assignee()).toBe(lsiHandler2.id);
    // Another unit's handler cannot assign it, not even to themself.
    await assign(apuHandler.id, apuHandler.auth).expect(404);
    await assign('kuka-tahansa').expect(400);
    await t.http.post(`/api/v1/inbox/${sent.id}/assign`).set('Authorization', lsiHandler.auth).send({}).expect(400);

    await assign(lsiHandler.id).expect(200);
    await assign(null).expect(200);
    expect(await assignee()).toBeNull();
    // A deactivated handler cannot be given work.
    await t.http.patch(`/api/v1/staff/${lsiHandler2.id}`).set('Authorization', admin).send({ active: false }).expect(200);
    await assign(lsiHandler2.id).expect(403);
    await t.http.patch(`/api/v1/staff/${lsiHandler2.id}`).set('Authorization', admin).send({ active: true }).expect(200);
    lsiHandler2.auth = await login(t, lsiHandler2.email);

    expect((await events(sent.id)).map((e: { action: string; detail: object }) => [e.action, e.detail])).toEqual([
      ['assign', { fromStaffId: null, toStaffId: lsiHandler2.id }],
      ['assign', { fromStaffId: lsiHandler2.id, toStaffId: lsiHandler.id }],
      ['assign', { fromStaffId: lsiHandler.id, toStaffId: null }],
    ]);
  });

  it('keeps notes sealed at rest and shows them in the detail view, each read logged with the view', async () => {
    const sent = await submit('lastensuojeluilmoitus', notification(false));
    const text = `Soitin koululle.\r\n${NOTE_MARKER}\tjatkuu`;
    const note = await t.http.post(`/api/v1/inbox/${sent.id}/notes`).set('Authorization', lsiHandler.auth).send({ text: `  ${text}  ` }).expect(201);
    expect(note.body).toMatchObject({ text: `Soitin koululle.\n${NOTE_MARKER}\tjatkuu`, staff: { id: lsiHandler.id }, unit: { id: lsi, code: 'lastensuojelu-ilmoitukset' } });
    const rows = await t.db.query(`SELECT row_to_json(n)::text AS row FROM submission_note n WHERE submission_id = $1`, [sent.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].row).not.toContain(NOTE_MARKER);
    expect(rows[0].row).not.toContain('Soitin');
    expect(await accessRows(sent.id)).toEqual([expect.objectContaining({ staff_id: lsiHandler.id, action: 'note', purpose: 'handling' })]);
    expect(await events(sent.id)).toEqual([expect.objectContaining({ action: 'note', detail: { noteId: note.body.id } })]);

    for (const bad of ['', '   ', 'Kello\u0007', 'Suunta \u202d', 'x'.repeat(4001)]) {
      await t.http.post(`/api/v1/inbox/${sent.id}/notes`).set('Authorization', lsiHandler.auth).send({ text: bad }).expect(400);
    }
    await t.http.post(`/api/v1/inbox/${sent.id}/notes`).set('Authorization', apuHandler.auth).send({ text: 'Vieras' }).expect(404);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM submission_note WHERE submission_id = $1`, [sent.id])).toEqual([{ n: 1 }]);

    // A message from the sender (sealed as the receipt flow stores it) is opened with the notes.
    const sealed = t.app.get(Envelope).seal(`Lisätietoa. ${MESSAGE_MARKER}`);
    await t.db.query(`INSERT INTO submission_message (submission_id, at, direction, key_id, wrapped_key, payload) VALUES ($1, $2, 'sender', $3, $4, $5)`,
      [sent.id, t.clock.now(), sealed.keyId, sealed.wrappedKey, sealed.payload]);
    const detail = await open(lsiHandler2.auth, sent.id, { purpose: 'supervision' }).expect(200);
    expect(detail.body.notes).toEqual([expect.objectContaining({ text: `Soitin koululle.\n${NOTE_MARKER}\tjatkuu`, staff: { id: lsiHandler.id, name: personName('Hoitaja', 'lsi.kasittelija') } })]);
    expect(detail.body.messages).toEqual([expect.objectContaining({ direction: 'sender', staff: null, text: `Lisätietoa. ${MESSAGE_MARKER}` })]);
    expect((await accessRows(sent.id)).map((r: { action: string; staff_id: string }) => [r.action, r.staff_id])).toEqual([['note', lsiHandler.id], ['view', lsiHandler2.id]]);
  });

  it('forwards to another unit: access moves at once, both units keep it in their history', async () => {
    const sent = await submit('lastensuojeluilmoitus', notification(false));
    await t.http.post(`/api/v1/inbox/${sent.id}/status`).set('Authorization', lsiHandler.auth).send({ status: 'acknowledged' }).expect(200);
    await t.http.post(`/api/v1/inbox/${sent.id}/assign`).set('Authorization', lsiHandler.auth).send({ staffId: lsiHandler.id }).expect(200);
    const forward = (body: object, who = lsiHandler.auth) => t.http.post(`/api/v1/inbox/${sent.id}/forward`).set('Authorization', who).send(body);

    expect((await forward({ unitId: lsi, reason: 'Sama' }).expect(409)).body.code).toBe('already_in_unit');
    expect((await forward({ unitId: '00000000-0000-4000-8000-000000000000', reason: 'Ei ole' }).expect(422)).body.code).toBe('unknown_reference');
    await forward({ unitId: apu }).expect(400);
    await forward({ unitId: apu, reason: 'Syy' }, apuHandler.auth).expect(404);

    t.clock.advanceMinutes(15);
    const moved = await forward({ unitId: apu, reason: `Perhe asiakkaana perheneuvonnassa. ${REASON_MARKER}` }).expect(200);
    expect(moved.body).toMatchObject({ id: sent.id, reference: sent.reference, status: 'received', unit: { id: apu, code: 'perheneuvonta' } });
    expect(new Date(moved.body.forwardedAt)).toEqual(t.clock.now());

    // The unit it left: no access, at once; its history still shows where it went.
    await open(lsiHandler.auth, sent.id).expect(404);
    await t.http.post(`/api/v1/inbox/${sent.id}/notes`).set('Authorization', lsiHandler.auth).send({ text: 'Myöhässä' }).expect(404);
    expect((await inbox(lsiHandler.auth)).items.map((i) => i.id)).not.toContain(sent.id);
    const away = await t.http.get('/api/v1/inbox/forwarded').set('Authorization', lsiHandler.auth).expect(200);
    expect(away.body.items).toContainEqual({
      reference: sent.reference, form: { id: 'lastensuojeluilmoitus', version: 2 }, priority: 'normal', submittedAt: expect.any(String),
      forwardedAt: moved.body.forwardedAt, from: { id: lsi, code: 'lastensuojelu-ilmoitukset' }, to: { id: apu, code: 'perheneuvonta' },
      by: { id: lsiHandler.id, name: personName('Hoitaja', 'lsi.kasittelija') },
    });
    expect((await t.http.get('/api/v1/inbox/forwarded').set('Authorization', apuHandler.auth).expect(200)).body.items.map((i: { reference: string }) => i.reference))
      .not.toContain(sent.reference);

    // The unit it reached: a fresh item there, with the reason among the notes and the whole history.
    const theirs = await inbox(apuHandler.auth);
    expect(theirs.items.find((i) => i.id === sent.id)).toMatchObject({ status: 'received', assignedTo: null, unit: { id: apu } });
    const detail = await open(apuHandler.auth, sent.id).expect(200);
    expect(detail.body.notes).toEqual([expect.objectContaining({ text: `Perhe asiakkaana perheneuvonnassa. ${REASON_MARKER}`, unit: { id: lsi, code: 'lastensuojelu-ilmoitukset' } })]);
    expect(detail.body.history.map((h: { action: string; detail: object }) => [h.action, h.detail])).toEqual([
      ['status', { from: 'received', to: 'acknowledged' }],
      ['assign', { fromStaffId: null, toStaffId: lsiHandler.id }],
      ['forward', { fromUnitId: lsi, toUnitId: apu, fromStatus: 'acknowledged', noteId: detail.body.notes[0].id }],
    ]);
    expect(JSON.stringify(await events(sent.id))).not.toContain(REASON_MARKER);
    expect(JSON.stringify(await t.db.query(`SELECT row_to_json(n)::text FROM submission_note n WHERE submission_id = $1`, [sent.id]))).not.toContain(REASON_MARKER);
    expect((await accessRows(sent.id)).map((r: { action: string; staff_id: string; unit_id: string }) => [r.action, r.staff_id, r.unit_id])).toEqual([
      ['forward', lsiHandler.id, lsi], ['view', apuHandler.id, apu],
    ]);

    // A closed submission stays where it was closed.
    for (const step of [{ status: 'acknowledged' }, { status: 'in_progress' }, { status: 'closed', outcome: 'handled' }]) {
      await t.http.post(`/api/v1/inbox/${sent.id}/status`).set('Authorization', apuHandler.auth).send(step).expect(step.status === 'closed' ? 400 : 200);
    }
    await t.http.post(`/api/v1/inbox/${sent.id}/status`).set('Authorization', apuHandler.auth).send({ status: 'closed', outcome: 'transferred' }).expect(200);
    expect((await forward({ unitId: third, reason: 'Vielä' }, apuHandler.auth).expect(409)).body.code).toBe('submission_closed');
    expect((await t.http.post(`/api/v1/inbox/${sent.id}/assign`).set('Authorization', apuHandler.auth).send({ staffId: apuHandler.id }).expect(409)).body.code)
      .toBe('submission_closed');
  });

  it('lets admins read the access log by submission, staff and period, and export one submission\'s log (itself logged)', async () => {
    const sent = await submit('pyyda-apua', helpRequest());
    await open(apuHandler.auth, sent.id, { purpose: 'handling' }).expect(200);
    t.clock.advanceMinutes(24 * 60);
    await signInAgain();
    const nextDay = t.clock.now();
    await open(apuHandler.auth, sent.id, { purpose: 'supervision' }).expect(200);
    await t.http.get(`/api/v1/inbox/${sent.id}/pdf`).query({ purpose: 'other', purposeText: 'Tulostus kokoukseen' }).set('Authorization', apuHandler.auth).expect(200);

    const log = async (query: Record<string, string>) => (await t.http.get('/api/v1/admin/access-log').query(query).set('Authorization', admin).expect(200)).body;
    const bySubmission = await log({ submission: sent.id });
    expect(bySubmission).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(bySubmission.items.map((r: { action: string; purpose: string }) => [r.action, r.purpose])).toEqual([['pdf', 'other'], ['view', 'supervision'], ['view', 'handling']]);
    expect(bySubmission.items[0]).toMatchObject({
      staff: { id: apuHandler.id, name: personName('Hoitaja', 'apu.kasittelija') }, unit: { id: apu, code: 'perheneuvonta' }, submission: { id: sent.id, reference: sent.reference },
      purposeText: 'Tulostus kokoukseen', at: expect.stringMatching(/\+02:00$/),
    });
    const day = nextDay.toISOString().slice(0, 10);
    expect((await log({ submission: sent.id, from: day })).items.map((r: { action: string }) => r.action)).toEqual(['pdf', 'view']);
    expect((await log({ submission: sent.id, to: '2026-03-02' })).items.map((r: { purpose: string }) => r.purpose)).toEqual(['handling']);
    expect((await log({ submission: sent.id, from: '2026-03-03T00:00:00+02:00', to: '2026-03-04T00:00:00+02:00' })).total).toBe(2);
    expect((await log({ staff: apuHandler.id })).items.every((r: { staff: { id: string } }) => r.staff.id === apuHandler.id)).toBe(true);
    expect((await log({ staff: lsiCalendar.id })).items).toEqual([]);
    expect((await log({ submission: sent.id, limit: '1', offset: '2' })).items.map((r: { purpose: string }) => r.purpose)).toEqual(['handling']);
    await t.http.get('/api/v1/admin/access-log').query({ from: 'eilen' }).set('Authorization', admin).expect(400);

    const exported = await t.http.get('/api/v1/admin/access-log/export').query({ submission: sent.id }).set('Authorization', admin).expect(200);
    expect(exported.body.submission).toMatchObject({ id: sent.id, reference: sent.reference, form: { id: 'pyyda-apua', version: 2 }, unit: { id: apu, code: 'perheneuvonta' } });
    expect(exported.body.entries.map((r: { action: string; purpose: string; unit: unknown }) => [r.action, r.purpose, r.unit === null])).toEqual([
      ['view', 'handling', false], ['view', 'supervision', false], ['pdf', 'other', false], ['export', 'data-subject-request', true],
    ]);
    const adminId = (await t.db.query(`SELECT id FROM staff WHERE email = 'admin@test.fi'`))[0].id;
    expect((await accessRows(sent.id)).at(-1)).toEqual({ staff_id: adminId, unit_id: null, action: 'export', purpose: 'data-subject-request', purpose_text: null, at: nextDay });

    // Unknown submissions are 404 and leave no row; staff, handlers included, cannot read or export the log.
    const count = async () => (await t.db.query(`SELECT count(*)::int AS n FROM access_log`))[0].n;
    const before = await count();
    await t.http.get('/api/v1/admin/access-log/export').query({ submission: '00000000-0000-4000-8000-000000000000' }).set('Authorization', admin).expect(404);
    await t.http.get('/api/v1/admin/access-log/export').set('Authorization', admin).expect(400);
    for (const path of ['/api/v1/admin/access-log', '/api/v1/admin/access-log/export', '/api/v1/admin/submissions']) {
      await t.http.get(path).query({ submission: sent.id }).set('Authorization', apuHandler.auth).expect(403);
    }
    expect(await count()).toBe(before);
  });

  it('shows admins metadata only: no route of theirs carries an answer, a note or a message', async () => {
    const sent = await submit('lastensuojeluilmoitus', notification(true));
    await t.http.post(`/api/v1/inbox/${sent.id}/notes`).set('Authorization', lsiHandler.auth).send({ text: NOTE_MARKER }).expect(201);
    const sealed = t.app.get(Envelope).seal(MESSAGE_MARKER);
    await t.db.query(`INSERT INTO submission_message (submission_id, at, direction, staff_id, unit_id, key_id, wrapped_key, payload) VALUES ($1, $2, 'handler', $3, $4, $5, $6, $7)`,
      [sent.id, t.clock.now(), lsiHandler.id, lsi, sealed.keyId, sealed.wrappedKey, sealed.payload]);
    await open(lsiHandler.auth, sent.id).expect(200);

    const list = await t.http.get('/api/v1/admin/submissions').query({ reference: sent.reference }).set('Authorization', admin).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({
      id: sent.id, reference: sent.reference, status: 'received', priority: 'urgent', form: expect.objectContaining({ id: 'lastensuojeluilmoitus' }),
      unit: expect.objectContaining({ id: lsi }), submittedAt: expect.stringMatching(/\+02:00$/),
    })]);
    expect((await t.http.get('/api/v1/admin/submissions').query({ unit: apu, status: 'closed' }).set('Authorization', admin).expect(200)).body.items
      .every((i: Item) => i.unit?.id === apu && i.status === 'closed')).toBe(true);
    expect((await t.http.get('/api/v1/admin/submissions').query({ purpose: 'help-request', limit: '1' }).set('Authorization', admin).expect(200)).body.items).toHaveLength(1);

    const adminGets = [
      '/api/v1/admin/submissions', `/api/v1/admin/submissions?reference=${sent.reference}`, `/api/v1/admin/access-log?submission=${sent.id}`, '/api/v1/admin/access-log',
      `/api/v1/admin/access-log/export?submission=${sent.id}`, '/api/v1/staff', '/api/v1/units', '/api/v1/admin/forms', '/api/v1/admin/outbox', '/api/v1/admin/services',
      '/api/v1/inbox', '/api/v1/inbox/forwarded',
    ];
    for (const path of adminGets) {
      const res = await t.http.get(path).set('Authorization', admin).expect(200);
      const text = JSON.stringify(res.body);
      for (const marker of [ANSWER_MARKER, NOTE_MARKER, MESSAGE_MARKER]) expect({ path, leaked: text.includes(marker) ? marker : null }).toEqual({ path, leaked: null });
    }
    // Nothing that opens content answers an administrator who is not a handler of the unit.
    await open(admin, sent.id).expect(404);
    await t.http.get(`/api/v1/inbox/${sent.id}/pdf`).query({ purpose: 'handling' }).set('Authorization', admin).expect(404);
    await t.http.get(`/api/v1/admin/submissions/${sent.id}/pdf`).set('Authorization', admin).expect(404);
    await t.http.post(`/api/v1/inbox/${sent.id}/notes`).set('Authorization', admin).send({ text: 'Ylläpito' }).expect(404);
  });

  it('reads pre-information only through its appointment: it goes to the appointment\'s unit and into no inbox', async () => {
    const school = await f.unit('koulu-x');
    const nurse = await f.staff('hoitaja.x@test.fi', [school], ['fi'], [school]);
    const service = await f.service(school, { preInformationForm: 'esitiedot-kouluterveydenhuolto' });
    await f.hours(nurse, service, WEEKDAYS, '08:00', '12:00');
    const [slot] = await f.slots(service, '2026-03-10', '2026-03-10');
    const booked = (await f.book(slot.id).expect(201)).body;
    const sent = await t.http.post(`/api/v1/appointments/${booked.appointment.id}/pre-information`).set('X-Pre-Information-Token', booked.preInformation.token)
      .send({ language: 'fi', answers: { ...KOULUTERVEYS, worries: ANSWER_MARKER } }).expect(201);
    const [row] = await t.db.query(`SELECT unit_id, unit_code FROM submission WHERE id = $1`, [sent.body.id]);
    expect(row).toEqual({ unit_id: school, unit_code: 'koulu-x' });
    const nurseAuth = await login(t, 'hoitaja.x@test.fi');
    expect((await inbox(nurseAuth)).items).toEqual([]);
    await open(nurseAuth, sent.body.id).expect(404);
    expect(JSON.stringify((await t.http.get(`/api/v1/staff/appointments/${booked.appointment.id}`).set('Authorization', nurseAuth).expect(200)).body)).toContain(ANSWER_MARKER);
  });

  describe('roles per unit', () => {
    it('shows each unit of a staff member with its roles; unitIds and handlerUnitIds each set their own role', async () => {
      const created = await t.http.post('/api/v1/staff').set('Authorization', admin).send({
        email: 'molemmat@test.fi', name: 'Molemmat Roolit', password: 'correct-horse-battery', roles: ['staff'], languages: ['fi'], unitIds: [lsi, third], handlerUnitIds: [lsi],
      }).expect(201);
      const roles = (body: { units: { code: string; roles: string[] }[] }) => body.units.map((u) => `${u.code}:${u.roles.join('+')}`);
      expect(roles(created.body)).toEqual(['kolmas-yksikko:calendar', 'lastensuojelu-ilmoitukset:calendar+handler']);
      expect(created.body).toMatchObject({ unitIds: expect.arrayContaining([lsi, third]), handlerUnitIds: [lsi], notifyNewSubmissions: true });
      expect(created.body).not.toHaveProperty('passwordHash');

      // Only the calendar units change; the handler role stays.
      const calendarOnly = await t.http.patch(`/api/v1/staff/${created.body.id}`).set('Authorization', admin).send({ unitIds: [] }).expect(200);
      expect(roles(calendarOnly.body)).toEqual(['lastensuojelu-ilmoitukset:handler']);
      const auth = await login(t, 'molemmat@test.fi');
      expect((await inbox(auth)).total).toBeGreaterThan(0);
      // The calendar role is gone: booking code sees no units of this person.
      expect((await t.http.get('/api/v1/staff/me').set('Authorization', auth).expect(200)).body).toMatchObject({ unitIds: [], handlerUnitIds: [lsi] });

      // Taking the handler role takes the inbox away at the next request.
      const none = await t.http.patch(`/api/v1/staff/${created.body.id}`).set('Authorization', admin).send({ handlerUnitIds: [], unitIds: [apu] }).expect(200);
      expect(roles(none.body)).toEqual(['perheneuvonta:calendar']);
      expect((await inbox(auth)).items).toEqual([]);
      await t.http.patch(`/api/v1/staff/${created.body.id}`).set('Authorization', admin).send({ handlerUnitIds: ['00000000-0000-4000-8000-000000000000'] }).expect(422);
      expect(roles((await t.http.get(`/api/v1/staff/${created.body.id}`).set('Authorization', admin).expect(200)).body)).toEqual(['perheneuvonta:calendar']);
      const refused = await t.http.post('/api/v1/staff').set('Authorization', admin).set('Accept-Language', 'en').send({
        email: 'orpo@test.fi', name: 'Orpo', password: 'correct-horse-battery', roles: ['staff'], languages: ['fi'], unitIds: [], handlerUnitIds: ['00000000-0000-4000-8000-000000000000'],
      }).expect(422);
      expect(refused.body.message).toBe('The referenced item does not exist: handlerUnitIds.');
      expect(await t.db.query(`SELECT id FROM staff WHERE email = 'orpo@test.fi'`)).toEqual([]);
    });

    it('lets staff choose whether to be e-mailed about new submissions, and admins set it too', async () => {
      expect((await t.http.get('/api/v1/staff/me').set('Authorization', apuHandler.auth).expect(200)).body.notifyNewSubmissions).toBe(true);
      const off = await t.http.patch('/api/v1/staff/me/preferences').set('Authorization', apuHandler.auth).send({ notifyNewSubmissions: false }).expect(200);
      expect(off.body).toMatchObject({ id: apuHandler.id, notifyNewSubmissions: false });
      expect((await t.db.query(`SELECT notify_new_submissions FROM staff WHERE id = $1`, [apuHandler.id]))[0].notify_new_submissions).toBe(false);
      await t.http.patch('/api/v1/staff/me/preferences').set('Authorization', apuHandler.auth).send({ notifyNewSubmissions: 'no' }).expect(400);
      await t.http.patch('/api/v1/staff/me/preferences').set('Authorization', apuHandler.auth).send({ roles: ['admin'] }).expect(400);
      expect((await t.http.get('/api/v1/staff/me').set('Authorization', apuHandler.auth).expect(200)).body).toMatchObject({ roles: ['staff'], notifyNewSubmissions: false });
      const on = await t.http.patch(`/api/v1/staff/${apuHandler.id}`).set('Authorization', admin).send({ notifyNewSubmissions: true }).expect(200);
      expect(on.body.notifyNewSubmissions).toBe(true);
      await t.http.patch(`/api/v1/staff/${apuHandler.id}`).set('Authorization', apuHandler.auth).send({ notifyNewSubmissions: false }).expect(403);
    });

    it('creates handlers on the command line with --handler-unit', async () => {
      const env = cleanEnv({ DATABASE_URL: t.databaseUrl, DATA_DIR: process.env.DATA_DIR!, LOG_LEVEL: 'silent' });
      const [created, unknown] = await Promise.all([
        runToEnd(CLI_MAIN, [
          'staff:create', '--email', 'komento.kasittelija@test.fi', '--name', 'Komento Käsittelijä', '--password', 'correct-horse-battery',
          '--unit', 'perheneuvonta', '--handler-unit', 'perheneuvonta', '--handler-unit', 'lastensuojelu-ilmoitukset',
        ], env, 90_000),
        runToEnd(CLI_MAIN, ['staff:create', '--email', 'ei@test.fi', '--name', 'Ei', '--password', 'correct-horse-battery', '--handler-unit', 'ei-ole'], env, 90_000),
      ]);
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/^created staff [0-9a-f-]{36} <komento\.kasittelija@test\.fi> roles=staff units=lastensuojelu-ilmoitukset:handler,perheneuvonta:calendar\+handler$/m);
      const auth = await login(t, 'komento.kasittelija@test.fi');
      const units = (await inbox(auth)).items.map((i) => i.unit?.code);
      expect(new Set(units)).toEqual(new Set(['lastensuojelu-ilmoitukset', 'perheneuvonta']));

      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('unknown unit code: ei-ole');
      expect(await t.db.query(`SELECT id FROM staff WHERE email = 'ei@test.fi'`)).toEqual([]);
    });
  });
});

describe('a submission no unit can receive', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING) });
  });
  afterAll(() => t.close());

  it('is refused before anything is stored, telling the sender whom to call, or 112; the demo\'s handlers then receive it', async () => {
    for (const language of ['fi', 'sv', 'en'] as const) {
      for (const [form, answers] of [['pyyda-apua', PYYDA_APUA], ['lastensuojeluilmoitus', LSI_ANONYMOUS]] as const) {
        const res = await t.http.post(`/api/v1/forms/${form}/submissions`).set('Accept-Language', language).send({ language, answers }).expect(422);
        expect(res.body).toMatchObject({ code: 'no_receiving_unit', message: catalogue(language).errors.no_receiving_unit });
        expect(res.body.message).toContain('112');
      }
    }
    expect(await t.db.query(`SELECT count(*)::int AS n FROM submission`)).toEqual([{ n: 0 }]);

    // The demo data has a handler in each receiving unit.
    await t.app.get(DemoSeeder).seed();
    const handlers = DEMO_ACCOUNTS.filter((a) => a.handlerUnits.length);
    expect(handlers.map((a) => [a.email, a.handlerUnits])).toEqual([
      ['sosiaalityontekija.lahti@demo.perhe.fi', ['lastensuojelu-ilmoitukset', 'lastensuojelu-lansi-uusimaa']],
      ['perheneuvoja.niemi@demo.perhe.fi', ['perheneuvonta', 'perheneuvonta-lansi']],
      ['perheneuvoja.ek@demo.perhe.fi', ['perheneuvonta-ita']],
    ]);
    const help = await t.http.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: PYYDA_APUA }).expect(201);
    const notification = await t.http.post('/api/v1/forms/lastensuojeluilmoitus/submissions').send({ language: 'fi', answers: LSI_ANONYMOUS }).expect(201);
    for (const [account, expected] of [[handlers[0], notification.body.id], [handlers[1], help.body.id]] as const) {
      const signedIn = await t.http.post('/api/v1/auth/login').send({ email: account.email, password: DEMO_PASSWORD }).expect(200);
      const list = await t.http.get('/api/v1/inbox').set('Authorization', `Bearer ${signedIn.body.token}`).expect(200);
      expect(list.body.items.map((i: Item) => i.id)).toEqual([expected]);
    }
  });
});

describe('the delivery migration on existing data', () => {
  it('makes every membership a calendar one and gives submissions their unit\'s id, received', async () => {
    const adminUrl = process.env.TEST_ADMIN_DATABASE_URL!;
    const name = `m_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = withDatabase(adminUrl, name);
    const migrate = async (list: typeof migrations) => {
      const ds = new DataSource({ type: 'postgres', url, migrations: list, migrationsTransactionMode: 'each' });
      await ds.initialize();
      try {
        await ds.runMigrations();
      } finally {
        await ds.destroy();
      }
    };
    const db = new Client({ connectionString: url });
    try {
      const delivery = migrations.findIndex((m) => m.name === 'Delivery1764230000000');
      expect(delivery).toBeGreaterThan(0);
      await migrate(migrations.slice(0, delivery));
      await db.connect();
      const [{ id: unit }] = (await db.query(`INSERT INTO unit (code, name) VALUES ('perheneuvonta', '{"fi":"P","sv":"P","en":"P"}') RETURNING id`)).rows;
      const [{ id: staff }] = (await db.query(`INSERT INTO staff (email, name, password_hash) VALUES ('vanha@test.fi', 'Vanha', 'x') RETURNING id`)).rows;
      await db.query(`INSERT INTO staff_unit (staff_id, unit_id) VALUES ($1, $2)`, [staff, unit]);
      await db.query(`INSERT INTO form_definition (form_id, version, status, purpose, definition, content_hash, source, created_at)
                      VALUES ('pyyda-apua', 1, 'published', 'help-request', '{}', 'h', 'file', now())`);
      for (const [reference, code] of [['APU-2026-AAAAAAAA', 'perheneuvonta'], ['APU-2026-BBBBBBBB', 'ei-enaa']]) {
        await db.query(
          `INSERT INTO submission (reference, form_id, form_version, purpose, language, submitted_at, identified, unit_code, priority, receipt_hash, key_id, wrapped_key, payload, retain_until)
           VALUES ($1, 'pyyda-apua', 1, 'help-request', 'fi', now(), false, $2, 'normal', $1, 'k', 'w', 'p', now())`,
          [reference, code],
        );
      }
      await migrate(migrations);
      expect((await db.query(`SELECT staff_id, unit_id, roles FROM staff_unit`)).rows).toEqual([{ staff_id: staff, unit_id: unit, roles: ['calendar'] }]);
      expect((await db.query(`SELECT notify_new_submissions FROM staff`)).rows).toEqual([{ notify_new_submissions: true }]);
      expect((await db.query(`SELECT reference, unit_id, status, assigned_to, outcome FROM submission ORDER BY reference`)).rows).toEqual([
        { reference: 'APU-2026-AAAAAAAA', unit_id: unit, status: 'received', assigned_to: null, outcome: null },
        { reference: 'APU-2026-BBBBBBBB', unit_id: null, status: 'received', assigned_to: null, outcome: null },
      ]);
      // A membership needs a role, and only known ones.
      await expect(db.query(`UPDATE staff_unit SET roles = '{}'`)).rejects.toThrow(/staff_unit_roles/);
      await expect(db.query(`UPDATE staff_unit SET roles = '{calendar,owner}'`)).rejects.toThrow(/staff_unit_roles/);
    } finally {
      await db.end().catch(() => undefined);
      await admin.query(`DROP DATABASE ${name}`);
      await admin.end();
    }
  });
});
