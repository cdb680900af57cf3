import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from './support/booking-fixture';
import { KOULUTERVEYS, LSI_ANONYMOUS, LSI_PROFESSIONAL, PYYDA_APUA } from './support/forms-examples';
import { pdfText } from './support/pdf-text';
import { CLI_MAIN, ROOT, cleanEnv, runToEnd } from './support/spawned';
import { type TestApp, login, startApp } from './support/test-app';

const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';
const PRE_INFORMATION_FORM = 'esitiedot-kouluterveydenhuolto';
const definitionFile = (id: string, version = 1) => JSON.parse(readFileSync(join(ROOT, 'form-definitions', id, `${version}.json`), 'utf8'));
const labelOf = (formId: string, answer: string) =>
  definitionFile(formId).pages.flatMap((p: { questions: { answer?: string }[] }) => p.questions).find((q: { answer?: string }) => q.answer === answer).label;

/** The characters of references and receipt codes, in order. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function binary(res: Response, callback: (error: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('forms hardening', () => {
  let t: TestApp;
  let f: BookingFixture;
  let unit: string;
  let service: string;
  const submissions = async () => (await t.db.query(`SELECT count(*)::int AS n FROM submission`))[0].n as number;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING) });
    f = await BookingFixture.create(t);
    unit = await f.unit('kouluterveys-keskusta');
    for (const code of ['lastenvalvojat', 'lastensuojelu-ilmoitukset', 'perheneuvonta']) await f.unit(code);
    const nurse = await f.staff('hoitaja@test.fi', [unit]);
    service = await f.service(unit, { durationMinutes: 30, preInformationForm: PRE_INFORMATION_FORM });
    await f.hours(nurse, service, WEEKDAYS, '08:00', '16:00');
  });
  afterAll(() => t.close());

  /** A fresh appointment with its pre-information link's token. */
  async function appointment(day: string): Promise<{ id: string; token: string }> {
    const [slot] = await f.slots(service, day, day);
    const booked = await f.book(slot.id).expect(201);
    return { id: booked.body.appointment.id, token: booked.body.preInformation.token };
  }

  describe('validate', () => {
    it('accepts the exact body of a submission', async () => {
      const body = { language: 'sv', answers: LSI_PROFESSIONAL, version: 2 };
      expect((await t.http.post('/api/v1/forms/lastensuojeluilmoitus/validate').send(body).expect(200)).body).toEqual({ valid: true });
      await t.http.post('/api/v1/forms/lastensuojeluilmoitus/submissions').send(body).expect(201);
      // With one page to check, too.
      await t.http.post('/api/v1/forms/pyyda-apua/validate').send({ language: 'en', answers: PYYDA_APUA, page: 'contact' }).expect(200);
    });

    it('words errors in the body\'s language, else in Accept-Language', async () => {
      const { concernDescription: _, ...noConcern } = LSI_ANONYMOUS;
      const label = labelOf('lastensuojeluilmoitus', 'concernDescription');
      const check = (body: Record<string, unknown>, accept: string) =>
        t.http.post('/api/v1/forms/lastensuojeluilmoitus/validate').set('Accept-Language', accept).send({ answers: noConcern, ...body }).expect(422);

      const sv = await check({ language: 'sv' }, 'fi');
      expect(sv.body.code).toBe('answers_invalid');
      expect(sv.body.message.split(' ')[0]).toBe('Kontrollera');
      expect(sv.body.fields).toEqual([expect.objectContaining({ field: '/concernDescription', message: `${label.sv}: Svara på den här frågan.` })]);
      const en = await check({ language: 'en' }, 'sv');
      expect(en.body.fields[0].message).toBe(`${label.en}: Answer this question.`);
      const accepted = await check({}, 'sv');
      expect(accepted.body.fields[0].message).toBe(`${label.sv}: Svara på den här frågan.`);
    });
  });

  describe('pre-information', () => {
    it('refuses a pre-information form sent publicly and stores nothing', async () => {
      const before = await submissions();
      const refused = await t.http.post(`/api/v1/forms/${PRE_INFORMATION_FORM}/submissions`).set('Accept-Language', 'sv').send({ language: 'fi', answers: KOULUTERVEYS }).expect(403);
      expect(refused.body).toMatchObject({ code: 'pre_information_by_link_only', message: expect.stringContaining('bokningsbekräftelsen') });
      // Refused whatever the answers, before they are checked.
      expect((await t.http.post(`/api/v1/forms/${PRE_INFORMATION_FORM}/submissions`).send({ language: 'fi', answers: {} }).expect(403)).body.code).toBe('pre_information_by_link_only');
      // A draft is only saved answers: it cannot be sent without the link either.
      const draft = await t.http.post(`/api/v1/forms/${PRE_INFORMATION_FORM}/drafts`).send({ answers: { pupilName: 'Åsa Öhman' } }).expect(201);
      const resumed = await t.http.get('/api/v1/form-drafts').set('X-Resume-Token', draft.body.resumeToken).expect(200);
      await t.http.post(`/api/v1/forms/${resumed.body.formId}/submissions`).send({ language: 'fi', answers: { ...KOULUTERVEYS, ...resumed.body.answers } }).expect(403);
      expect(await submissions()).toBe(before);
      // Other forms are still sent publicly.
      await t.http.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: PYYDA_APUA }).expect(201);
    });

    it('replaces the first with a second for staff, keeps both in the history and both PDFs', async () => {
      const { id, token } = await appointment('2026-03-10');
      const path = `/api/v1/appointments/${id}/pre-information`;
      const first = await t.http.post(path).set('X-Pre-Information-Token', token).send({ language: 'fi', answers: KOULUTERVEYS }).expect(201);
      expect(first.body).not.toHaveProperty('replaces');
      t.clock.advanceMinutes(30);
      const second = await t.http.post(path).set('X-Pre-Information-Token', token).send({ language: 'sv', answers: { ...KOULUTERVEYS, pupilName: 'Åsa Öhman-Berg' } }).expect(201);
      expect(second.body.replaces).toEqual({ reference: first.body.reference, submittedAt: first.body.submittedAt });

      const staff = await login(t, 'hoitaja@test.fi');
      const seen = await t.http.get(`/api/v1/staff/appointments/${id}`).set('Authorization', staff).expect(200);
      expect(seen.body.preInformation).toHaveLength(1);
      const [current] = seen.body.preInformation;
      expect(current).toMatchObject({ id: second.body.id, reference: second.body.reference, submittedAt: second.body.submittedAt, language: 'sv' });
      expect(current.answers).toEqual(expect.arrayContaining([expect.objectContaining({ answer: 'pupilName', value: 'Åsa Öhman-Berg' })]));
      expect(current.earlier).toEqual([
        { id: first.body.id, reference: first.body.reference, submittedAt: first.body.submittedAt, replacedAt: second.body.submittedAt, pdf: expect.any(String) },
      ]);
      expect(seen.body.history.map((e: { action: string }) => e.action)).toEqual(['booked', 'pre-information-sent', 'pre-information-replaced']);
      expect(seen.body.history[2]).toMatchObject({ at: second.body.submittedAt, actor: { type: 'family', id: null } });

      const pdf = async (url: string) => (await pdfText((await t.http.get(url).set('Authorization', staff).buffer(true).parse(binary).expect(200)).body as Buffer)).text;
      const oldPdf = await pdf(current.earlier[0].pdf);
      expect(oldPdf).toContain(first.body.reference);
      expect(oldPdf).toContain('Åsa Öhman');
      expect(oldPdf).not.toContain('Öhman-Berg');
      const newPdf = await pdf(current.pdf);
      expect(newPdf).toContain(second.body.reference);
      expect(newPdf).toContain('Öhman-Berg');
    });

    it('leaves exactly one current submission when several arrive at once', async () => {
      const { id, token } = await appointment('2026-03-11');
      const path = `/api/v1/appointments/${id}/pre-information`;
      const sent = await Promise.all(
        Array.from({ length: 6 }, (_, i) => t.http.post(path).set('X-Pre-Information-Token', token).send({ language: 'fi', answers: { ...KOULUTERVEYS, freeTime: `Harrastus ${i}` } })),
      );
      expect(sent.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
      const rows: { id: string; replaced_at: Date | null }[] = await t.db.query(`SELECT id, replaced_at FROM submission WHERE appointment_id = $1`, [id]);
      expect(rows).toHaveLength(6);
      expect(rows.filter((r) => r.replaced_at === null)).toHaveLength(1);
      // Each one but the first replaced exactly one earlier one.
      expect(sent.filter((r) => r.body.replaces).length).toBe(5);
      expect(new Set(sent.map((r) => r.body.replaces?.reference).filter(Boolean)).size).toBe(5);

      const seen = await t.http.get(`/api/v1/staff/appointments/${id}`).set('Authorization', await login(t, 'hoitaja@test.fi')).expect(200);
      expect(seen.body.preInformation).toHaveLength(1);
      expect(seen.body.preInformation[0].id).toBe(rows.find((r) => r.replaced_at === null)!.id);
      expect(seen.body.preInformation[0].earlier).toHaveLength(5);
      expect(seen.body.history.filter((e: { action: string }) => e.action.startsWith('pre-information'))).toHaveLength(6);
    });
  });

  describe('forms:lint', () => {
    it('says where a wrongly named file belongs, and reports one missing Swedish label once', async () => {
      const env = cleanEnv({ DATABASE_URL: t.databaseUrl, LOG_LEVEL: 'silent', DATA_DIR: mkdtempSync(join(tmpdir(), 'lint-')) });
      const dir = mkdtempSync(join(tmpdir(), 'forms-'));
      const next = definitionFile('pyyda-apua');
      next.version = 2;
      const misnamed = join(dir, 'pyyda-apua-uusi.json');
      writeFileSync(misnamed, JSON.stringify(next));
      const named = await runToEnd(CLI_MAIN, ['forms:lint', misnamed], env);
      expect(named.code).toBe(1);
      expect(named.stdout).toContain(`${misnamed}#/ [file-name] error:`);
      expect(named.stdout).toContain('form-definitions/<id>/<version>.json');
      expect(named.stdout).toContain('belongs in form-definitions/pyyda-apua/2.json');
      expect(named.stdout + named.stderr).not.toMatch(/NaN|invalid input syntax/);

      delete next.pages[1].questions[0].label.sv;
      mkdirSync(join(dir, 'pyyda-apua'));
      cpSync(join(ROOT, 'form-definitions', 'pyyda-apua', '1.json'), join(dir, 'pyyda-apua', '1.json'));
      writeFileSync(join(dir, 'pyyda-apua', '2.json'), JSON.stringify(next));
      const label = await runToEnd(CLI_MAIN, ['forms:lint', join(dir, 'pyyda-apua', '2.json')], env);
      expect(label.code).toBe(1);
      const findings = label.stdout.split('\n').filter((line) => line.includes('#/'));
      expect(findings).toEqual([`${join(dir, 'pyyda-apua', '2.json')}#/pages/1/questions/0/label [meta-schema] error: must have required property 'sv'`]);
    });

    it('reports a missing text once wherever it is, in the upload\'s findings too', async () => {
      const admin = await f.admin();
      const group = (d: { pages: { questions: { control?: string }[] }[] }) => {
        for (const [p, page] of d.pages.entries()) for (const [q, item] of page.questions.entries()) if (item.control === 'group') return `/pages/${p}/questions/${q}`;
        throw new Error('no group');
      };
      const content = (d: { pages: { questions: { content?: unknown }[] }[] }) => {
        for (const [p, page] of d.pages.entries()) for (const [q, item] of page.questions.entries()) if (item.content) return `/pages/${p}/questions/${q}/content`;
        throw new Error('no content block');
      };
      const apua = definitionFile('pyyda-apua', 2);
      const valvoja = definitionFile('esitiedot-lastenvalvoja', 2);
      const cases: [string, string][] = [
        ['pyyda-apua', '/title'],
        ['pyyda-apua', '/description'],
        ['pyyda-apua', '/pages/1/title'],
        ['pyyda-apua', '/pages/1/questions/0/label'],
        ['pyyda-apua', '/pages/0/questions/1/hint'],
        ['pyyda-apua', '/pages/0/questions/1/options/0/label'],
        ['pyyda-apua', content(apua)],
        ['pyyda-apua', '/handling/senderNotice'],
        ['esitiedot-lastenvalvoja', `${group(valvoja)}/itemLabel`],
        ['esitiedot-lastenvalvoja', `${group(valvoja)}/questions/0/label`],
      ];
      for (const [formId, pointer] of cases) {
        const definition = definitionFile(formId, 2);
        definition.version = 3;
        const texts = pointer.split('/').slice(1).reduce((node: Record<string, unknown>, key) => node[key] as Record<string, unknown>, definition);
        expect(texts).toHaveProperty('sv');
        delete texts.sv;
        const refused = await t.http.post('/api/v1/admin/forms').set('Authorization', admin).set('Accept-Language', 'en').send(definition).expect(422);
        expect({ pointer, fields: refused.body.fields }).toEqual({
          pointer,
          fields: [{ field: pointer, rule: 'lint', message: "meta-schema: must have required property 'sv'" }],
        });
      }
      expect((await t.db.query(`SELECT count(*)::int AS n FROM form_definition WHERE version = 3`))[0].n).toBe(0);
    });
  });

  describe('references', () => {
    it('are short, readable, distinct and random: nothing in them counts', async () => {
      const references: string[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await t.http.post('/api/v1/forms/lastensuojeluilmoitus/submissions').send({ language: 'fi', answers: LSI_ANONYMOUS }).expect(201);
        references.push(res.body.reference);
      }
      for (const reference of references) expect(reference).toMatch(/^LSI-2026-[2-9A-HJ-NP-Z]{8}$/);
      expect(new Set(references).size).toBe(references.length);
      const values = references.map((r) => [...r.slice(-8)].reduce((n, c) => n * 32 + ALPHABET.indexOf(c), 0));
      const steps = values.slice(1).map((v, i) => v - values[i]);
      expect(steps.some((d) => d > 0) && steps.some((d) => d < 0)).toBe(true); // neither rising nor falling
      expect(steps.filter((d) => Math.abs(d) === 1)).toEqual([]);
      // A counter keeps its leading characters; these vary as random ones do (about 23 of 32 values expected in 40).
      expect(new Set(references.map((r) => r.slice(-8, -7))).size).toBeGreaterThanOrEqual(10);
      // Each form keeps its prefix.
      expect((await t.http.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: PYYDA_APUA }).expect(201)).body.reference).toMatch(/^APU-2026-[2-9A-HJ-NP-Z]{8}$/);
    });
  });
});
