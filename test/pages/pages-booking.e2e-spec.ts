import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from '../support/booking-fixture';
import { type TestApp, startApp } from '../support/test-app';
import { text } from './page-helpers';

/** Saturday 7 March 2026, 10:00 in Helsinki: nothing more this week, the earliest free day is Monday 9 March. */
const SATURDAY = '2026-03-07T10:00:00+02:00';

describe('booking pages: free times, contact details, check, confirmation', () => {
  let t: TestApp;
  let f: BookingFixture;
  let service: string;
  let single: string;
  let team: string;
  let unit: string;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(SATURDAY), env: { RATE_LIMIT_BOOKING_CONTACT: '3/1d', PAGE_CACHE_MS: '2000' } });
    f = await BookingFixture.create(t);
    unit = (await t.http.post('/api/v1/units').set('Authorization', await f.admin())
      .send({ code: 'neuvola', name: { fi: 'Neuvola Keskusta', sv: 'Rådgivningen Centrum', en: 'Clinic Centre' }, phone: '+358 9 123 4567', address: 'Koulukatu 1, Helsinki' })
      .expect(201)).body.id;
    const bilingual = await f.staff('hoitaja@test.fi', [unit], ['fi', 'sv']);
    service = await f.service(unit);
    await f.hours(bilingual, service, WEEKDAYS, '08:00', '10:00');
    // A second service given in Finnish only, at one place: no choice step.
    const finnish = await f.staff('terkka@test.fi', [unit], ['fi']);
    single = await f.service(unit, { channels: ['phone'], languages: ['fi'] });
    await f.hours(finnish, single, [1, 3], '13:00', '14:00');
    // A third given by two nurses at the same hours.
    team = await f.service(unit, { languages: ['fi'] });
    for (const email of ['tiimi.a@test.fi', 'tiimi.b@test.fi']) await f.hours(await f.staff(email, [unit], ['fi']), team, WEEKDAYS, '12:00', '14:00');
  });
  afterAll(() => t?.close());
  beforeEach(() => t.clock.set(SATURDAY));

  const agent = (): TestAgent => request.agent(t.app.getHttpServer());
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
  const stateOf = (html: string) => /name="_state" value="([^"]+)"/.exec(html)![1];
  const firstTime = (html: string, serviceId: string) => new RegExp(`href="(/varaa/${serviceId}/[0-9a-f-]{36}[^"]*)"`).exec(html)![1].replace(/&amp;/g, '&');
  const contact = (email: string) => ({ name: 'Maija Meikäläinen', email, phone: '', childName: 'Matti', note: '', channel: 'in-person' });

  /** Through the choice step to the week of times; returns the agent and the times page. */
  async function times(lang = 'fi') {
    const a = agent();
    const choose = await a.get(`/varaa/${service}?lang=${lang}`).expect(200);
    expect(choose.text).toContain('name="kieli"');
    const week = await a.get(`/varaa/${service}?kieli=${lang === 'en' ? 'fi' : lang}&valittu=1`).expect(200);
    return { a, week };
  }

  /** Up to the check page for the first free time. */
  async function toCheck(email: string, lang = 'fi') {
    const { a, week } = await times(lang);
    const href = firstTime(week.text, service);
    const form = await a.get(href).expect(200);
    const check = await a.post(href).type('form').send({ _csrf: csrfOf(form.text), _go: 'check', ...contact(email) }).expect(200);
    return { a, href, check };
  }

  it('asks the staff language when there is a choice, then lists a week day by day from the earliest free day, with the next week', async () => {
    const a = agent();
    const choose = await a.get(`/varaa/${service}?lang=sv`).expect(200);
    expect(text(choose)).toContain('På vilket språk vill du uträtta ärendet?');
    // The language of the page is chosen for the family; both of the staff's languages are offered.
    expect(choose.text).toMatch(/<input[^>]*id="kieli-sv"[^>]*checked/);
    expect(choose.text).toContain('id="kieli-fi"');
    expect(choose.text).not.toContain('id="kieli-en"');
    const week = await a.get(`/varaa/${service}?kieli=sv&valittu=1&lang=sv`).expect(200);
    const page = text(week);
    expect(page).toContain('Veckan må 9.3.2026–sö 15.3.2026');
    expect(page).toContain('må 9.3.2026 8.00–8.20');
    expect(page).toMatch(/lö 14\.3\.2026 Inga lediga tider/);
    expect(week.headers['cache-control']).toBe('no-store');
    expect(week.text).toContain('noindex');
    // No previous week before the earliest free day; the next one starts a week later.
    expect(week.text).not.toContain('← Föregående vecka');
    const next = /href="([^"]*viikko=2026-03-16[^"]*)"/.exec(week.text)![1].replace(/&amp;/g, '&');
    const second = await a.get(next).expect(200);
    expect(text(second)).toContain('Veckan må 16.3.2026–sö 22.3.2026');
    expect(second.text).toContain('viikko=2026-03-09');
    // A service with one language and one place has no choice step.
    const direct = await a.get(`/varaa/${single}?lang=fi`).expect(200);
    expect(text(direct)).toContain('Viikko ma 9.3.2026–su 15.3.2026');
    expect(text(direct)).toContain('ma 9.3.2026 13.00–13.20');
    // A week asked for outside the horizon falls back to the earliest week.
    expect(text(await a.get(`/varaa/${single}?viikko=2030-01-01`).expect(200))).toContain('Viikko ma 9.3.2026');
    await a.get('/varaa/not-a-uuid').expect(404);
  });

  it('shows the error summary for missing details and stores nothing', async () => {
    const { a, week } = await times();
    const href = firstTime(week.text, service);
    const form = await a.get(href).expect(200);
    const before = await t.db.query(`SELECT count(*)::int AS n FROM appointment`);
    const res = await a.post(href).type('form').send({ _csrf: csrfOf(form.text), _go: 'check', name: '', email: '', phone: '', channel: 'in-person' }).expect(422);
    expect(res.text).toMatch(/<title>Virhe: /);
    expect(res.text).toContain('<a href="#name">Nimesi: ');
    expect(res.text).toContain('<a href="#email">Sähköpostiosoite: Anna sähköpostiosoite tai puhelinnumero.</a>');
    const bad = await a.post(href).type('form').send({ _csrf: csrfOf(form.text), _go: 'check', ...contact('not an address') }).expect(422);
    expect(bad.text).toContain('<a href="#email">Sähköpostiosoite: Sähköpostiosoite ei kelpaa.');
    // What was typed is kept.
    expect(bad.text).toContain('value="Maija Meikäläinen"');
    expect(await t.db.query(`SELECT count(*)::int AS n FROM appointment`)).toEqual(before);
  });

  it('books: check your answers, then the confirmation with reference, time, place, the calendar file and the manage link', async () => {
    const { a, href, check } = await toCheck('perhe.yksi@example.fi');
    const page = text(check);
    expect(page).toContain('Tarkista varauksesi');
    expect(page).toContain('ma 9.3.2026 klo 8.00–8.20');
    expect(page).toContain('perhe.yksi@example.fi');
    const confirmed = await a.post(href).type('form').send({ _csrf: csrfOf(check.text), _go: 'confirm', _state: stateOf(check.text) }).expect(303);
    const id = /^\/appointments\/([0-9a-f-]{36})\/booked$/.exec(confirmed.headers.location)![1];
    const booked = await a.get(confirmed.headers.location).expect(200);
    const shown = text(booked);
    const [row] = await t.db.query(`SELECT reference, contact_name, contact_email, child_name, language, channel FROM appointment WHERE id = $1`, [id]);
    expect(row).toMatchObject({ contact_name: 'Maija Meikäläinen', contact_email: 'perhe.yksi@example.fi', child_name: 'Matti', language: 'fi', channel: 'in-person' });
    expect(shown).toContain(`Aika on varattu Varaustunnus ${row.reference}`);
    expect(shown).toContain('ma 9.3.2026 klo 8.00–8.20');
    expect(shown).toContain('Neuvola Keskusta, Koulukatu 1, Helsinki');
    const manage = /href="(http[^"]*\/appointments\/[^"]+\/manage\?token=[^"]+)"/.exec(booked.text)![1];
    expect(manage.startsWith(`http`)).toBe(true);
    // The link opens the manage page (a fresh browser).
    const opened = await agent().get(manage.replace(/^https?:\/\/[^/]+/, '')).expect(303);
    expect(opened.headers.location).toBe(`/appointments/${id}/manage`);
    const ics = await a.get(`/appointments/${id}/calendar.ics`).expect(200).expect('Content-Type', /text\/calendar/);
    expect(ics.headers['content-disposition']).toBe('attachment; filename="appointment.ics"');
    expect(ics.text).toContain(`UID:${id}@perhe-booking`);
    expect(ics.text).toContain('METHOD:PUBLISH');
    expect(ics.text).toContain('DTSTART:20260309T060000Z');
    // Without the cookie the confirmation and the file say to open the link again.
    await agent().get(`/appointments/${id}/booked`).expect(403);
    await agent().get(`/appointments/${id}/calendar.ics`).expect(403);
  });

  it('a double click on confirm books once', async () => {
    const { a, href, check } = await toCheck('perhe.kaksi@example.fi');
    const body = { _csrf: csrfOf(check.text), _go: 'confirm', _state: stateOf(check.text) };
    const [one, two] = await Promise.all([a.post(href).type('form').send(body), a.post(href).type('form').send(body)]);
    expect([one.status, two.status]).toEqual([303, 303]);
    expect(one.headers.location).toBe(two.headers.location);
    const rows = await t.db.query(`SELECT id FROM appointment WHERE contact_email = 'perhe.kaksi@example.fi'`);
    expect(rows).toHaveLength(1);
  });

  it('the time taken meanwhile: the same page says so and offers the nearest free times, keeping the details', async () => {
    const first = await toCheck('perhe.kolme@example.fi');
    const second = await toCheck('perhe.nelja@example.fi');
    expect(second.href).toBe(first.href);
    await first.a.post(first.href).type('form').send({ _csrf: csrfOf(first.check.text), _go: 'confirm', _state: stateOf(first.check.text) }).expect(303);
    const taken = await second.a.post(second.href).type('form').send({ _csrf: csrfOf(second.check.text), _go: 'confirm', _state: stateOf(second.check.text) }).expect(409);
    expect(text(taken)).toContain('Aika ehdittiin varata');
    expect(text(taken)).toContain('Lähimmät vapaat ajat');
    const buttons = [...taken.text.matchAll(/formAction="([^"]+)"|formaction="([^"]+)"/g)].map((m) => (m[1] ?? m[2]).replace(/&amp;/g, '&'));
    expect(buttons.length).toBe(6);
    expect(buttons).not.toContain(second.href);
    // The first button's time, e.g. "ma 9.3.2026 8.40–9.00, Hoitaja …".
    const label = /<button[^>]*class="time-button"[^>]*>([^<]+)</.exec(taken.text)![1];
    const [, day, time] = /^(\S+ \S+) (\S+),/.exec(label)!;
    const check = await second.a.post(buttons[0]).type('form').send({ _csrf: csrfOf(taken.text), _go: 'check-kept', _state: stateOf(taken.text) }).expect(200);
    expect(text(check)).toContain('Tarkista varauksesi');
    expect(text(check)).toContain('perhe.nelja@example.fi');
    expect(text(check)).toContain(`${day} klo ${time}`);
    await second.a.post(buttons[0]).type('form').send({ _csrf: csrfOf(check.text), _go: 'confirm', _state: stateOf(check.text) }).expect(303);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM appointment WHERE contact_email = 'perhe.nelja@example.fi'`)).toEqual([{ n: 1 }]);
  });

  it('refuses a post without the form token, and holds bookings to the per-contact allowance like the API', async () => {
    const { a, href, check } = await toCheck('rajattu@example.fi');
    await a.post(href).type('form').send({ _go: 'confirm', _state: stateOf(check.text) }).expect(403);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM appointment WHERE contact_email = 'rajattu@example.fi'`)).toEqual([{ n: 0 }]);
    for (let i = 0; i < 3; i++) {
      const step = await toCheck('rajattu+x@example.fi');
      await step.a.post(step.href).type('form').send({ _csrf: csrfOf(step.check.text), _go: 'confirm', _state: stateOf(step.check.text) }).expect(303);
    }
    const over = await toCheck('Rajattu@example.fi');
    const refused = await over.a.post(over.href).type('form').send({ _csrf: csrfOf(over.check.text), _go: 'confirm', _state: stateOf(over.check.text) }).expect(429);
    expect(text(refused)).toContain('liian monta varausta');
    expect(await t.db.query(`SELECT count(*)::int AS n FROM appointment WHERE lower(contact_email) LIKE 'rajattu%'`)).toEqual([{ n: 3 }]);
  });

  it('offers each free time once when several staff members are free then, spreading the choice over them', async () => {
    const week = await agent().get(`/varaa/${team}`).expect(200);
    const links = [...week.text.matchAll(new RegExp(`<a[^>]*href="/varaa/${team}/[0-9a-f-]{36}[^"]*"[^>]*>([^<]+)<`, 'g'))].map((m) => m[1]);
    const free = (await f.slots(team, '2026-03-09', '2026-03-15')).map((slot: { startsAt: string }) => slot.startsAt);
    expect(free.length).toBe(2 * 5 * 6); // two nurses, five days, six 20-minute times
    expect(links).toHaveLength(new Set(free).size);
    const nurses = new Set(links.map((label) => label.split(', ')[1]));
    expect(nurses.size).toBe(2);
  });

  it('serves a week of times from memory for PAGE_CACHE_MS: a time booked elsewhere meanwhile is refused when chosen, and gone afterwards', async () => {
    const { a, week } = await times();
    const href = firstTime(week.text, service);
    const slotId = /\/varaa\/[0-9a-f-]{36}\/([0-9a-f-]{36})/.exec(href)![1];
    await t.http.post('/api/v1/appointments').send({ slotId, language: 'fi', contact: { name: 'Toinen Perhe', email: 'toinen@example.fi' } }).expect(201);
    const soon = await a.get(`/varaa/${service}?kieli=fi&valittu=1`).expect(200);
    expect(firstTime(soon.text, service)).toBe(href);
    const taken = await a.get(href).expect(200);
    expect(text(taken)).toContain('Aika ehdittiin varata');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const later = await a.get(`/varaa/${service}?kieli=fi&valittu=1`).expect(200);
    expect(later.text).not.toContain(slotId);
  });
});
