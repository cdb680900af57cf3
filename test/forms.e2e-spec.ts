import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { TestClock } from '@app/platform';
import { DraftsService, FormDefinitionsService, SubmissionsService } from '@app/forms';
import { BookingFixture, WEEKDAYS } from './support/booking-fixture';
import { KOULUTERVEYS, LASTENVALVOJA, LSI_ANONYMOUS, LSI_PROFESSIONAL, PYYDA_APUA } from './support/forms-examples';
import { pdfText } from './support/pdf-text';
import { CLI_MAIN, ROOT, cleanEnv, runToEnd } from './support/spawned';
import { type TestApp, createAccount, login, startApp } from './support/test-app';

const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';
const definitionFile = (id: string, version = 1) => JSON.parse(readFileSync(join(ROOT, 'form-definitions', id, `${version}.json`), 'utf8'));

/** Reads a binary response body. */
function binary(res: Response, callback: (error: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('forms', () => {
  let t: TestApp;
  let admin: string;
  /** A handler of the unit child-welfare notifications are routed to. */
  let handler: string;
  const submit = (id: string, answers: Record<string, unknown>, extra: Record<string, unknown> = {}, lang = 'fi') =>
    t.http.post(`/api/v1/forms/${id}/submissions`).set('Accept-Language', lang).send({ language: 'fi', answers, ...extra });

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING) });
    await createAccount(t, 'admin@test.fi', ['admin']);
    admin = await login(t, 'admin@test.fi');
    const units: Record<string, string> = {};
    for (const code of ['kouluterveys-keskusta', 'lastenvalvojat', 'lastensuojelu-ilmoitukset', 'perheneuvonta', 'perheneuvonta-lansi', 'perheneuvonta-ita', 'lastensuojelu-lansi-uusimaa']) {
      units[code] = (await t.http.post('/api/v1/units').set('Authorization', admin).send({ code, name: { fi: code, sv: code, en: code } }).expect(201)).body.id;
    }
    await createAccount(t, 'kasittelija@test.fi', ['staff'], [], ['fi'], [units['lastensuojelu-ilmoitukset']]);
    handler = await login(t, 'kasittelija@test.fi');
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set(MONDAY_MORNING));

  it('loads the four shipped forms as published and serves them localized', async () => {
    const list = await t.http.get('/api/v1/admin/forms').set('Authorization', admin).expect(200);
    expect(list.body.map((f: { id: string; version: number; status: string }) => `${f.id}@${f.version}:${f.status}`)).toEqual(
      ['esitiedot-kouluterveydenhuolto', 'esitiedot-lastenvalvoja', 'lastensuojeluilmoitus', 'pyyda-apua'].flatMap((id) => [`${id}@1:published`, `${id}@2:published`]),
    );
    const sv = await t.http.get('/api/v1/forms/pyyda-apua').query({ lang: 'sv' }).expect(200);
    expect(sv.body).toMatchObject({ id: 'pyyda-apua', version: 2, language: 'sv', title: 'Be om hjälp', sensitive: true, purpose: 'help-request' });
    expect(sv.body.pages[0].questions.find((q: { answer?: string }) => q.answer === 'topic').options[0].label).toEqual(expect.any(String));
    const en = await t.http.get('/api/v1/forms/lastensuojeluilmoitus').set('Accept-Language', 'en').expect(200);
    expect(en.body.title).toMatch(/child welfare/i);
    await t.http.get('/api/v1/forms/ei-ole').expect(404);
    // The municipality control's choices come from the shipped code list.
    const municipalities = await t.http.get('/api/v1/municipalities').expect(200);
    expect(municipalities.body).toHaveLength(309);
    expect(municipalities.body).toContainEqual({ code: '091', name: { fi: 'Helsinki', sv: 'Helsingfors' }, county: expect.any(String) });
  });

  it('lints every shipped definition clean from the command line, and names file, pointer and rule for a broken one', async () => {
    const env = cleanEnv({ DATABASE_URL: t.databaseUrl, LOG_LEVEL: 'silent', DATA_DIR: mkdtempSync(join(tmpdir(), 'lint-')) });
    const clean = await runToEnd(CLI_MAIN, ['forms:lint'], env);
    expect(clean.stdout).toContain('form definitions are valid');
    expect(clean.code).toBe(0);

    const broken = definitionFile('pyyda-apua', 2);
    broken.version = 3;
    delete broken.title.sv;
    broken.pages[0].questions[1].options.pop();
    broken.routing[1].unit = 'ei-ole-olemassa';
    broken.answers.properties.message.maxLength = undefined;
    const dir = mkdtempSync(join(tmpdir(), 'forms-'));
    cpSync(join(ROOT, 'form-definitions', 'form-definition.schema.json'), join(dir, 'form-definition.schema.json'));
    const file = join(dir, 'pyyda-apua', '3.json');
    cpSync(join(ROOT, 'form-definitions', 'pyyda-apua'), join(dir, 'pyyda-apua'), { recursive: true });
    writeFileSync(file, JSON.stringify(broken));
    const meta = await runToEnd(CLI_MAIN, ['forms:lint', file], env);
    expect(meta.code).toBe(1);
    expect(meta.stdout).toContain(`${file}#/title [meta-schema] error`);

    broken.title.sv = 'Be om hjälp';
    writeFileSync(file, JSON.stringify(broken));
    const rules = await runToEnd(CLI_MAIN, ['forms:lint', file], env);
    expect(rules.code).toBe(1);
    expect(rules.stdout).toContain(`${file}#/pages/0/questions/1/options [options-enum]`);
    expect(rules.stdout).toContain(`${file}#/routing/1/unit [routing-unit-known]`);
    expect(rules.stdout).toContain(`${file}#/answers/properties/message [bounded]`);
  });

  it('refuses an uploaded draft with the linter\'s findings, and runs draft → preview → publish → retire', async () => {
    const draft = definitionFile('pyyda-apua', 2);
    draft.version = 3;
    draft.pages[1].questions[1].showIf = { properties: { eiOle: { const: 'x' } }, required: ['eiOle'] };
    const refused = await t.http.post('/api/v1/admin/forms').set('Authorization', admin).set('Accept-Language', 'en').send(draft).expect(422);
    expect(refused.body.code).toBe('form_lint_failed');
    expect(refused.body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: '/pages/1/questions/1/showIf', message: expect.stringContaining('predicate-answers') })]));

    const good = definitionFile('pyyda-apua', 2);
    good.version = 3;
    good.title.fi = 'Pyydä apua perheneuvonnasta';
    await t.http.post('/api/v1/admin/forms').set('Authorization', admin).send(good).expect(201);
    expect((await t.http.get('/api/v1/forms/pyyda-apua').expect(200)).body.version).toBe(2); // drafts are not served
    const preview = await t.http.get('/api/v1/admin/forms/pyyda-apua/3').set('Authorization', admin).expect(200);
    expect(preview.body).toMatchObject({ summary: { status: 'draft', version: 3 }, definition: { title: { fi: 'Pyydä apua perheneuvonnasta' } } });
    await t.http.post('/api/v1/admin/forms/pyyda-apua/3/publish').set('Authorization', admin).expect(201);
    expect((await t.http.get('/api/v1/forms/pyyda-apua').expect(200)).body).toMatchObject({ version: 3, title: 'Pyydä apua perheneuvonnasta' });
    // A published version is immutable.
    expect((await t.http.post('/api/v1/admin/forms').set('Authorization', admin).send(good).expect(409)).body.code).toBe('form_version_exists');

    // Version 2 takes submissions until it is retired; each submission keeps its version.
    const v2 = await submit('pyyda-apua', PYYDA_APUA, { version: 2 }).expect(201);
    expect(v2.body.form).toEqual({ id: 'pyyda-apua', version: 2 });
    await t.http.post('/api/v1/admin/forms/pyyda-apua/2/retire').set('Authorization', admin).expect(201);
    expect((await submit('pyyda-apua', PYYDA_APUA, { version: 2 }).expect(404)).body.code).toBe('form_not_published');
    expect((await submit('pyyda-apua', PYYDA_APUA).expect(201)).body.form.version).toBe(3);
    const opened = await t.app.get(SubmissionsService).open(v2.body.id);
    expect(opened.form.definition.version).toBe(2);
    await t.http.post('/api/v1/admin/forms').set('Authorization', await login(t, 'admin@test.fi')).send(good).expect(409);
  });

  it('drops answers to hidden questions and requires visible ones', async () => {
    // Anonymous: the phone number question is hidden, so its answer is dropped, not stored.
    const anonymous = { ...PYYDA_APUA, contactMethod: 'anonymous', contactPhone: '040 999 9999' };
    const res = await submit('pyyda-apua', anonymous).expect(201);
    const stored = await t.app.get(SubmissionsService).open(res.body.id);
    expect(stored.answers).not.toHaveProperty('contactPhone');
    expect(stored.answers).not.toHaveProperty('contactName');
    expect(stored.identified).toBe(false);

    // By phone: the number is then required.
    const { contactPhone: _, ...withoutPhone } = PYYDA_APUA;
    const missing = await submit('pyyda-apua', withoutPhone).expect(422);
    expect(missing.body.code).toBe('answers_invalid');
    expect(missing.body.fields).toEqual([expect.objectContaining({ field: '/contactPhone', rule: 'answerRequired' })]);

    // A page-level check reports only that page.
    const page = await t.http.post('/api/v1/forms/pyyda-apua/validate').send({ answers: { topic: 'parenting' }, page: 'topic' }).expect(200);
    expect(page.body).toEqual({ valid: true });
    const unknown = await submit('pyyda-apua', { ...PYYDA_APUA, hacker: 'x' }).expect(422);
    expect(unknown.body.fields).toEqual([expect.objectContaining({ field: '/hacker', rule: 'answerUnknown' })]);
  });

  it('lets a private person stay anonymous but refuses a professional without identity', async () => {
    const anonymous = await submit('lastensuojeluilmoitus', LSI_ANONYMOUS).expect(201);
    expect(anonymous.body.reference).toMatch(/^LSI-2026-[2-9A-HJ-NP-Z]{8}$/);
    expect(anonymous.body.receiptCode).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    const anonymousRow = await t.app.get(SubmissionsService).open(anonymous.body.id);
    expect(anonymousRow).toMatchObject({ identified: false, priority: 'normal', unitCode: 'lastensuojelu-ilmoitukset', purpose: 'child-welfare-notification' });

    const { professionalName: _, ...nameless } = LSI_PROFESSIONAL;
    const refused = await submit('lastensuojeluilmoitus', nameless).expect(422);
    expect(refused.body.fields).toEqual([expect.objectContaining({ field: '/professionalName', rule: 'answerRequired' })]);

    const professional = await submit('lastensuojeluilmoitus', LSI_PROFESSIONAL).expect(201);
    const row = await t.app.get(SubmissionsService).open(professional.body.id);
    expect(row).toMatchObject({ identified: true, priority: 'urgent' });
    // Answers are encrypted at rest; only the hash of the receipt code is kept.
    const [raw] = await t.db.query(`SELECT * FROM submission WHERE id = $1`, [professional.body.id]);
    expect(JSON.stringify(raw)).not.toContain('Mäkinen');
    expect(JSON.stringify(raw)).not.toContain(professional.body.receiptCode);
  });

  it('keeps repeatable groups within their minimum and maximum', async () => {
    // A pre-information form: checked here without storing (it is sent only with its appointment's link).
    const submit = (id: string, answers: Record<string, unknown>) => t.http.post(`/api/v1/forms/${id}/validate`).send({ language: 'fi', answers });
    await submit('esitiedot-lastenvalvoja', LASTENVALVOJA).expect(200);
    const none = await submit('esitiedot-lastenvalvoja', { ...LASTENVALVOJA, children: [] }).expect(422);
    expect(none.body.fields).toEqual([expect.objectContaining({ field: '/children', rule: 'answerRequired' })]);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ childName: `Lapsi ${'ABCDEFGHIJK'[i]}`, childBirthDate: '2018-01-01' }));
    const many = await submit('esitiedot-lastenvalvoja', { ...LASTENVALVOJA, children: eleven }).expect(422);
    expect(many.body.fields).toEqual([expect.objectContaining({ field: '/children', rule: 'answerMaxItems', message: expect.stringContaining('10') })]);
    const nameless = await submit('esitiedot-lastenvalvoja', { ...LASTENVALVOJA, children: [{ childBirthDate: '2018-01-01' }] }).expect(422);
    expect(nameless.body.fields[0]).toMatchObject({ field: '/children/0/childName', rule: 'answerRequired' });
  });

  it('checks the personal identity code, postal code and municipality', async () => {
    const bad = await submit('lastensuojeluilmoitus', { ...LSI_PROFESSIONAL, childPersonalIdentityCode: '150315A123Y', childPostalCode: '0010', childMunicipality: '999' }).expect(422);
    expect(bad.body.fields.map((f: { field: string; rule: string }) => `${f.field}:${f.rule}`).sort()).toEqual([
      '/childMunicipality:formatMunicipality', '/childPersonalIdentityCode:formatHetu', '/childPostalCode:formatPostalCode',
    ]);
    // The 2023 century signs are valid too.
    await submit('lastensuojeluilmoitus', { ...LSI_PROFESSIONAL, childPersonalIdentityCode: '010594Y9021' }).expect(201);
  });

  it('words errors for citizens in Finnish, Swedish and English, with the question', async () => {
    const { concernDescription: _, ...noConcern } = LSI_ANONYMOUS;
    const messages = await Promise.all(['fi', 'sv', 'en'].map(async (lang) => (await submit('lastensuojeluilmoitus', noConcern, {}, lang).expect(422)).body));
    const labels = definitionFile('lastensuojeluilmoitus').pages.flatMap((p: { questions: { answer?: string; label?: Record<string, string> }[] }) => p.questions).find((q: { answer?: string }) => q.answer === 'concernDescription').label;
    expect(messages.map((m) => m.fields[0].message)).toEqual([
      `${labels.fi}: Vastaa tähän kysymykseen.`,
      `${labels.sv}: Svara på den här frågan.`,
      `${labels.en}: Answer this question.`,
    ]);
    expect(messages.map((m) => m.message.split(' ')[0])).toEqual(['Tarkista', 'Kontrollera', 'Please']);
  });

  it('saves, resumes and expires encrypted drafts', async () => {
    const saved = await t.http.post('/api/v1/forms/pyyda-apua/drafts').send({ answers: { topic: 'violence', message: 'Pelkään kotona' } }).expect(201);
    const token = saved.body.resumeToken;
    expect(saved.body.expiresAt).toBe('2026-03-09T07:00:00+02:00');
    const [raw] = await t.db.query(`SELECT payload, token_hash FROM form_draft ORDER BY created_at DESC LIMIT 1`);
    expect(raw.payload).not.toContain('Pelkään');
    expect(raw.token_hash).not.toBe(token);

    expect((await t.http.get('/api/v1/form-drafts').set('X-Resume-Token', token).expect(200)).body).toMatchObject({ formId: 'pyyda-apua', answers: { topic: 'violence', message: 'Pelkään kotona' } });
    await t.http.put('/api/v1/form-drafts').set('X-Resume-Token', token).send({ answers: { topic: 'parenting' } }).expect(200);
    expect((await t.http.get('/api/v1/form-drafts').set('X-Resume-Token', token).expect(200)).body.answers).toEqual({ topic: 'parenting' });
    await t.http.get('/api/v1/form-drafts').set('X-Resume-Token', 'wrong').expect(404);
    t.clock.advanceMinutes(7 * 24 * 60 + 1);
    await t.http.get('/api/v1/form-drafts').set('X-Resume-Token', token).expect(404);
    // The hourly purge removes it for good.
    await t.app.get(DraftsService).purgeExpired();
    expect((await t.db.query(`SELECT count(*)::int AS n FROM form_draft WHERE token_hash = $1`, [raw.token_hash]))[0].n).toBe(0);
  });

  it('renders a tagged PDF with å ä ö, page numbers and a long answer wrapped whole', async () => {
    const words = Array.from({ length: 600 }, (_, i) => `sana${i} äidin`).join(' ').slice(0, 3990) + ' LOPPU';
    const res = await submit('lastensuojeluilmoitus', { ...LSI_PROFESSIONAL, concernDescription: words }).expect(201);
    const pdf = await t.http.get(`/api/v1/inbox/${res.body.id}/pdf`).query({ purpose: 'handling' }).set('Authorization', handler).buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const body = pdf.body as Buffer;
    const { text, pages, info, pageTexts } = await pdfText(body);
    expect(text).toContain('Niko Mäkinen');
    expect(text).toContain('Sanna Mäkinen');
    expect(text).toContain(res.body.reference);
    expect(text).toContain('lastensuojeluilmoitus v2');
    expect(text).toContain('Kyllä'); // immediate danger, as a reader says it
    expect(pages).toBe(3);
    pageTexts.forEach((page, i) => expect(page).toContain(`Sivu ${i + 1} / ${pages}`));
    expect(text).toContain('sana292 äidi LOPPU'); // the whole long answer, wrapped, nothing cut
    expect(info.Title).toBe(`Lastensuojeluilmoitus ${res.body.reference}`);
    const raw = body.toString('latin1');
    expect(raw).toContain('/StructTreeRoot');
    expect(raw).toContain('/Lang (fi-FI)');
    expect(raw).toMatch(/\/FontName \/[A-Z]{6}\+DejaVuSans/);

    // Handlers may ask for the labels in another language.
    const sv = await t.http.get(`/api/v1/inbox/${res.body.id}/pdf`).query({ purpose: 'handling', lang: 'sv' }).set('Authorization', handler).buffer(true).parse(binary).expect(200);
    expect((await pdfText(sv.body as Buffer)).text).toContain('Referensnummer');
  });

  it('compiles each form version once and reuses it', async () => {
    const definitions = t.app.get(FormDefinitionsService);
    expect(await definitions.published('lastensuojeluilmoitus')).toBe(await definitions.published('lastensuojeluilmoitus'));
  });

  it('stops the start when a published version\'s file has changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forms-'));
    cpSync(join(ROOT, 'form-definitions'), dir, { recursive: true });
    const changed = definitionFile('esitiedot-lastenvalvoja');
    changed.title.fi = 'Muutettu otsikko';
    writeFileSync(join(dir, 'esitiedot-lastenvalvoja', '1.json'), JSON.stringify(changed, null, 2));
    await expect(startApp({ databaseUrl: t.databaseUrl, env: { FORMS_DIR: dir } })).rejects.toThrow(
      /esitiedot-lastenvalvoja.*version 1 .* is already published with different content.*version 2/s,
    );
    process.env.FORMS_DIR = 'form-definitions';
  });
});

describe('pre-information bound to booking', () => {
  let t: TestApp;
  let f: BookingFixture;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING) });
    f = await BookingFixture.create(t);
  });
  afterAll(() => t.close());

  it('gives a link at booking, attaches the form to the appointment, shows it to staff and keeps it', async () => {
    const unit = await f.unit('kouluterveys-keskusta');
    const nurse = await f.staff('hoitaja@test.fi', [unit]);
    const service = await f.service(unit, { durationMinutes: 45, preInformationForm: 'esitiedot-kouluterveydenhuolto' });
    await f.hours(nurse, service, WEEKDAYS, '08:00', '12:00');
    const [slot, later] = await f.slots(service, '2026-03-10', '2026-03-10');
    const booked = await f.book(slot.id).expect(201);
    const { appointment, preInformation, manageToken } = booked.body;
    expect(preInformation).toMatchObject({ formId: 'esitiedot-kouluterveydenhuolto', url: expect.stringContaining(`/appointments/${appointment.id}/pre-information?token=`) });

    const path = `/api/v1/appointments/${appointment.id}/pre-information`;
    await t.http.post(path).set('X-Pre-Information-Token', manageToken).send({ language: 'fi', answers: KOULUTERVEYS }).expect(404);
    const sent = await t.http.post(path).set('X-Pre-Information-Token', preInformation.token).send({ language: 'fi', answers: KOULUTERVEYS }).expect(201);
    expect(sent.body.reference).toMatch(/^ESI-2026-[2-9A-HJ-NP-Z]{8}$/);

    const staff = await login(t, 'hoitaja@test.fi');
    await t.http.post(`/api/v1/staff/appointments/${appointment.id}/reschedule`).set('Authorization', staff).send({ slotId: later.id }).expect(200);
    const seen = await t.http.get(`/api/v1/staff/appointments/${appointment.id}`).set('Authorization', staff).expect(200);
    expect(seen.body.preInformation).toHaveLength(1);
    expect(seen.body.preInformation[0]).toMatchObject({ reference: sent.body.reference, form: { id: 'esitiedot-kouluterveydenhuolto', version: 2 } });
    expect(seen.body.preInformation[0].answers).toEqual(expect.arrayContaining([expect.objectContaining({ answer: 'pupilName', value: 'Åsa Öhman' })]));

    const pdf = await t.http.get(seen.body.preInformation[0].pdf).set('Authorization', staff).buffer(true).parse(binary).expect(200);
    expect((await pdfText(pdf.body as Buffer)).text).toContain('Åsa Öhman');

    await t.http.post(`/api/v1/staff/appointments/${appointment.id}/cancel`).set('Authorization', staff).send({ reason: 'Sairastuminen' }).expect(200);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM submission WHERE appointment_id = $1`, [appointment.id]);
    expect(count).toBe(1);
    // A cancelled appointment takes no more pre-information.
    expect((await t.http.post(path).set('X-Pre-Information-Token', preInformation.token).send({ language: 'fi', answers: KOULUTERVEYS }).expect(409)).body.code).toBe('appointment_not_active');
  });
});
