import { randomUUID } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';
import { COUNTIES, MUNICIPALITIES, TestClock, catalogue, interpolate } from '@app/platform';
import { BookingFixture } from '../support/booking-fixture';
import { PASSWORD, type TestApp, startApp } from '../support/test-app';
import { PAGES_ORIGIN, signInOverHttp, text } from './page-helpers';

const ORIGIN = PAGES_ORIGIN;
type Fields = Record<string, string | string[]>;

/** A form post's body as a browser sends it: repeated names for check boxes. */
function encoded(fields: Fields): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
  return body.toString();
}

/** The error summary's links: `#id` → the message. */
function summaryLinks(html: string): Record<string, string> {
  const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
  return Object.fromEntries([...summary.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2].replace(/&#39;/g, "'").replace(/&quot;/g, '"')]));
}

/** The administrators' configuration pages as plain HTTP: units, staff and services, with the admin API's services and checks. */
describe('admin configuration pages: units, staff and services', () => {
  let t: TestApp;
  let f: BookingFixture;
  let neuvola: string;
  let lsi: string;
  let nurseId: string;
  let serviceId: string;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock('2026-03-02T09:00:00+02:00'), env: { PUBLIC_URL: ORIGIN } });
    f = await BookingFixture.create(t);
    neuvola = await f.unit('neuvola');
    lsi = await f.unit('lastensuojelu-ilmoitukset');
    nurseId = await f.staff('hoitaja@test.fi', [neuvola]);
    await f.staff('kasittelija@test.fi', [], ['fi'], [lsi]);
    serviceId = await f.service(neuvola);
  });
  afterAll(() => t.close());

  const signIn = (email: string, lang = 'fi', password = PASSWORD) => signInOverHttp(t.http, email, password, lang);

  function post(path: string, who: { cookies: string; csrf: string }, fields: Fields) {
    return t.http.post(path).set('Cookie', who.cookies).set('Origin', ORIGIN).type('form').send(encoded({ _csrf: who.csrf, ...fields }));
  }

  const count = async (table: string) => (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;
  const validation = (lang: 'fi' | 'sv' | 'en') => catalogue(lang).validation;

  it('staff without the admin role are refused every configuration page and post, and nothing changes', async () => {
    const [unitsBefore, staffBefore, servicesBefore] = [await count('unit'), await count('staff'), await count('service')];
    const [nurseBefore] = await t.db.query(`SELECT name, active, password_hash FROM staff WHERE id = $1`, [nurseId]);
    for (const email of ['hoitaja@test.fi', 'kasittelija@test.fi']) {
      const who = await signIn(email);
      const pages = ['/admin/units', '/admin/units/new', `/admin/units/${neuvola}`, '/admin/staff', '/admin/staff/new', `/admin/staff/${nurseId}`,
        '/admin/services', '/admin/services/new', `/admin/services/${serviceId}`];
      for (const path of pages) {
        const res = await t.http.get(path).set('Cookie', who.cookies);
        expect({ email, path, status: res.status }).toEqual({ email, path, status: 403 });
      }
      const posts: [string, Fields][] = [
        ['/admin/units', { code: 'luvaton', 'name-fi': 'A', 'name-sv': 'B', 'name-en': 'C' }],
        [`/admin/units/${neuvola}`, { 'name-fi': 'Muutettu', 'name-sv': 'B', 'name-en': 'C' }],
        ['/admin/staff', { email: 'uusi@test.fi', name: 'Uusi', password: 'pitkä ja hyvä salasana', languages: 'fi', roles: 'admin' }],
        [`/admin/staff/${nurseId}`, { name: 'Muutettu', languages: 'fi', roles: 'admin' }],
        [`/admin/staff/${nurseId}/password`, { newPassword: 'pitkä ja hyvä salasana' }],
        [`/admin/staff/${nurseId}/active`, { active: 'false' }],
        ['/admin/services', { code: 'luvaton', unitId: neuvola, 'name-fi': 'A', 'name-sv': 'B', 'name-en': 'C', durationMinutes: '20', channels: 'phone' }],
        [`/admin/services/${serviceId}`, { 'name-fi': 'Muutettu', 'name-sv': 'B', 'name-en': 'C', channels: 'phone' }],
      ];
      for (const [path, fields] of posts) {
        const res = await post(path, who, fields);
        expect({ email, path, status: res.status }).toEqual({ email, path, status: 403 });
      }
      const start = await t.http.get('/staff/account').set('Cookie', who.cookies).expect(200);
      expect(start.text).not.toContain('href="/admin/');
    }
    expect([await count('unit'), await count('staff'), await count('service')]).toEqual([unitsBefore, staffBefore, servicesBefore]);
    expect((await t.db.query(`SELECT name, active, password_hash FROM staff WHERE id = $1`, [nurseId]))[0]).toEqual(nurseBefore);
    expect((await t.db.query(`SELECT name FROM unit WHERE id = $1`, [neuvola]))[0].name.fi).toBe('Yksikkö neuvola');
  });

  it('an admin sees the configuration pages in the navigation; a post without the form token or from another site stores nothing', async () => {
    const admin = await signIn('admin@test.fi');
    const page = await t.http.get('/admin/units').set('Cookie', admin.cookies).expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    for (const href of ['/admin/units', '/admin/staff', '/admin/services']) expect(page.text).toContain(`href="${href}"`);
    const fields = { code: 'ilman-tunnistetta', 'name-fi': 'A', 'name-sv': 'B', 'name-en': 'C' };
    const before = await count('unit');
    expect((await t.http.post('/admin/units').set('Cookie', admin.cookies).set('Origin', ORIGIN).type('form').send(encoded(fields))).status).toBe(403);
    expect((await t.http.post('/admin/units').set('Cookie', admin.cookies).set('Origin', 'https://evil.example').type('form').send(encoded({ _csrf: admin.csrf, ...fields }))).status).toBe(403);
    expect(await count('unit')).toBe(before);
  });

  it('units: an admin creates a unit with names, contact details, municipalities served (a county for all of its) and the inbox address, then edits it', async () => {
    const admin = await signIn('admin@test.fi');
    const form = await t.http.get('/admin/units/new').set('Cookie', admin.cookies).expect(200);
    expect(form.text).toContain('action="/admin/units"');
    const county = COUNTIES.find((c) => MUNICIPALITIES.filter((m) => m.county === c.id).length > 3)!;
    const countyMembers = MUNICIPALITIES.filter((m) => m.county === county.id).map((m) => m.code);
    const outside = MUNICIPALITIES.find((m) => m.county !== county.id)!.code;
    const created = await post('/admin/units', admin, {
      code: 'perheneuvola-keskusta', 'name-fi': 'Perheneuvola Keskusta', 'name-sv': 'Familjerådgivningen Centrum', 'name-en': 'Family counselling Centre',
      email: 'perheneuvola@kunta.example', phone: '09 123 4567', address: 'Keskuskatu 1, Helsinki', municipalityCode: '091',
      municipalities: `${county.id}, ${outside}`,
    }).expect(303);
    const [unit] = await t.db.query(`SELECT * FROM unit WHERE code = 'perheneuvola-keskusta'`);
    expect(created.headers.location).toBe(`/admin/units/${unit.id}?done=created`);
    expect(unit).toMatchObject({
      name: { fi: 'Perheneuvola Keskusta', sv: 'Familjerådgivningen Centrum', en: 'Family counselling Centre' },
      email: 'perheneuvola@kunta.example', phone: '09 123 4567', address: 'Keskuskatu 1, Helsinki', municipality_code: '091',
    });
    expect(unit.municipalities).toEqual([...countyMembers, outside].sort());
    const shown = await t.http.get(created.headers.location).set('Cookie', admin.cookies).expect(200);
    expect(text(shown)).toContain('Yksikkö on luotu.');
    expect(shown.text).toContain('value="perheneuvola@kunta.example"');

    // Editing: a new name and inbox address, the phone cleared, one municipality only.
    const edited = await post(`/admin/units/${unit.id}`, admin, {
      'name-fi': 'Perheneuvola Kallio', 'name-sv': 'Familjerådgivningen Berghäll', 'name-en': 'Family counselling Kallio',
      email: 'kallio@kunta.example', phone: '', address: 'Kalliotie 2', municipalityCode: '091', municipalities: '091',
    }).expect(303);
    expect(edited.headers.location).toBe(`/admin/units/${unit.id}?done=saved`);
    const [after] = await t.db.query(`SELECT * FROM unit WHERE id = $1`, [unit.id]);
    expect(after).toMatchObject({ code: 'perheneuvola-keskusta', name: { fi: 'Perheneuvola Kallio' }, email: 'kallio@kunta.example', phone: null, address: 'Kalliotie 2', municipalities: ['091'] });
    const list = text(await t.http.get('/admin/units?lang=sv').set('Cookie', admin.cookies).expect(200));
    expect(list).toContain('Familjerådgivningen Berghäll');
    expect(list).toContain('kallio@kunta.example');
    // The same record through the admin API.
    const api = await t.http.get(`/api/v1/units/${unit.id}`).set('Authorization', await f.admin()).expect(200);
    expect(api.body.email).toBe('kallio@kunta.example');
  });

  it('units: bad input shows the localized field errors, a summary linking to each field, the values typed, and stores nothing', async () => {
    const admin = await signIn('admin@test.fi', 'sv');
    const before = await count('unit');
    const res = await post('/admin/units', admin, {
      code: 'Ei Kelpaa', 'name-fi': 'Hyvä nimi', 'name-sv': '', 'name-en': 'Good name', email: 'ei-osoite', phone: 'soita minulle', municipalities: '091 999 XX',
    });
    expect(res.status).toBe(422);
    const v = validation('sv');
    const links = summaryLinks(res.text);
    expect(Object.keys(links)).toEqual(['code', 'name-sv', 'email', 'phone', 'municipalities']);
    expect(links.code).toBe(`Kod: ${v.invalid}`);
    expect(links['name-sv']).toBe(`Namn på svenska: ${v.textBlank}`);
    expect(links.email).toBe(`E-postadress för inkomna: ${v.isEmail}`);
    expect(links.phone).toBe(`Telefonnummer: ${v.isPhone}`);
    expect(links.municipalities).toBe(`Kommuner som betjänas: ${v.isServiceArea}`);
    expect(text(res)).toMatch(/^Fel: Ny enhet/);
    // Each field carries its message and keeps what was typed.
    expect(res.text).toMatch(/<p class="error-text" id="email-error">[^<]+<\/p><input type="email" id="email" name="email" value="ei-osoite"/);
    expect(res.text).toContain('value="Hyvä nimi"');
    expect(await count('unit')).toBe(before);

    const taken = await post('/admin/units', admin, { code: 'neuvola', 'name-fi': 'A', 'name-sv': 'B', 'name-en': 'C' });
    expect(taken.status).toBe(409);
    expect(summaryLinks(taken.text)).toEqual({ code: 'Kod: Det finns redan en enhet med den här koden. Välj en annan kod.' });
    expect(await count('unit')).toBe(before);

    const [stored] = await t.db.query(`SELECT name, email FROM unit WHERE id = $1`, [neuvola]);
    const bad = await post(`/admin/units/${neuvola}`, admin, { 'name-fi': 'Uusi nimi', 'name-sv': 'Nytt namn', 'name-en': 'New name', email: 'väärä@' });
    expect(bad.status).toBe(422);
    expect(Object.keys(summaryLinks(bad.text))).toEqual(['email']);
    expect((await t.db.query(`SELECT name, email FROM unit WHERE id = $1`, [neuvola]))[0]).toEqual(stored);
  });

  it('staff: an admin creates an account with roles per unit and languages, and edits its roles per unit; bad input and unknown units store nothing', async () => {
    const admin = await signIn('admin@test.fi');
    const form = await t.http.get('/admin/staff/new').set('Cookie', admin.cookies).expect(200);
    expect(form.text).toContain(`id="calendar-${neuvola}"`);
    expect(form.text).toContain(`id="handler-${lsi}"`);
    const created = await post('/admin/staff', admin, {
      email: 'terhi.terveydenhoitaja@test.fi', name: 'Terhi Terveydenhoitaja', 'title-fi': 'Terveydenhoitaja', 'title-sv': 'Hälsovårdare', 'title-en': 'Public health nurse',
      password: 'vahva salasana talvella', languages: ['fi', 'sv'], roles: 'staff', calendar: neuvola, handler: [neuvola, lsi], notify: 'true',
    }).expect(303);
    const [row] = await t.db.query(`SELECT * FROM staff WHERE email = 'terhi.terveydenhoitaja@test.fi'`);
    expect(created.headers.location).toBe(`/admin/staff/${row.id}?done=created`);
    expect(row).toMatchObject({ name: 'Terhi Terveydenhoitaja', title: { sv: 'Hälsovårdare' }, languages: ['fi', 'sv'], roles: ['staff'], active: true, notify_new_submissions: true });
    const units = async () => Object.fromEntries((await t.db.query(`SELECT unit_id, roles FROM staff_unit WHERE staff_id = $1`, [row.id])).map((r: { unit_id: string; roles: string[] }) => [r.unit_id, r.roles]));
    expect(await units()).toEqual({ [neuvola]: ['calendar', 'handler'], [lsi]: ['handler'] });
    await t.http.post('/api/v1/auth/login').send({ email: 'terhi.terveydenhoitaja@test.fi', password: 'vahva salasana talvella' }).expect(200);

    // Editing: no calendar any more, handles one inbox, English too, no notices, no title.
    const edited = await post(`/admin/staff/${row.id}`, admin, { name: 'Terhi Terveydenhoitaja', languages: ['fi', 'en'], roles: ['staff', 'admin'], handler: lsi }).expect(303);
    expect(edited.headers.location).toBe(`/admin/staff/${row.id}?done=saved`);
    expect(await units()).toEqual({ [lsi]: ['handler'] });
    const [after] = await t.db.query(`SELECT languages, roles, title, notify_new_submissions FROM staff WHERE id = $1`, [row.id]);
    expect(after).toEqual({ languages: ['fi', 'en'], roles: ['staff', 'admin'], title: null, notify_new_submissions: false });
    const shown = text(await t.http.get(`/admin/staff/${row.id}?done=saved`).set('Cookie', admin.cookies).expect(200));
    expect(shown).toContain('Muutokset on tallennettu.');
    const list = text(await t.http.get('/admin/staff').set('Cookie', admin.cookies).expect(200));
    expect(list).toContain('Terhi Terveydenhoitaja terhi.terveydenhoitaja@test.fi Työntekijä, Pääkäyttäjä Yksikkö lastensuojelu-ilmoitukset (Käsittelijä)');

    // Bad input: every rule's message by its field, nothing stored, the password never shown again.
    const before = await count('staff');
    const v = validation('fi');
    const bad = await post('/admin/staff', admin, { email: 'ei-osoite', name: 'R2-D2', password: 'lyhyt', 'title-fi': 'Vain suomeksi' });
    expect(bad.status).toBe(422);
    expect(summaryLinks(bad.text)).toEqual({
      email: `Sähköpostiosoite: ${v.isEmail}`,
      name: `Nimi: ${v.personName}`,
      'title-sv': `Tehtävänimike ruotsiksi: ${v.textBlank}`,
      'title-en': `Tehtävänimike englanniksi: ${v.textBlank}`,
      password: `Salasana: ${interpolate(v.passwordLength, { min: 12 })}`,
      'languages-fi': `Asiointikielet: ${interpolate(v.arrayMinSize, { min: 1 })}`,
      'roles-staff': `Roolit: ${interpolate(v.arrayMinSize, { min: 1 })}`,
    });
    expect(bad.text).not.toContain('lyhyt');
    expect(await count('staff')).toBe(before);
    const taken = await post('/admin/staff', admin, { email: 'HOITAJA@test.fi', name: 'Toinen Hoitaja', password: 'vahva salasana talvella', languages: 'fi', roles: 'staff' });
    expect(taken.status).toBe(409);
    expect(summaryLinks(taken.text)).toEqual({ email: 'Sähköpostiosoite: Tällä sähköpostiosoitteella on jo käyttäjä.' });
    expect(await count('staff')).toBe(before);

    const unknown = await post(`/admin/staff/${row.id}`, admin, { name: 'Terhi Terveydenhoitaja', languages: 'fi', roles: 'staff', calendar: randomUUID() });
    expect(unknown.status).toBe(422);
    // The summary links to the first box of the column (the units are listed by code).
    expect(summaryLinks(unknown.text)).toEqual({ [`calendar-${lsi}`]: `Yksiköt ja roolit: Kalenteri: ${interpolate(catalogue('fi').errors.unknown_reference, { field: 'unitIds' })}` });
    const notUuid = await post(`/admin/staff/${row.id}`, admin, { name: 'Terhi Terveydenhoitaja', languages: 'fi', roles: 'staff', handler: 'kaikki' });
    expect(notUuid.status).toBe(422);
    expect(summaryLinks(notUuid.text)).toEqual({ [`handler-${lsi}`]: `Yksiköt ja roolit: Käsittelijä: ${v.isUUID}` });
    expect(await units()).toEqual({ [lsi]: ['handler'] });
    expect((await t.db.query(`SELECT languages FROM staff WHERE id = $1`, [row.id]))[0].languages).toEqual(['fi', 'en']);
  });

  it('staff: a new password is checked by the identity lib\'s rules (nothing stored on refusal) and ends every session of the account', async () => {
    const admin = await signIn('admin@test.fi', 'en');
    const id = await f.staff('vaihto@test.fi', [neuvola]);
    const bearer = (await t.http.post('/api/v1/auth/login').send({ email: 'vaihto@test.fi', password: PASSWORD }).expect(200)).body.token;
    const pageSession = await signIn('vaihto@test.fi');
    const [{ password_hash: hash }] = await t.db.query(`SELECT password_hash FROM staff WHERE id = $1`, [id]);
    const v = validation('en');
    const common = dictionary['passwords-common'].find((p) => [...p].length >= 12)!;
    const refusals: [string, string][] = [
      ['short', interpolate(v.passwordLength, { min: 12 })],
      [' '.repeat(14), v.passwordBlank],
      [common, v.passwordCommon],
    ];
    for (const [password, message] of refusals) {
      const res = await post(`/admin/staff/${id}/password`, admin, { newPassword: password });
      expect({ password, status: res.status }).toEqual({ password, status: 422 });
      expect(summaryLinks(res.text)).toEqual({ newPassword: `New password: ${message}` });
      expect(res.text).toMatch(/<p class="error-text" id="newPassword-error">/);
    }
    expect((await t.db.query(`SELECT password_hash FROM staff WHERE id = $1`, [id]))[0].password_hash).toBe(hash);
    await t.http.get('/api/v1/staff/me').set('Authorization', `Bearer ${bearer}`).expect(200);

    const done = await post(`/admin/staff/${id}/password`, admin, { newPassword: 'uusi pitkä salasana keväällä' }).expect(303);
    expect(done.headers.location).toBe(`/admin/staff/${id}?done=password`);
    expect(text(await t.http.get(done.headers.location).set('Cookie', admin.cookies).expect(200))).toContain('The password has been changed. All of the user\'s sessions have ended.');
    await t.http.get('/api/v1/staff/me').set('Authorization', `Bearer ${bearer}`).expect(401);
    expect((await t.http.get('/staff/calendar').set('Cookie', pageSession.cookies).expect(303)).headers.location).toMatch(/^\/staff\/login\?reason=expired/);
    await t.http.post('/api/v1/auth/login').send({ email: 'vaihto@test.fi', password: PASSWORD }).expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: 'vaihto@test.fi', password: 'uusi pitkä salasana keväällä' }).expect(200);
  });

  it('staff: deactivation ends the sessions and the sign-in; reactivation lets the person in again', async () => {
    const admin = await signIn('admin@test.fi');
    const id = await f.staff('lahtija@test.fi', [neuvola]);
    const bearer = (await t.http.post('/api/v1/auth/login').send({ email: 'lahtija@test.fi', password: PASSWORD }).expect(200)).body.token;
    const page = await t.http.get(`/admin/staff/${id}`).set('Cookie', admin.cookies).expect(200);
    expect(page.text).toContain(`action="/admin/staff/${id}/active"`);
    const off = await post(`/admin/staff/${id}/active`, admin, { active: 'false' }).expect(303);
    expect(off.headers.location).toBe(`/admin/staff/${id}?done=deactivated`);
    expect((await t.db.query(`SELECT active FROM staff WHERE id = $1`, [id]))[0].active).toBe(false);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM session WHERE staff_id = $1`, [id]))[0].n).toBe(0);
    await t.http.get('/api/v1/staff/me').set('Authorization', `Bearer ${bearer}`).expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: 'lahtija@test.fi', password: PASSWORD }).expect(401);
    const shown = text(await t.http.get(off.headers.location).set('Cookie', admin.cookies).expect(200));
    expect(shown).toContain('Käyttäjä on poistettu käytöstä, ja hänen istuntonsa päättyivät.');
    expect(text(await t.http.get('/admin/staff').set('Cookie', admin.cookies).expect(200))).toContain('lahtija@test.fi Työntekijä Yksikkö neuvola (Kalenteri) suomi Poistettu käytöstä');

    // Anything but true or false is refused and changes nothing.
    expect((await post(`/admin/staff/${id}/active`, admin, { active: 'maybe' })).status).toBe(400);
    expect((await t.db.query(`SELECT active FROM staff WHERE id = $1`, [id]))[0].active).toBe(false);

    const on = await post(`/admin/staff/${id}/active`, admin, { active: 'true' }).expect(303);
    expect(on.headers.location).toBe(`/admin/staff/${id}?done=reactivated`);
    await t.http.post('/api/v1/auth/login').send({ email: 'lahtija@test.fi', password: PASSWORD }).expect(200);
  });

  it('services: an admin creates a service with every field the API takes, edits the editable ones; duration, buffer, capacity and unit stay', async () => {
    const admin = await signIn('admin@test.fi');
    const form = await t.http.get('/admin/services/new').set('Cookie', admin.cookies).expect(200);
    expect(form.text).toContain('<option value="esitiedot-kouluterveydenhuolto">');
    const created = await post('/admin/services', admin, {
      code: 'ryhmaneuvola', unitId: neuvola, 'name-fi': 'Ryhmäneuvola', 'name-sv': 'Grupprådgivning', 'name-en': 'Group clinic',
      'description-fi': 'Vauvaperheiden ryhmä.', 'description-sv': 'En grupp för familjer med bebisar.', 'description-en': 'A group for families with babies.',
      durationMinutes: '90', bufferMinutes: '15', capacity: '6', channels: ['in-person', 'video'], minNoticeMinutes: '60', horizonDays: '42',
      changeDeadlineMinutes: '720', reminderOffsetsMinutes: '1440, 120', staffNoticeWorkingDays: '1', preInformationForm: 'esitiedot-kouluterveydenhuolto',
      languages: ['fi', 'sv'],
    }).expect(303);
    const api = async () => (await t.http.get('/api/v1/admin/services').set('Authorization', await f.admin()).expect(200)).body.find((s: { code: string }) => s.code === 'ryhmaneuvola');
    const service = await api();
    expect(created.headers.location).toBe(`/admin/services/${service.id}?done=created`);
    expect(service).toMatchObject({
      unitId: neuvola, name: { fi: 'Ryhmäneuvola', sv: 'Grupprådgivning', en: 'Group clinic' }, description: { en: 'A group for families with babies.' },
      durationMinutes: 90, bufferMinutes: 15, capacity: 6, channels: ['in-person', 'video'], minNoticeMinutes: 60, horizonDays: 42, changeDeadlineMinutes: 720,
      reminderOffsetsMinutes: [1440, 120], staffNoticeWorkingDays: 1, preInformationForm: 'esitiedot-kouluterveydenhuolto', languages: ['fi', 'sv'], active: true,
    });

    // Editing: a fixed field sent anyway is not taken; the description, reminders and form cleared; no longer bookable.
    const edited = await post(`/admin/services/${service.id}`, admin, {
      'name-fi': 'Vauvaryhmä', 'name-sv': 'Babygrupp', 'name-en': 'Baby group', channels: 'phone', minNoticeMinutes: '30', horizonDays: '14',
      changeDeadlineMinutes: '60', reminderOffsetsMinutes: '', staffNoticeWorkingDays: '0', preInformationForm: '', languages: ['fi', 'sv', 'en'],
      durationMinutes: '5', capacity: '1',
    }).expect(303);
    expect(edited.headers.location).toBe(`/admin/services/${service.id}?done=saved`);
    expect(await api()).toMatchObject({
      name: { fi: 'Vauvaryhmä' }, description: null, durationMinutes: 90, bufferMinutes: 15, capacity: 6, channels: ['phone'], minNoticeMinutes: 30, horizonDays: 14,
      changeDeadlineMinutes: 60, reminderOffsetsMinutes: [], staffNoticeWorkingDays: 0, preInformationForm: null, languages: ['fi', 'sv', 'en'], active: false,
    });
    const page = text(await t.http.get(`/admin/services/${service.id}?done=saved`).set('Cookie', admin.cookies).expect(200));
    expect(page).toContain('Muutokset on tallennettu.');
    expect(page).toContain('Kesto (min) 90');
    expect(text(await t.http.get('/admin/services').set('Cookie', admin.cookies).expect(200))).toContain('Vauvaryhmä ryhmaneuvola Yksikkö neuvola 90 Puhelu Ei varattavissa');
  });

  it('services: bad input shows the localized field errors by field and stores nothing; an unknown unit is named', async () => {
    const admin = await signIn('admin@test.fi', 'en');
    const before = await count('service');
    const v = validation('en');
    const bad = await post('/admin/services', admin, {
      code: 'hyvä-koodi', unitId: '', 'name-fi': 'Nimi', 'name-sv': 'Namn', 'name-en': '', durationMinutes: 'puoli tuntia', capacity: '0',
      reminderOffsetsMinutes: '60, soon', languages: 'de',
    });
    expect(bad.status).toBe(422);
    expect(summaryLinks(bad.text)).toEqual({
      code: `Code: ${v.invalid}`,
      unitId: `Unit: ${v.isUUID}`,
      'name-en': `Name in English: ${v.textBlank}`,
      durationMinutes: `Duration (min): ${v.isInt}`,
      capacity: `Places at the same time: ${interpolate(v.min, { min: 1 })}`,
      'channels-in-person': `Channels: ${interpolate(v.arrayMinSize, { min: 1 })}`,
      reminderOffsetsMinutes: `Reminders (min before the start): ${v.isInt}`,
      'languages-fi': `Languages: ${interpolate(v.isIn, { values: 'fi, sv, en' })}`,
    });
    expect(bad.text).toContain('value="puoli tuntia"');
    expect(await count('service')).toBe(before);

    const unknown = await post('/admin/services', admin, { code: 'ei-yksikkoa', unitId: randomUUID(), 'name-fi': 'A', 'name-sv': 'B', 'name-en': 'C', durationMinutes: '20', channels: 'phone', languages: 'fi' });
    expect(unknown.status).toBe(422);
    expect(Object.keys(summaryLinks(unknown.text))).toEqual(['unitId']);
    expect(await count('service')).toBe(before);

    const [stored] = await t.db.query(`SELECT * FROM service WHERE id = $1`, [serviceId]);
    const badEdit = await post(`/admin/services/${serviceId}`, admin, { 'name-fi': 'Uusi', 'name-sv': 'Ny', 'name-en': 'New', channels: 'fax', horizonDays: '400', languages: 'fi', active: 'true' });
    expect(badEdit.status).toBe(422);
    expect(Object.keys(summaryLinks(badEdit.text))).toEqual(['channels-in-person', 'horizonDays']);
    expect((await t.db.query(`SELECT * FROM service WHERE id = $1`, [serviceId]))[0]).toEqual(stored);
  });
});
