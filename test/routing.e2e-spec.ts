import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestClock } from '@app/platform';
import { DemoSeeder } from '@app/booking';
import { SubmissionsService } from '@app/forms';
import { BookingFixture, WEEKDAYS } from './support/booking-fixture';
import { KOULUTERVEYS, LASTENVALVOJA, LSI_ANONYMOUS, LSI_PROFESSIONAL, PYYDA_APUA } from './support/forms-examples';
import { pdfText } from './support/pdf-text';
import { ROOT } from './support/spawned';
import { type TestApp, login, startApp } from './support/test-app';

const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';
const definitionFile = (id: string, version: number) => JSON.parse(readFileSync(join(ROOT, 'form-definitions', id, `${version}.json`), 'utf8'));

// Demo service areas in Länsi-Uusimaa.
const LOHJA = '444';
const RAASEPORI = '710';
const ESPOO = '049';
const KAUNIAINEN = '235';
const TAMPERE = '837'; // served by no demo unit

interface Row {
  unit_code: string;
  priority: string;
  form_version: number;
}

describe('routing by municipality (demo data)', () => {
  let t: TestApp;
  let f: BookingFixture;
  let admin: string;

  const submit = (formId: string, answers: Record<string, unknown>, lang = 'fi') =>
    t.http.post(`/api/v1/forms/${formId}/submissions`).set('Accept-Language', lang).send({ language: 'fi', answers });
  const stored = async (id: string): Promise<Row> => (await t.db.query(`SELECT unit_code, priority, form_version FROM submission WHERE id = $1`, [id]))[0];
  const routed = async (formId: string, answers: Record<string, unknown>) => stored((await submit(formId, answers).expect(201)).body.id);
  const submissions = async () => (await t.db.query(`SELECT count(*)::int AS n FROM submission`))[0].n as number;

  /** Publishes a copy of the shipped help request under another id, with other routing rules. */
  async function publishVariant(id: string, routing: unknown[]): Promise<void> {
    const definition = { ...definitionFile('pyyda-apua', 2), id, version: 1, routing };
    await t.http.post('/api/v1/admin/forms').set('Authorization', admin).send(definition).expect(201);
    await t.http.post(`/api/v1/admin/forms/${id}/1/publish`).set('Authorization', admin).expect(201);
  }

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING) });
    await t.app.get(DemoSeeder).seed();
    f = await BookingFixture.create(t);
    admin = await f.admin();
  });
  afterAll(() => t.close());

  it('ships two help-request units with their service areas, and shows each unit\'s municipalities', async () => {
    const units = (await t.http.get('/api/v1/units').set('Authorization', admin).expect(200)).body as { code: string; municipalities: string[] }[];
    const byCode = new Map(units.map((u) => [u.code, u.municipalities]));
    expect(byCode.get('perheneuvonta-lansi')).toEqual(['078', '149', '224', LOHJA, RAASEPORI, '755', '927']);
    expect(byCode.get('perheneuvonta-ita')).toEqual([ESPOO, KAUNIAINEN, '257']);
    // Given as the county's code: all ten municipalities of Länsi-Uusimaa.
    expect(byCode.get('lastensuojelu-lansi-uusimaa')).toEqual([ESPOO, '078', '149', '224', KAUNIAINEN, '257', LOHJA, RAASEPORI, '755', '927']);
    expect(byCode.get('perheneuvonta')).toEqual([]);
    expect(byCode.get('lastensuojelu-ilmoitukset')).toEqual([]);
  });

  it('routes the help request to the unit serving the answered municipality', async () => {
    expect(await routed('pyyda-apua', { ...PYYDA_APUA, municipality: LOHJA })).toEqual({ unit_code: 'perheneuvonta-lansi', priority: 'normal', form_version: 2 });
    expect((await routed('pyyda-apua', { ...PYYDA_APUA, municipality: RAASEPORI })).unit_code).toBe('perheneuvonta-lansi');
    expect((await routed('pyyda-apua', { ...PYYDA_APUA, municipality: ESPOO })).unit_code).toBe('perheneuvonta-ita');
    expect((await routed('pyyda-apua', { ...PYYDA_APUA, municipality: KAUNIAINEN })).unit_code).toBe('perheneuvonta-ita');
  });

  it('falls through to the default unit when the municipality is "rather not say" or served by none of the candidates', async () => {
    expect(await routed('pyyda-apua', { ...PYYDA_APUA, municipality: 'ratherNotSay' })).toMatchObject({ unit_code: 'perheneuvonta', priority: 'normal' });
    expect(await routed('pyyda-apua', { ...PYYDA_APUA, municipality: TAMPERE })).toMatchObject({ unit_code: 'perheneuvonta', priority: 'normal' });
    // "Rather not say" is one of the question's own choices; anything else must still be a municipality.
    const form = (await t.http.get('/api/v1/forms/pyyda-apua').query({ lang: 'sv' }).expect(200)).body;
    const question = form.pages.flatMap((p: { questions: { answer?: string }[] }) => p.questions).find((q: { answer?: string }) => q.answer === 'municipality');
    expect(question).toMatchObject({ control: 'municipality', options: [{ value: 'ratherNotSay', label: 'Jag vill inte uppge det' }] });
    const bad = await submit('pyyda-apua', { ...PYYDA_APUA, municipality: 'secret' }).expect(422);
    expect(bad.body.fields).toEqual([expect.objectContaining({ field: '/municipality', rule: 'formatMunicipality' })]);
  });

  it('routes the child-welfare notification by the child\'s municipality, to the default unit when it is not given', async () => {
    expect(await routed('lastensuojeluilmoitus', { ...LSI_ANONYMOUS, childMunicipality: RAASEPORI })).toEqual({ unit_code: 'lastensuojelu-lansi-uusimaa', priority: 'normal', form_version: 2 });
    expect(await routed('lastensuojeluilmoitus', { ...LSI_ANONYMOUS, childMunicipality: ESPOO })).toMatchObject({ unit_code: 'lastensuojelu-lansi-uusimaa' });
    expect(LSI_ANONYMOUS).not.toHaveProperty('childMunicipality');
    expect(await routed('lastensuojeluilmoitus', LSI_ANONYMOUS)).toMatchObject({ unit_code: 'lastensuojelu-ilmoitukset', priority: 'normal' });
    expect(await routed('lastensuojeluilmoitus', { ...LSI_ANONYMOUS, childMunicipality: TAMPERE })).toMatchObject({ unit_code: 'lastensuojelu-ilmoitukset' });
    // Immediate danger, or violence among the concerns: urgent, to the same units.
    expect(await routed('lastensuojeluilmoitus', { ...LSI_PROFESSIONAL, childMunicipality: LOHJA })).toMatchObject({ unit_code: 'lastensuojelu-lansi-uusimaa', priority: 'urgent' });
    expect(await routed('lastensuojeluilmoitus', { ...LSI_PROFESSIONAL, immediateDanger: false, childMunicipality: TAMPERE })).toMatchObject({ unit_code: 'lastensuojelu-ilmoitukset', priority: 'urgent' });
    expect(await routed('lastensuojeluilmoitus', { ...LSI_ANONYMOUS, concernAreas: ['schoolAttendance'] })).toMatchObject({ priority: 'normal' });
  });

  it('applies topic rules before and after a rule by municipality, in their order', async () => {
    // Shipped: violence is urgent, and still goes to the sender's area.
    expect(await routed('pyyda-apua', { ...PYYDA_APUA, topic: 'violence', municipality: ESPOO })).toMatchObject({ unit_code: 'perheneuvonta-ita', priority: 'urgent' });
    expect(await routed('pyyda-apua', { ...PYYDA_APUA, topic: 'violence', municipality: 'ratherNotSay' })).toMatchObject({ unit_code: 'perheneuvonta', priority: 'urgent' });

    await f.unit('vakivaltatyo');
    const violence = { properties: { topic: { const: 'violence' } }, required: ['topic'] };
    const byMunicipality = { unitByMunicipality: 'municipality', units: ['perheneuvonta-lansi', 'perheneuvonta-ita'] };
    // A topic rule before the municipality: a dedicated unit wins wherever the sender lives.
    await publishVariant('reititys-aihe-ensin', [{ when: violence, unit: 'vakivaltatyo', priority: 'urgent' }, byMunicipality, { unit: 'perheneuvonta' }]);
    expect(await routed('reititys-aihe-ensin', { ...PYYDA_APUA, topic: 'violence', municipality: LOHJA })).toMatchObject({ unit_code: 'vakivaltatyo', priority: 'urgent' });
    expect(await routed('reititys-aihe-ensin', { ...PYYDA_APUA, topic: 'parenting', municipality: LOHJA })).toMatchObject({ unit_code: 'perheneuvonta-lansi', priority: 'normal' });
    // After it: only what the municipality rule lets fall through reaches the topic rule.
    await publishVariant('reititys-aihe-sitten', [byMunicipality, { when: violence, unit: 'vakivaltatyo', priority: 'urgent' }, { unit: 'perheneuvonta' }]);
    expect(await routed('reititys-aihe-sitten', { ...PYYDA_APUA, topic: 'violence', municipality: LOHJA })).toMatchObject({ unit_code: 'perheneuvonta-lansi', priority: 'normal' });
    expect(await routed('reititys-aihe-sitten', { ...PYYDA_APUA, topic: 'violence', municipality: TAMPERE })).toMatchObject({ unit_code: 'vakivaltatyo', priority: 'urgent' });
    expect(await routed('reititys-aihe-sitten', { ...PYYDA_APUA, topic: 'parenting', municipality: TAMPERE })).toMatchObject({ unit_code: 'perheneuvonta', priority: 'normal' });
    // Candidates are tried in the rule's order when two of them serve the municipality.
    await t.http.patch(`/api/v1/units/${await f.unit('perheneuvonta-lohja')}`).set('Authorization', admin).send({ municipalities: [LOHJA] }).expect(200);
    await publishVariant('reititys-jarjestys', [{ unitByMunicipality: 'municipality', units: ['perheneuvonta-lohja', 'perheneuvonta-lansi'] }, { unit: 'perheneuvonta' }]);
    expect((await routed('reititys-jarjestys', { ...PYYDA_APUA, municipality: LOHJA })).unit_code).toBe('perheneuvonta-lohja');
    expect((await routed('reititys-jarjestys', { ...PYYDA_APUA, municipality: RAASEPORI })).unit_code).toBe('perheneuvonta-lansi');
  });

  it('routes with a service area changed through the API at once, and with one changed elsewhere within half a minute', async () => {
    const [lansi] = await t.db.query(`SELECT id FROM unit WHERE code = 'perheneuvonta-lansi'`);
    await t.http.patch(`/api/v1/units/${lansi.id}`).set('Authorization', admin).send({ municipalities: [LOHJA, TAMPERE] }).expect(200);
    expect((await routed('pyyda-apua', { ...PYYDA_APUA, municipality: TAMPERE })).unit_code).toBe('perheneuvonta-lansi');
    // Another instance's change (straight to the database): this one reads the units again after its cache expires.
    await t.db.query(`UPDATE unit SET municipalities = '{444}' WHERE code = 'perheneuvonta-lansi'`);
    expect((await routed('pyyda-apua', { ...PYYDA_APUA, municipality: TAMPERE })).unit_code).toBe('perheneuvonta-lansi');
    t.clock.advanceMinutes(0.5);
    expect((await routed('pyyda-apua', { ...PYYDA_APUA, municipality: TAMPERE })).unit_code).toBe('perheneuvonta');
    await t.http.patch(`/api/v1/units/${lansi.id}`).set('Authorization', admin).send({ municipalities: ['078', '149', '224', LOHJA, RAASEPORI, '755', '927'] }).expect(200);
  });

  it('takes municipality and county codes through the admin API, and refuses unknown ones with a message', async () => {
    const created = await t.http.post('/api/v1/units').set('Authorization', admin)
      .send({ code: 'perheneuvonta-vantaa-kerava', name: { fi: 'Perheneuvonta', sv: 'Familjerådgivningen', en: 'Family counselling' }, municipalities: ['VK', '092'] })
      .expect(201);
    expect(created.body.municipalities).toEqual(['092', '245']);
    const id = created.body.id;
    expect((await t.http.get(`/api/v1/units/${id}`).set('Authorization', admin).expect(200)).body.municipalities).toEqual(['092', '245']);

    const before = await submissions();
    for (const [lang, text] of [['fi', 'Tuntematon kunta tai hyvinvointialue'], ['sv', 'Okänd kommun eller okänt välfärdsområde'], ['en', 'Unknown municipality or wellbeing services county']]) {
      const refused = await t.http.patch(`/api/v1/units/${id}`).set('Authorization', admin).set('Accept-Language', lang).send({ municipalities: ['092', '999'] }).expect(400);
      expect(refused.body).toMatchObject({ code: 'validation_failed', fields: [{ field: 'municipalities', rule: 'isServiceArea', message: expect.stringContaining(text) }] });
    }
    await t.http.patch(`/api/v1/units/${id}`).set('Authorization', admin).send({ municipalities: ['XX'] }).expect(400);
    await t.http.patch(`/api/v1/units/${id}`).set('Authorization', admin).send({ municipalities: '092' }).expect(400);
    const where = await t.http.patch(`/api/v1/units/${id}`).set('Authorization', admin).send({ municipalityCode: '999' }).expect(400);
    expect(where.body.fields).toEqual([expect.objectContaining({ field: 'municipalityCode', rule: 'isMunicipality' })]);
    expect((await t.http.get(`/api/v1/units/${id}`).set('Authorization', admin).expect(200)).body.municipalities).toEqual(['092', '245']);

    // A PATCH replaces the list; other fields leave it alone.
    expect((await t.http.patch(`/api/v1/units/${id}`).set('Authorization', admin).send({ email: 'pn@vantaa.example' }).expect(200)).body.municipalities).toEqual(['092', '245']);
    expect((await t.http.patch(`/api/v1/units/${id}`).set('Authorization', admin).send({ municipalities: [] }).expect(200)).body.municipalities).toEqual([]);
    expect(await submissions()).toBe(before);
  });

  it('lints a rule by municipality: a default rule behind it, a municipality question, units that exist', async () => {
    const upload = async (routing: unknown[]) => {
      const definition = { ...definitionFile('pyyda-apua', 2), id: 'reititys-virhe', version: 1, routing };
      const res = await t.http.post('/api/v1/admin/forms').set('Authorization', admin).set('Accept-Language', 'en').send(definition).expect(422);
      expect(res.body.code).toBe('form_lint_failed');
      return (res.body.fields as { field: string; message: string }[]).map((x) => `${x.field} ${x.message}`);
    };
    const rule = { unitByMunicipality: 'municipality', units: ['perheneuvonta-lansi', 'perheneuvonta-ita'] };

    expect(await upload([rule])).toEqual([expect.stringMatching(/^\/routing\/0 routing-default: a rule by municipality falls through .* put a default rule/)]);
    expect(await upload([rule, { when: { properties: { topic: { const: 'violence' } }, required: ['topic'] }, unit: 'perheneuvonta' }])).toEqual([
      expect.stringMatching(/^\/routing\/1 routing-default: the last routing rule must have no "when"/),
    ]);
    expect(await upload([{ ...rule, unitByMunicipality: 'topic' }, { unit: 'perheneuvonta' }])).toEqual([
      '/routing/0/unitByMunicipality routing-municipality: "topic" is not asked with a municipality control',
    ]);
    expect(await upload([{ ...rule, unitByMunicipality: 'kotikunta' }, { unit: 'perheneuvonta' }])).toEqual([
      '/routing/0/unitByMunicipality routing-municipality: names "kotikunta", which is not an answer',
    ]);
    expect(await upload([{ ...rule, units: ['perheneuvonta-lansi', 'ei-ole-olemassa'] }, { unit: 'perheneuvonta' }])).toEqual([
      '/routing/0/units/1 routing-unit-known: unit "ei-ole-olemassa" does not exist',
    ]);
    // A rule is one kind or the other, and names at least one candidate.
    expect(await upload([{ ...rule, unit: 'perheneuvonta' }, { unit: 'perheneuvonta' }])).toEqual([expect.stringMatching(/^\/routing\/0 meta-schema: must NOT have additional properties: unit/)]);
    expect(await upload([{ ...rule, units: [] }, { unit: 'perheneuvonta' }])).toEqual([expect.stringMatching(/^\/routing\/0\/units meta-schema: must NOT have fewer than 1 items/)]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM form_definition WHERE form_id = 'reititys-virhe'`))[0].n).toBe(0);
  });

  describe('child-welfare notification', () => {
    it('refuses a notification that identifies no child, naming what to give, in Finnish, Swedish and English', async () => {
      const nobody = { ...LSI_ANONYMOUS };
      delete (nobody as Record<string, unknown>).childAddress;
      const before = await submissions();
      const bodies = await Promise.all(['fi', 'sv', 'en'].map(async (lang) => (await submit('lastensuojeluilmoitus', { ...nobody, childAge: 7 }, lang).expect(422)).body));
      expect(bodies.map((b) => b.fields)).toEqual([
        [{ field: '/childName', rule: 'answerAnyRequired', message: 'Lapsi: Anna ainakin yksi näistä tiedoista: lapsen nimi, lapsen syntymäaika, lapsen henkilötunnus, lapsen katuosoite, lapsen koulu tai päiväkoti.' }],
        [{ field: '/childName', rule: 'answerAnyRequired', message: 'Barnet: Ange minst en av följande uppgifter: barnets namn, barnets födelsedatum, barnets personbeteckning, barnets gatuadress, barnets skola eller daghem.' }],
        [{ field: '/childName', rule: 'answerAnyRequired', message: "The child: Give at least one of these: the child's name, the child's date of birth, the child's personal identity code, the child's street address, the child's school or day care centre." }],
      ]);
      expect(await submissions()).toBe(before);
      // The page about the child reports it too; any one of them is enough.
      const page = await t.http.post('/api/v1/forms/lastensuojeluilmoitus/validate').send({ language: 'en', answers: nobody, page: 'child' }).expect(422);
      expect(page.body.fields).toEqual([expect.objectContaining({ field: '/childName', rule: 'answerAnyRequired' })]);
      await submit('lastensuojeluilmoitus', { ...nobody, childSchoolOrDaycare: 'Mäntymäen koulu' }).expect(201);
      await submit('lastensuojeluilmoitus', { ...nobody, childBirthDate: '2018-05-01' }).expect(201);
      await submit('lastensuojeluilmoitus', { ...nobody, childPersonalIdentityCode: '150315A123X' }).expect(201);
    });

    it('asks a professional reporting violence or sexual abuse whether the police were told, and nobody else', async () => {
      const { policeNotified: _, ...unasked } = LSI_PROFESSIONAL;
      const missing = await submit('lastensuojeluilmoitus', unasked).expect(422);
      expect(missing.body.fields).toEqual([expect.objectContaining({ field: '/policeNotified', rule: 'answerRequired' })]);
      const sexualAbuse = await submit('lastensuojeluilmoitus', { ...unasked, concernAreas: ['sexualAbuse'] }).expect(422);
      expect(sexualAbuse.body.fields).toEqual([expect.objectContaining({ field: '/policeNotified' })]);
      const told = await submit('lastensuojeluilmoitus', { ...unasked, policeNotified: 'notYet' }).expect(201);
      expect((await t.app.get(SubmissionsService).open(told.body.id)).answers.policeNotified).toBe('notYet');
      await submit('lastensuojeluilmoitus', { ...unasked, policeNotified: 'maybe' }).expect(422);

      // Other concerns, or a private person: the question is not asked, and an answer to it is dropped.
      const other = await submit('lastensuojeluilmoitus', { ...LSI_PROFESSIONAL, concernAreas: ['schoolAttendance'], policeNotified: 'yes' }).expect(201);
      expect((await t.app.get(SubmissionsService).open(other.body.id)).answers).not.toHaveProperty('policeNotified');
      const citizen = await submit('lastensuojeluilmoitus', { ...LSI_ANONYMOUS, concernAreas: ['violence'], policeNotified: 'yes' }).expect(201);
      expect((await t.app.get(SubmissionsService).open(citizen.body.id)).answers).not.toHaveProperty('policeNotified');
    });
  });

  it('lets "none" of the substances be ticked only on its own', async () => {
    const validate = (substances: string[], lang = 'fi') =>
      t.http.post('/api/v1/forms/esitiedot-kouluterveydenhuolto/validate').set('Accept-Language', lang).send({ answers: { ...KOULUTERVEYS, substances } });
    const messages = await Promise.all(['fi', 'sv', 'en'].map(async (lang) => (await validate(['alcohol', 'none'], lang).expect(422)).body.fields));
    const label = definitionFile('esitiedot-kouluterveydenhuolto', 2).pages.flatMap((p: { questions: { answer?: string }[] }) => p.questions).find((q: { answer?: string }) => q.answer === 'substances').label;
    expect(messages).toEqual([
      [{ field: '/substances', rule: 'answerExclusive', message: `${label.fi}: Vaihtoehtoa ”Ei mitään näistä” ei voi valita yhdessä muiden vaihtoehtojen kanssa.` }],
      [{ field: '/substances', rule: 'answerExclusive', message: `${label.sv}: Alternativet ”Inget av dessa” kan inte väljas tillsammans med andra alternativ.` }],
      [{ field: '/substances', rule: 'answerExclusive', message: `${label.en}: “None of these” cannot be chosen together with other options.` }],
    ]);
    await validate(['none', 'dontKnow']).expect(422);
    await validate(['none']).expect(200);
    await validate(['alcohol', 'nicotine', 'dontKnow']).expect(200);
  });

  it('never asks for, keeps or shows an address when there is a non-disclosure (turvakielto), and sends pre-information to the appointment\'s unit', async () => {
    const unit = await f.unit('lastenvalvonta-lohja');
    const officer = await f.staff('valvoja@test.fi', [unit]);
    const service = await f.service(unit, { durationMinutes: 60, preInformationForm: 'esitiedot-lastenvalvoja' });
    await f.hours(officer, service, WEEKDAYS, '08:00', '12:00');
    const staff = await login(t, 'valvoja@test.fi');
    const address = 'Salainen kuja 5 A 1, 08100 Lohja';

    const send = async (day: string, nonDisclosure: string, withPdf = true) => {
      const [slot] = await f.slots(service, day, day);
      const booked = (await f.book(slot.id).expect(201)).body;
      await t.http.post(`/api/v1/appointments/${booked.appointment.id}/pre-information`).set('X-Pre-Information-Token', booked.preInformation.token)
        .send({ language: 'fi', answers: { ...LASTENVALVOJA, nonDisclosure, otherParentAddress: address } }).expect(201);
      const seen = (await t.http.get(`/api/v1/staff/appointments/${booked.appointment.id}`).set('Authorization', staff).expect(200)).body.preInformation[0];
      const pdf = await t.http.get(seen.pdf).set('Authorization', staff).buffer(true).parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      }).expect(200);
      const [row] = await t.db.query(`SELECT id, unit_code FROM submission WHERE appointment_id = $1`, [booked.appointment.id]);
      const text = withPdf ? (await pdfText(pdf.body as Buffer)).text : undefined;
      return { seen, pdf: text, row, answers: (await t.app.get(SubmissionsService).open(row.id)).answers };
    };

    // (The PDF, rendered from the same summary, is read for "yes" only: reading one takes a while.)
    for (const [day, nonDisclosure] of [['2026-03-10', 'yes'], ['2026-03-11', 'dontKnow']]) {
      const { seen, pdf, row, answers } = await send(day, nonDisclosure, nonDisclosure === 'yes');
      expect(answers).not.toHaveProperty('otherParentAddress');
      expect(JSON.stringify(seen)).not.toContain('Salainen');
      expect(seen.answers.map((a: { answer: string }) => a.answer)).not.toContain('otherParentAddress');
      if (pdf !== undefined) {
        expect(pdf).not.toContain('Salainen');
        expect(pdf).not.toContain('Toisen vanhemman osoite');
        expect(pdf).toContain('Jussi Nieminen'); // the rest of the answers are there
      }
      expect(row.unit_code).toBe('lastenvalvonta-lohja');
    }
    // Without one, the address is asked and shown.
    const open = await send('2026-03-12', 'no');
    expect(open.answers.otherParentAddress).toBe(address);
    expect(open.seen.answers).toEqual(expect.arrayContaining([expect.objectContaining({ answer: 'otherParentAddress', value: address })]));
    expect(open.pdf).toContain('Salainen kuja');
    // The question itself is required.
    const { nonDisclosure: _, ...unanswered } = LASTENVALVOJA;
    const refused = await t.http.post('/api/v1/forms/esitiedot-lastenvalvoja/validate').send({ answers: unanswered }).expect(422);
    expect(refused.body.fields).toEqual([expect.objectContaining({ field: '/nonDisclosure', rule: 'answerRequired' })]);
  });
});

describe('a submission no unit can receive', () => {
  let t: TestApp;

  beforeAll(async () => {
    // No units at all: the shipped forms route to units that do not exist.
    t = await startApp({ clock: new TestClock(MONDAY_MORNING) });
  });
  afterAll(() => t.close());

  it('is refused before anything is stored, telling the sender what to do instead', async () => {
    const bodies = await Promise.all(
      ['fi', 'sv', 'en'].map(async (lang) =>
        (await t.http.post('/api/v1/forms/pyyda-apua/submissions').set('Accept-Language', lang).send({ language: 'fi', answers: { ...PYYDA_APUA, municipality: LOHJA } }).expect(422)).body,
      ),
    );
    expect(bodies.map((b) => b.code)).toEqual(['no_receiving_unit', 'no_receiving_unit', 'no_receiving_unit']);
    expect(bodies[0].message).toMatch(/^Lomaketta ei voitu lähettää.*Mitään ei tallennettu.*Hätätilanteessa soita 112\.$/);
    expect(bodies[1].message).toMatch(/^Blanketten kunde inte skickas.*Ingenting sparades.*Ring 112 i nödsituationer\.$/);
    expect(bodies[2].message).toMatch(/^The form could not be sent.*Nothing was saved.*In an emergency, call 112\.$/);
    for (const body of bodies) expect(JSON.stringify(body)).not.toContain(PYYDA_APUA.message);
    await t.http.post('/api/v1/forms/lastensuojeluilmoitus/submissions').send({ language: 'fi', answers: LSI_PROFESSIONAL }).expect(422);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM submission`))[0].n).toBe(0);
  });

  it('is received as soon as the unit exists, even when another instance created it', async () => {
    await t.http.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: PYYDA_APUA }).expect(422);
    await t.db.query(`INSERT INTO unit (code, name) VALUES ('perheneuvonta', '{"fi": "Perheneuvonta", "sv": "Familjerådgivningen", "en": "Family counselling"}')`);
    const sent = await t.http.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: PYYDA_APUA }).expect(201);
    expect((await t.db.query(`SELECT unit_code FROM submission WHERE id = $1`, [sent.body.id]))[0].unit_code).toBe('perheneuvonta');
  });
});
