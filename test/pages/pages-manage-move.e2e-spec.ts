import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from '../support/booking-fixture';
import { type TestApp, startApp } from '../support/test-app';
import { formToken, setCookie, text } from './page-helpers';

/** Monday 2 March 2026, 07:00 in Helsinki. */
const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';

describe('manage pages: moving an appointment', () => {
  let t: TestApp;
  let f: BookingFixture;
  let service: string;
  let finnishStaff: string;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING) });
    f = await BookingFixture.create(t);
    const unit = (await t.http.post('/api/v1/units').set('Authorization', await f.admin())
      .send({ code: 'neuvola', name: { fi: 'Neuvola Keskusta', sv: 'Rådgivningen Centrum', en: 'Clinic Centre' }, phone: '+358 9 123 4567', address: 'Koulukatu 1, Helsinki' })
      .expect(201)).body.id;
    service = await f.service(unit);
    // Mornings with a member of staff who speaks Swedish too; late mornings with one who speaks only Finnish.
    await f.hours(await f.staff('svenska@test.fi', [unit], ['fi', 'sv']), service, WEEKDAYS, '08:00', '10:00');
    finnishStaff = await f.staff('suomi@test.fi', [unit], ['fi']);
    await f.hours(finnishStaff, service, WEEKDAYS, '10:00', '12:00');
  });
  afterAll(() => t?.close());
  beforeEach(() => t.clock.set(MONDAY_MORNING));

  /** Books a free time on the day (the first one by default) over the API. */
  async function booking(language: string, day = '2026-03-04', index = 0, email = 'maija@example.fi') {
    const slots = await f.slots(service, day, day, { language });
    const res = await f.book(slots[index].id, { language, contact: { name: 'Maija Meikäläinen', email } }).expect(201);
    return { id: res.body.appointment.id as string, token: res.body.manageToken as string, slot: slots[index].id };
  }

  /** Opens the manage link; returns the Cookie header the browser would then hold. */
  async function open(id: string, token: string): Promise<string> {
    const res = await t.http.get(`/appointments/${id}/manage`).query({ token }).expect(303);
    return `manage=${setCookie(res, 'manage')!.value}`;
  }

  const row = async (id: string) =>
    (await t.db.query(`SELECT status, slot_id, starts_at, ics_sequence FROM appointment WHERE id = $1`, [id]))[0] as { status: string; slot_id: string; starts_at: Date; ics_sequence: number };
  const timesOf = (html: string, id: string) => [...html.matchAll(new RegExp(`href="/appointments/${id}/move/([0-9a-f-]{36})"`, 'g'))].map((m) => m[1]);

  it('moves: the same service\'s times in the booking\'s language week by week, a check step, then the confirmation with the calendar file', async () => {
    const { id, token, slot } = await booking('sv');
    const cookie = `${await open(id, token)}; lang=sv`;
    const manage = await t.http.get(`/appointments/${id}/manage`).set('Cookie', cookie).expect(200);
    expect(manage.text).toContain(`href="/appointments/${id}/move"`);
    expect(text(manage)).toContain('Flytta tiden');

    const week = await t.http.get(`/appointments/${id}/move`).set('Cookie', cookie).expect(200);
    expect(week.headers['cache-control']).toBe('no-store');
    expect(week.text).toContain('noindex');
    const shown = text(week);
    expect(shown).toContain('Välj en ny tid');
    expect(shown).toContain('Din nuvarande tid: on 4.3.2026 kl. 8.00–8.20.');
    // From the earliest free day (two hours' notice: Monday 9.00), only the staff member who speaks Swedish, never the current time.
    expect(shown).toContain('Veckan må 2.3.2026–sö 8.3.2026');
    expect(shown).toContain('må 2.3.2026 9.00–9.20, Hoitaja Svenska');
    expect(shown).not.toContain('Hoitaja Suomi');
    expect(shown).not.toContain('10.00–10.20');
    const offered = timesOf(week.text, id);
    expect(offered.length).toBeGreaterThan(10);
    expect(offered).not.toContain(slot);
    // The next week, and back.
    const next = await t.http.get(`/appointments/${id}/move?viikko=2026-03-09`).set('Cookie', cookie).expect(200);
    expect(text(next)).toContain('Veckan må 9.3.2026–sö 15.3.2026');
    expect(next.text).toContain(`/appointments/${id}/move?viikko=2026-03-02`);
    // The same booking in Finnish would be offered the Finnish-only staff member's times too.
    const finnish = await booking('fi', '2026-03-12');
    expect(text(await t.http.get(`/appointments/${finnish.id}/move`).set('Cookie', await open(finnish.id, finnish.token)).expect(200))).toContain('Hoitaja Suomi');

    // A Finnish-only staff member's time, asked for directly: not offered, the nearest suitable ones instead.
    const [finnishOnly] = await f.slots(service, '2026-03-06', '2026-03-06', { staffId: finnishStaff });
    const refusedLanguage = await t.http.get(`/appointments/${id}/move/${finnishOnly.id}`).set('Cookie', cookie).expect(200);
    expect(text(refusedLanguage)).toContain('Tiden hann bokas');

    // Thursday 5 March 8.40.
    const [, , target] = await f.slots(service, '2026-03-05', '2026-03-05', { language: 'sv' });
    const check = await t.http.get(`/appointments/${id}/move/${target.id}`).set('Cookie', cookie).expect(200);
    const checked = text(check);
    expect(checked).toContain('Kontrollera den nya tiden');
    expect(checked).toContain('Nuvarande tid on 4.3.2026 kl. 8.00–8.20');
    expect(checked).toContain('Ny tid to 5.3.2026 kl. 8.40–9.00');
    const { csrf, cookie: withCsrf } = formToken(check, [cookie]);
    // A forged post (no form token, or another site) changes nothing.
    await t.http.post(`/appointments/${id}/move/${target.id}`).set('Cookie', cookie).type('form').send({ _go: 'confirm' }).expect(403);
    await t.http.post(`/appointments/${id}/move/${target.id}`).set('Cookie', withCsrf).set('Origin', 'https://evil.example').type('form')
      .send({ _csrf: csrf, _go: 'confirm' }).expect(403);
    expect((await row(id)).slot_id).toBe(slot);

    const moved = await t.http.post(`/appointments/${id}/move/${target.id}`).set('Cookie', withCsrf).type('form')
      .send({ _csrf: csrf, _go: 'confirm', to: target.startsAt }).expect(303);
    expect(moved.headers.location).toBe(`/appointments/${id}/moved`);
    expect(await row(id)).toMatchObject({ status: 'booked', slot_id: target.id, starts_at: new Date('2026-03-05T06:40:00Z'), ics_sequence: 1 });
    expect(await t.db.query(`SELECT id, booked FROM slot WHERE id = ANY ($1) ORDER BY starts_at`, [[slot, target.id]])).toEqual([
      { id: slot, booked: 0 }, { id: target.id, booked: 1 },
    ]);
    const events = await t.db.query(`SELECT action, actor_type FROM appointment_event WHERE appointment_id = $1 ORDER BY id`, [id]);
    expect(events).toEqual([{ action: 'booked', actor_type: 'family' }, { action: 'rescheduled', actor_type: 'family' }]);
    const mails = await t.db.query(`SELECT kind FROM outbox WHERE appointment_id = $1 AND kind = 'rescheduled'`, [id]);
    expect(mails).toHaveLength(1);

    const confirmation = await t.http.get(moved.headers.location).set('Cookie', cookie).expect(200);
    const confirmed = text(confirmation);
    expect(confirmed).toContain('Tiden är flyttad');
    expect(confirmed).toContain('Ny tid: to 5.3.2026 kl. 8.40–9.00');
    expect(confirmation.text).toContain(`href="/appointments/${id}/calendar.ics"`);
    const ics = await t.http.get(`/appointments/${id}/calendar.ics`).set('Cookie', cookie).expect(200);
    expect(ics.text).toContain('DTSTART:20260305T064000Z');
    // The same event as the e-mails' invitations, in the version of the move's.
    expect(ics.text).toContain(`UID:${id}@perhe-booking`);
    expect(ics.text).toContain('SEQUENCE:1');
    // Without the cookie the confirmation says to open the link again.
    expect(text(await t.http.get(moved.headers.location).expect(403))).toContain('Avaa linkki uudelleen');
  });

  it('a repeated confirm (a double click) moves once and both land on the confirmation', async () => {
    const { id, token } = await booking('fi', '2026-03-04', 1);
    const cookie = await open(id, token);
    const target = (await f.slots(service, '2026-03-06', '2026-03-06', { language: 'fi' }))[2];
    const check = await t.http.get(`/appointments/${id}/move/${target.id}`).set('Cookie', cookie).expect(200);
    const { csrf, cookie: withCsrf } = formToken(check, [cookie]);
    const post = () => t.http.post(`/appointments/${id}/move/${target.id}`).set('Cookie', withCsrf).type('form').send({ _csrf: csrf, _go: 'confirm', to: target.startsAt });
    const [one, two] = await Promise.all([post(), post()]);
    expect([one.status, one.headers.location, two.status, two.headers.location]).toEqual([303, `/appointments/${id}/moved`, 303, `/appointments/${id}/moved`]);
    expect((await row(id)).slot_id).toBe(target.id);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM appointment_event WHERE appointment_id = $1 AND action = 'rescheduled'`, [id])).toEqual([{ n: 1 }]);
  });

  it('a repeated confirm to a time with room for several moves once too', async () => {
    const unit = (await t.db.query(`SELECT unit_id FROM service WHERE id = $1`, [service]))[0].unit_id;
    const group = await f.service(unit, { capacity: 3, name: { fi: 'Vauvaryhmä', sv: 'Babygrupp', en: 'Baby group' } });
    await f.hours(finnishStaff, group, [4], '13:00', '14:00');
    const [from, to] = await f.slots(group, '2026-03-05', '2026-03-05');
    const booked = await f.book(from.id, { contact: { name: 'Maija Meikäläinen', email: 'ryhma@example.fi' } }).expect(201);
    const id = booked.body.appointment.id as string;
    const cookie = await open(id, booked.body.manageToken);
    const check = await t.http.get(`/appointments/${id}/move/${to.id}`).set('Cookie', cookie).expect(200);
    const { csrf, cookie: withCsrf } = formToken(check, [cookie]);
    const post = () => t.http.post(`/appointments/${id}/move/${to.id}`).set('Cookie', withCsrf).type('form').send({ _csrf: csrf, _go: 'confirm', to: to.startsAt });
    expect((await post()).headers.location).toBe(`/appointments/${id}/moved`);
    expect((await post()).headers.location).toBe(`/appointments/${id}/moved`);
    expect(await t.db.query(`SELECT id, booked FROM slot WHERE id = ANY ($1) ORDER BY starts_at`, [[from.id, to.id]])).toEqual([{ id: from.id, booked: 0 }, { id: to.id, booked: 1 }]);
    expect(await row(id)).toMatchObject({ slot_id: to.id, ics_sequence: 1 });
    expect(await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE appointment_id = $1 AND kind = 'rescheduled'`, [id])).toEqual([{ n: 1 }]);
  });

  it('two moves of one appointment at once through the API: one moves it, the other finds the time taken (not a missing appointment)', async () => {
    const { id, token } = await booking('fi', '2026-03-04', 6);
    const target = (await f.slots(service, '2026-03-06', '2026-03-06', { language: 'fi' }))[3];
    const move = () => t.http.post(`/api/v1/appointments/${id}/reschedule`).set('X-Manage-Token', token).send({ slotId: target.id });
    const answers = await Promise.all([move(), move()]);
    expect(answers.map((r) => [r.status, r.body.code ?? null]).sort()).toEqual([[200, null], [409, 'slot_taken']]);
    expect((await row(id)).slot_id).toBe(target.id);
  });

  it('after the change deadline, moving is refused in plain language with the unit\'s phone, and nothing changes', async () => {
    const { id, token, slot } = await booking('fi', '2026-03-04', 2);
    const cookie = await open(id, token);
    const target = (await f.slots(service, '2026-03-09', '2026-03-09', { language: 'fi' }))[0];
    const check = await t.http.get(`/appointments/${id}/move/${target.id}`).set('Cookie', cookie).expect(200);
    const { csrf, cookie: withCsrf } = formToken(check, [cookie]);
    // The deadline is 24 hours before: Tuesday 8.40.
    t.clock.set('2026-03-03T09:00:00+02:00');
    const manage = await t.http.get(`/appointments/${id}/manage`).set('Cookie', cookie).expect(200);
    expect(manage.text).not.toContain(`/appointments/${id}/move"`);
    for (const page of [`/appointments/${id}/move`, `/appointments/${id}/move/${target.id}`]) {
      const shown = await t.http.get(page).set('Cookie', cookie).expect(200);
      expect(text(shown)).toMatch(/Aikaa ei voi enää muuttaa tai perua verkossa\. Soita toimipisteeseen Neuvola Keskusta: \+358 9 123 4567 ?\./);
      expect(shown.text).not.toContain(`href="/appointments/${id}/move"`);
      expect(shown.text).not.toContain('method="post"');
    }
    const refused = await t.http.post(`/appointments/${id}/move/${target.id}`).set('Cookie', withCsrf).type('form')
      .send({ _csrf: csrf, _go: 'confirm', to: target.startsAt }).expect(409);
    expect(text(refused)).toContain('Aikaa ei voi enää muuttaa tai perua verkossa. Soita toimipisteeseen Neuvola Keskusta');
    expect(refused.text).toContain('href="tel:+35891234567"');
    expect(await row(id)).toMatchObject({ status: 'booked', slot_id: slot, ics_sequence: 0 });
    expect((await t.db.query(`SELECT booked FROM slot WHERE id = $1`, [target.id]))[0].booked).toBe(0);
  });

  it('a time taken meanwhile: the same page says so and shows the nearest free times; the appointment stays where it was', async () => {
    const { id, token, slot } = await booking('sv', '2026-03-04', 3);
    const cookie = `${await open(id, token)}; lang=en`;
    const day = await f.slots(service, '2026-03-10', '2026-03-10', { language: 'sv' });
    const target = day[2];
    const check = await t.http.get(`/appointments/${id}/move/${target.id}`).set('Cookie', cookie).expect(200);
    expect(text(check)).toContain('New time Tue 10 March 2026 at 8:40–9:00');
    const { csrf, cookie: withCsrf } = formToken(check, [cookie]);
    // Another family takes it meanwhile.
    await f.book(target.id, { contact: { name: 'Toinen Perhe', email: 'toinen@example.fi' } }).expect(201);
    const taken = await t.http.post(`/appointments/${id}/move/${target.id}`).set('Cookie', withCsrf).type('form')
      .send({ _csrf: csrf, _go: 'confirm', to: target.startsAt }).expect(409);
    const shown = text(taken);
    expect(shown).toContain('Nearest free times');
    expect(shown).toMatch(/Your appointment still stands at its original time: Wed 4 March 2026 at \d+:\d\d–\d+:\d\d\. Do not move it, back to the appointment/);
    const nearest = timesOf(taken.text, id);
    expect(nearest).toHaveLength(6);
    expect(nearest).not.toContain(target.id);
    // The nearest to 8.40 on Tuesday 10 March: its neighbours on that day come first.
    expect(nearest).toEqual(expect.arrayContaining([day[1].id, day[3].id]));
    expect(taken.text).toContain(`href="/appointments/${id}/move"`);
    expect(await row(id)).toMatchObject({ status: 'booked', slot_id: slot, ics_sequence: 0 });
    expect(await t.db.query(`SELECT count(*)::int AS n FROM appointment WHERE slot_id = $1`, [target.id])).toEqual([{ n: 1 }]);
    // A time that does not exist is "taken" too, not an error.
    await t.http.post(`/appointments/${id}/move/00000000-0000-4000-8000-000000000000`).set('Cookie', withCsrf).type('form')
      .send({ _csrf: csrf, _go: 'confirm' }).expect(409);
    expect((await row(id)).slot_id).toBe(slot);
  });

  it('without the cookie, or with another appointment\'s, the pages say so in plain language and nothing changes', async () => {
    const { id, token, slot } = await booking('fi', '2026-03-04', 4);
    const other = await booking('fi', '2026-03-04', 5);
    const cookie = await open(id, token);
    const target = (await f.slots(service, '2026-03-11', '2026-03-11', { language: 'fi' }))[0];
    const check = await t.http.get(`/appointments/${id}/move/${target.id}`).set('Cookie', cookie).expect(200);
    const { csrf, cookie: withCsrf } = formToken(check, [cookie]);
    const csrfOnly = withCsrf.split('; ').filter((c) => c.startsWith('csrf=')).join('; ');
    const foreign = `${csrfOnly}; manage=${other.token}`;

    for (const page of [`/appointments/${id}/move`, `/appointments/${id}/move/${target.id}`, `/appointments/${id}/moved`]) {
      expect(text(await t.http.get(page).expect(403))).toContain('Turvallisuussyistä varauksesi näkyy tällä sivulla vain hetken linkin avaamisen jälkeen.');
      expect(text(await t.http.get(page).set('Cookie', `manage=${other.token}`).expect(404))).toContain('Linkki ei ole voimassa');
    }
    const noCookie = await t.http.post(`/appointments/${id}/move/${target.id}`).set('Cookie', csrfOnly).type('form')
      .send({ _csrf: csrf, _go: 'confirm', to: target.startsAt }).expect(403);
    expect(text(noCookie)).toContain('Avaa linkki uudelleen varausvahvistuksesta.');
    const wrong = await t.http.post(`/appointments/${id}/move/${target.id}`).set('Cookie', foreign).type('form')
      .send({ _csrf: csrf, _go: 'confirm', to: target.startsAt }).expect(404);
    expect(text(wrong)).toContain('Linkki ei ole voimassa');
    expect(await row(id)).toMatchObject({ status: 'booked', slot_id: slot, ics_sequence: 0 });
    expect((await row(other.id)).slot_id).toBe(other.slot);
    expect((await t.db.query(`SELECT booked FROM slot WHERE id = $1`, [target.id]))[0].booked).toBe(0);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM appointment_event WHERE action = 'rescheduled' AND appointment_id = ANY ($1)`, [[id, other.id]])).toEqual([{ n: 0 }]);
  });
});
