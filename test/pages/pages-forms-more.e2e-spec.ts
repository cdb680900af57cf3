import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { OutboxDispatcher } from '@app/notifications';
import { SubmissionsService } from '@app/forms';
import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from '../support/booking-fixture';
import { LASTENVALVOJA } from '../support/forms-examples';
import { PASSWORD, type TestApp, startApp } from '../support/test-app';
import { setCookie, text } from './page-helpers';

const definitionFile = (id: string, version: number) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'form-definitions', id, `${version}.json`), 'utf8'));

/** Monday 2 March 2026, 07:00 in Helsinki. */
const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';

/** A browser's cookies, as the responses set and clear them. */
class Jar {
  private readonly cookies = new Map<string, string>();

  take(res: Response): Response {
    for (const line of (res.headers['set-cookie'] as unknown as string[] | undefined) ?? []) {
      const [pair] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  has(name: string): boolean {
    return this.cookies.has(name);
  }

  get header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** The hidden fields a page's form posts along (state, page, group item counts) and its form token. */
function hiddenFields(page: Response): Record<string, string> {
  return Object.fromEntries([...page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&')]));
}

function encodeState(state: { v: number; a: Record<string, unknown> }): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

describe('form pages: pre-information link, save and continue later, repeatable groups, language switch, accessibility feedback', () => {
  let t: TestApp;
  let f: BookingFixture;
  let service: string;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING), env: { RATE_LIMIT_SUBMISSION: '6/10m per client, 600/1m total' } });
    f = await BookingFixture.create(t);
    const unit = await f.unit('lastenvalvojat');
    await f.unit('perheneuvonta');
    const officer = await f.staff('lastenvalvoja@test.fi', [unit]);
    service = await f.service(unit, { durationMinutes: 45, preInformationForm: 'esitiedot-lastenvalvoja' });
    await f.hours(officer, service, WEEKDAYS, '08:00', '12:00');
    // A general, non-sensitive form of several pages with a repeatable group: the one that offers save and continue later.
    const general = definitionFile('esitiedot-lastenvalvoja', 2);
    Object.assign(general, { id: 'yhteydenotto', version: 1, purpose: 'general', referencePrefix: 'YHT' });
    const admin = await f.admin();
    await t.http.post('/api/v1/admin/forms').set('Authorization', admin).send(general).expect(201);
    await t.http.post('/api/v1/admin/forms/yhteydenotto/1/publish').set('Authorization', admin).expect(201);
  }, 60_000);
  afterAll(() => t?.close());

  /** Posts the page's form with its hidden fields, the token and these fields. */
  function post(jar: Jar, page: Response, action: string, fields: Record<string, string | string[]>) {
    const hidden = hiddenFields(page);
    return t.http.post(action).set('Cookie', jar.header).type('form').send({ ...hidden, ...fields }).then((res) => jar.take(res));
  }
  const get = (jar: Jar, path: string) => t.http.get(path).set('Cookie', jar.header).then((res) => jar.take(res));

  async function book(): Promise<{ id: string; manageToken: string; preToken: string }> {
    const slots = await f.slots(service, '2026-03-04', '2026-03-20');
    const booked = await f.book(slots[Math.floor(Math.random() * slots.length)].id, { contact: { name: 'Maija Meikäläinen', email: 'maija@example.fi', phone: '+358401112223' } }).expect(201);
    return { id: booked.body.appointment.id, manageToken: booked.body.manageToken, preToken: booked.body.preInformation.token };
  }

  it('the pre-information link: token into a cookie, pre-filled from the booking, a repeatable group, check answers, sent; a second one replaces it', async () => {
    const { id, manageToken, preToken } = await book();
    const path = `/appointments/${id}/pre-information`;
    const jar = new Jar();

    // Unknown, used-elsewhere and missing tokens: plain pages saying what to do, no cookie.
    expect(text(await t.http.get(`${path}?token=${'x'.repeat(43)}`).expect(404))).toContain('Esitietolinkki ei toimi');
    await t.http.get(`${path}?token=${manageToken}`).expect(404);
    expect(text(await t.http.get(path).expect(403))).toContain('Avaa esitietolinkki uudelleen');

    const opened = await get(jar, `${path}?token=${preToken}`);
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe(path);
    const cookie = setCookie(opened, 'preinfo')!;
    expect(cookie.value).toBe(preToken);
    expect(cookie.attributes).toMatch(/HttpOnly/);
    expect(cookie.attributes).toContain(`Path=/appointments/${id}`);

    const first = await get(jar, path);
    expect(first.status).toBe(200);
    expect(first.text).not.toContain(preToken);
    expect(first.text).toContain('noindex');
    // Filled in where the definition says what the question asks (autocomplete name, tel, email).
    expect(first.text).toMatch(/name="fillerName" value="Maija Meikäläinen"/);
    expect(first.text).toMatch(/name="fillerPhone" value="\+358401112223"/);
    expect(first.text).toMatch(/name="fillerEmail" value="maija@example.fi"/);
    expect(text(first)).toContain('täytetty valmiiksi varauksesi tiedoista');
    expect(first.text).not.toContain('value="save"'); // no drafts: the link itself is the way back

    const errors = await post(jar, first, path, { _go: 'next', fillerName: 'Maija Meikäläinen', fillerPhone: '', fillerEmail: 'maija@example.fi' });
    expect(errors.status).toBe(422);
    expect(errors.text).toMatch(/<div class="error-summary"[^>]*>.*href="#q-fillerPhone"/);
    const other = await post(jar, errors, path, { _go: 'next', fillerName: 'Maija Meikäläinen', fillerPhone: '0401112223', fillerEmail: 'maija@example.fi' });
    expect(other.status).toBe(200);
    const children = await post(jar, other, path, { _go: 'next', nonDisclosure: 'no' });
    expect(children.status).toBe(200);

    // The repeatable group: one empty item to start with, add and remove are plain submit buttons.
    expect(children.text).toContain('name="children__0__childName"');
    expect(children.text).toMatch(/name="_n_children" value="1"/);
    expect(children.text).toMatch(/<button type="submit" name="_go" value="add:children"[^>]*>Lisää lapsi<\/button>/);
    const empty = await post(jar, children, path, { _go: 'next' });
    expect(empty.status).toBe(422);
    expect(empty.text).toMatch(/<div class="error-summary"[^>]*>.*href="#q-children-0-childName"/);
    expect(empty.text).toContain('id="q-children-0-childName"');
    const added = await post(jar, empty, path, { _go: 'add:children', children__0__childName: 'Ella Nieminen', children__0__childBirthDate: '2016-04-12' });
    expect(added.status).toBe(200);
    expect(added.text).toMatch(/name="_n_children" value="2"/);
    expect(added.text).toContain('value="Ella Nieminen"');
    expect(added.text).toContain('name="children__1__childName"');
    expect(text(added)).toContain('Lapsi 2');
    // The runtime checks each item: a bad date in the second one links to that field.
    const badDate = await post(jar, added, path, {
      _go: 'next', children__0__childName: 'Ella Nieminen', children__0__childBirthDate: '2016-04-12', children__1__childName: 'Oskari Nieminen', children__1__childBirthDate: '2019-13-45',
    });
    expect(badDate.status).toBe(422);
    expect(badDate.text).toMatch(/<div class="error-summary"[^>]*>.*href="#q-children-1-childBirthDate"/);
    const removed = await post(jar, badDate, path, {
      _go: 'remove:children:1', children__0__childName: 'Ella Nieminen', children__0__childBirthDate: '2016-04-12', children__1__childName: 'Oskari Nieminen', children__1__childBirthDate: '2019-13-45',
    });
    expect(removed.text).toMatch(/name="_n_children" value="1"/);
    expect(removed.text).not.toContain('Oskari');
    const readded = await post(jar, removed, path, { _go: 'add:children', children__0__childName: 'Ella Nieminen', children__0__childBirthDate: '2016-04-12' });
    const topics = await post(jar, readded, path, {
      _go: 'next', children__0__childName: 'Ella Nieminen', children__0__childBirthDate: '2016-04-12', children__1__childName: 'Oskari Nieminen', children__1__childBirthDate: '2019-11-02',
    });
    expect(topics.status).toBe(200);
    expect(topics.text).toContain('name="agreementTopics"');
    const situation = await post(jar, topics, path, { _go: 'next', agreementTopics: 'visitingRights' });
    const last = await post(jar, situation, path, { _go: 'next' });
    expect(last.text).toContain('name="interpreterNeeded"');
    const check = await post(jar, last, path, { _go: 'next', interpreterNeeded: 'false' });
    expect(check.status).toBe(200);
    // Check your answers shows the group's items.
    expect(text(check)).toContain('Lapsi 1: Lapsen nimi: Ella Nieminen; Syntymäaika: 2016-04-12');
    expect(text(check)).toContain('Lapsi 2: Lapsen nimi: Oskari Nieminen; Syntymäaika: 2019-11-02');

    const sent = await post(jar, check, path, { _go: 'send' });
    expect(sent.status).toBe(201);
    expect(text(sent)).toContain('Esitiedot on lähetetty');
    expect(text(sent)).toContain('henkilökunta näkee esitiedot');
    expect(text(sent)).not.toContain('korvaavat');
    const [stored] = await t.db.query(`SELECT id, reference FROM submission WHERE appointment_id = $1`, [id]);
    expect(sent.text).toContain(stored.reference);
    const opened1 = await t.app.get(SubmissionsService).open(stored.id);
    expect(opened1.answers).toMatchObject({ fillerName: 'Maija Meikäläinen', fillerEmail: 'maija@example.fi', children: [{ childName: 'Ella Nieminen' }, { childName: 'Oskari Nieminen' }] });

    // Sent again (the same rules as the API): it replaces the first, which stays in the history.
    const again = await t.http.post(path).set('Cookie', jar.header).type('form')
      .send({ _csrf: hiddenFields(check)._csrf, _page: '_check', _go: 'send', _state: encodeState({ v: 2, a: LASTENVALVOJA }) });
    expect(again.status).toBe(201);
    expect(text(again)).toContain('korvaavat aiemmin lähettämäsi');
    const rows = await t.db.query(`SELECT replaced_at FROM submission WHERE appointment_id = $1 ORDER BY submitted_at, id`, [id]);
    expect(rows.map((r: { replaced_at: Date | null }) => r.replaced_at === null).sort()).toEqual([false, true]);

    // A cancelled appointment: the page says so and what to do.
    await t.http.post(`/api/v1/appointments/${id}/cancel`).set('X-Manage-Token', manageToken).send({}).expect(200);
    const cancelled = await get(jar, path);
    expect(cancelled.status).toBe(409);
    expect(text(cancelled)).toContain('Aika ei ole enää voimassa');
  });

  it('switching language on a form page keeps what was typed there, without checking it; the check page too', async () => {
    const jar = new Jar();
    const { id, preToken } = await book();
    const path = `/appointments/${id}/pre-information`;
    await get(jar, `${path}?token=${preToken}`);
    const first = await get(jar, path);
    // The switch on a form page posts the form; elsewhere it stays a link.
    expect(first.text).toContain('<button type="submit" form="answers" name="_lang" value="sv"');
    expect(first.text).toContain('<form method="post" action="/appointments/');
    expect(first.text).toMatch(/<form [^>]*id="answers"/);
    const sv = await post(jar, first, path, { _lang: 'sv', fillerName: 'Maija Meikäläinen', fillerPhone: 'ei numero', fillerEmail: '' });
    expect(sv.status).toBe(200);
    expect(sv.text).toContain('<html lang="sv">');
    expect(sv.text).toContain('value="ei numero"'); // kept, not checked
    expect(sv.text).not.toContain('error-summary');
    expect(setCookie(sv, 'lang')?.value).toBe('sv');
    // The remembered language stays; the next post checks the page in Swedish.
    const checked = await post(jar, sv, path, { _go: 'next', fillerName: 'Maija Meikäläinen', fillerPhone: 'ei numero', fillerEmail: '' });
    expect(checked.status).toBe(422);
    expect(checked.text).toContain('<html lang="sv">');

    const front = await t.http.get('/').expect(200);
    expect(front.text).not.toContain('name="_lang"');
    expect(front.text).toContain('href="/?lang=sv"');
  });

  it('save and continue later: a resume link that expires, opened into a cookie, continuing with the saved answers; not on sensitive forms', async () => {
    const jar = new Jar();
    const path = '/lomake/yhteydenotto';
    const first = await get(jar, path);
    expect(first.text).toContain('value="save"');
    expect((await t.http.get('/lomake/pyyda-apua').expect(200)).text).not.toContain('value="save"');

    // Malformed answers are refused even in a draft; nothing stored.
    const bad = await post(jar, first, path, { _go: 'save', fillerName: 'Maria Nieminen', fillerEmail: 'ei-osoite' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('href="#q-fillerEmail"');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM form_draft`))[0].n).toBe(0);

    const saved = await post(jar, bad, path, { _go: 'save', fillerName: 'Maria Nieminen', fillerEmail: 'maria@example.fi' });
    expect(saved.status).toBe(200);
    const link = /href="(http[^"]+\/lomake\/yhteydenotto\/jatka\?token=([A-Za-z0-9_-]+))"/.exec(saved.text);
    expect(link).not.toBeNull();
    expect(text(saved)).toContain('Vastauksesi on tallennettu');
    expect(text(saved)).toMatch(/ma 9\.3\.2026 klo 7\.00 asti/); // seven days
    expect(setCookie(saved, 'draft')?.attributes).toContain('Path=/lomake/yhteydenotto');
    // Saving again on this device updates the same draft.
    const savedAgain = await post(jar, saved, path, { _go: 'save', fillerName: 'Maria Nieminen', fillerEmail: 'maria@example.fi', fillerPhone: '0401234567' });
    expect(savedAgain.text).toContain(link![2]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM form_draft`))[0].n).toBe(1);

    // Another device opens the link: the token moves into a cookie, the address is clean.
    const other = new Jar();
    const opened = await get(other, `${path}/jatka?token=${link![2]}`);
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe(`${path}/jatka`);
    expect(setCookie(opened, 'draft')?.attributes).toMatch(/HttpOnly/);
    const resumed = await get(other, `${path}/jatka`);
    expect(resumed.status).toBe(200);
    expect(text(resumed)).toContain('Jatkat tallentamaasi lomaketta');
    // The saved page is complete, so it continues where answers are still missing.
    expect(resumed.text).toContain('name="nonDisclosure"');
    const back = await post(other, resumed, path, { _go: 'back', nonDisclosure: 'no' });
    expect(back.text).toContain('value="Maria Nieminen"');
    expect(back.text).toContain('value="0401234567"');

    expect(text(await t.http.get(`${path}/jatka`).expect(403))).toContain('Avaa tallennuslinkki uudelleen');
    expect(text(await t.http.get(`${path}/jatka?token=${'y'.repeat(43)}`).expect(404))).toContain('Tallennettua lomaketta ei löytynyt');
    await t.http.get(`/lomake/pyyda-apua/jatka?token=${link![2]}`).expect(404); // another form's link

    // Sending from the device that saved it removes the draft.
    const sent = await t.http.post(path).set('Cookie', other.header).type('form')
      .send({ _csrf: hiddenFields(back)._csrf, _page: '_check', _go: 'send', _state: encodeState({ v: 1, a: LASTENVALVOJA }) });
    expect(sent.status).toBe(201);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM form_draft`))[0].n).toBe(0);

    // A draft's link expires after seven days.
    const late = await post(jar, first, path, { _go: 'save', fillerName: 'Maria Nieminen' });
    const lateToken = /jatka\?token=([A-Za-z0-9_-]+)/.exec(late.text)![1];
    t.clock.advanceMinutes(8 * 24 * 60);
    try {
      await t.http.get(`${path}/jatka?token=${lateToken}`).expect(404);
    } finally {
      t.clock.set(MONDAY_MORNING);
    }
  });

  it('the confirmation has a print button shown by the page script, and keys to press without it; sensitive forms get the quick-exit script', async () => {
    const jar = new Jar();
    const { id, preToken } = await book();
    const path = `/appointments/${id}/pre-information`;
    await get(jar, `${path}?token=${preToken}`);
    const first = await get(jar, path);
    const sent = await t.http.post(path).set('Cookie', jar.header).type('form')
      .send({ _csrf: hiddenFields(first)._csrf, _page: '_check', _go: 'send', _state: encodeState({ v: 2, a: LASTENVALVOJA }) });
    expect(sent.status).toBe(201);
    expect(sent.text).toMatch(/<button type="button" class="[^"]*print-button" data-print="true" hidden>Tulosta vahvistus<\/button>/);
    expect(text(sent)).toContain('Ctrl+P');
    const script = /<script src="(\/assets\/citizen\.[0-9a-f]{12}\.js)" defer><\/script>/.exec(sent.text)![1];
    const js = await t.http.get(script).expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.text).toContain('window.print()');
    expect(js.text).toContain('location.replace');

    const help = await t.http.get('/lomake/pyyda-apua').expect(200);
    expect(help.text).toContain(`<script src="${script}" defer></script>`);
    expect(help.text).toMatch(/<form [^>]*id="answers" autocomplete="off"/i);
    expect(text(help)).toContain('vaihtonäppäintä (Shift) kolme kertaa');
    expect(help.headers['cache-control']).toBe('no-store');
  });

  it('accessibility feedback: checked, stored, announced to the admins without content, listed for admins only, rate-limited', async () => {
    const jar = new Jar();
    const page = await get(jar, '/saavutettavuusseloste');
    expect(page.text).toContain('<form method="post" action="/saavutettavuusseloste"');
    const count = async () => (await t.db.query(`SELECT count(*)::int AS n FROM accessibility_feedback`))[0].n;

    await t.http.post('/saavutettavuusseloste').type('form').send({ message: 'Ei tokenia' }).expect(403);
    const empty = await post(jar, page, '/saavutettavuusseloste', { message: '  ', email: '' });
    expect(empty.status).toBe(422);
    expect(empty.text).toMatch(/<div class="error-summary"[^>]*>.*href="#feedback-message"/);
    const badEmail = await post(jar, page, '/saavutettavuusseloste', { message: 'Painike ei toimi', email: 'ei@' });
    expect(badEmail.status).toBe(422);
    expect(badEmail.text).toContain('Painike ei toimi'); // kept
    expect(badEmail.text).toContain('href="#feedback-email"');
    expect(await count()).toBe(0);

    const sent = await post(jar, page, '/saavutettavuusseloste', { message: 'Ajanvarauksen kalenteri ei toimi ruudunlukijalla.', email: 'palaute@example.fi' });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toMatch(/^\/saavutettavuusseloste\?palaute=kiitos/);
    expect(text(await get(jar, sent.headers.location))).toContain('Kiitos palautteesta');
    const [row] = await t.db.query(`SELECT language, message, email FROM accessibility_feedback`);
    expect(row).toEqual({ language: 'fi', message: 'Ajanvarauksen kalenteri ei toimi ruudunlukijalla.', email: 'palaute@example.fi' });

    // The admins are told by e-mail, with a link and no content.
    await t.app.get(OutboxDispatcher).drain();
    const [mail] = await t.db.query(`SELECT status, recipient FROM outbox WHERE kind = 'accessibility-feedback'`);
    expect(mail).toEqual({ status: 'sent', recipient: 'admin@test.fi' });

    // Listed for admins; others are refused.
    const signIn = async (email: string) => {
      const login = await t.http.get('/staff/login').expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1];
      const cookie = `csrf=${setCookie(login, 'csrf')!.value}`;
      const res = await t.http.post('/staff/login').set('Cookie', cookie).type('form').send({ _csrf: csrf, email, password: PASSWORD }).expect(303);
      return [cookie, `session=${setCookie(res, 'session')!.value}`, `staff_seen=${setCookie(res, 'staff_seen')!.value}`].join('; ');
    };
    await t.http.get('/admin/feedback').expect(303);
    await t.http.get('/admin/feedback').set('Cookie', await signIn('lastenvalvoja@test.fi')).expect(403);
    const list = await t.http.get('/admin/feedback').set('Cookie', await signIn('admin@test.fi')).expect(200);
    expect(text(list)).toContain('Ajanvarauksen kalenteri ei toimi ruudunlukijalla.');
    expect(text(list)).toContain('palaute@example.fi');

    // Rate-limited with the submission bucket (6 per client here): a script is stopped, and nothing more is stored.
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await post(jar, page, '/saavutettavuusseloste', { message: `Palaute ${i}` })).status);
    expect(statuses).toContain(429);
    expect(await count()).toBeLessThan(8);
  });
});
