import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from '../support/booking-fixture';
import { KOULUTERVEYS } from '../support/forms-examples';
import { PASSWORD, type TestApp, startApp } from '../support/test-app';
import { formToken, setCookie, text } from './page-helpers';

const ORIGIN = 'http://perhe.test';

/** Staff schedule pages over HTTP: hours, extra hours, absences, slots, moving, booking by phone, the unit's day; with the API's rules. */
describe('staff pages: working hours, absences, slots, moving and booking by phone', () => {
  let t: TestApp;
  let f: BookingFixture;
  let unitA: string;
  let unitB: string;
  let nurse: string;
  let colleague: string;
  let otherNurse: string;
  let serviceA: string;
  let serviceB: string;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock('2026-03-02T09:00:00+02:00'), env: { PUBLIC_URL: ORIGIN } });
    f = await BookingFixture.create(t);
    unitA = await f.unit('neuvola-a');
    unitB = await f.unit('neuvola-b');
    nurse = await f.staff('hoitaja@test.fi', [unitA], ['fi', 'sv']);
    colleague = await f.staff('kollega@test.fi', [unitA], ['fi']);
    otherNurse = await f.staff('toinen@test.fi', [unitB], ['fi']);
    serviceA = await f.service(unitA, { preInformationForm: 'esitiedot-kouluterveydenhuolto' });
    serviceB = await f.service(unitB);
    await f.hours(nurse, serviceA, WEEKDAYS, '08:00', '12:00');
    await f.hours(colleague, serviceA, WEEKDAYS, '12:00', '14:00');
    await f.hours(otherNurse, serviceB, WEEKDAYS, '08:00', '12:00');
  }, 120_000);
  afterAll(() => t.close());

  interface Browser { cookies: string; csrf: string }

  async function signIn(email: string): Promise<Browser> {
    const page = await t.http.get('/staff/login?lang=fi').expect(200);
    const { csrf, cookie } = formToken(page, ['lang=fi']);
    const res = await t.http.post('/staff/login').set('Cookie', cookie).set('Origin', ORIGIN).type('form').send({ _csrf: csrf, email, password: PASSWORD }).expect(303);
    return { cookies: [cookie, `session=${setCookie(res, 'session')!.value}`, `staff_seen=${setCookie(res, 'staff_seen')!.value}`].join('; '), csrf };
  }

  const get = (b: Browser, path: string) => t.http.get(path).set('Cookie', b.cookies);
  const post = (b: Browser, path: string, body: Record<string, string>) =>
    t.http.post(path).set('Cookie', b.cookies).set('Origin', ORIGIN).type('form').send({ _csrf: b.csrf, ...body });
  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query(sql, params))[0].n);

  /** The first free slot of a staff member and service on a day (API time strings). */
  async function slotOf(staffId: string, serviceId: string, day: string): Promise<{ id: string; startsAt: string }> {
    const [slot] = await t.db.query(
      `SELECT id, starts_at FROM slot WHERE staff_id = $1 AND service_id = $2 AND (starts_at AT TIME ZONE 'Europe/Helsinki')::date = $3 AND booked = 0 AND NOT blocked ORDER BY starts_at LIMIT 1`,
      [staffId, serviceId, day],
    );
    return { id: slot.id, startsAt: slot.starts_at.toISOString() };
  }

  it('a nurse lists, adds and removes her weekly hours and extra hours; the slots follow', async () => {
    const b = await signIn('hoitaja@test.fi');
    const page = await get(b, '/staff/schedule').expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(text(page)).toContain('Työajat ja poissaolot');
    expect(text(page)).toMatch(/maanantai 08:00–12:00 Kouluterveydenhoitajan vastaanotto/);

    const added = await post(b, '/staff/schedule/working-hours', { staff: nurse, serviceId: serviceA, weekday: '6', startTime: '09:00', endTime: '10:00', validFrom: '2026-03-01' }).expect(303);
    expect(added.headers.location).toBe('/staff/schedule?done=added');
    const saturday = `SELECT count(*) AS n FROM slot WHERE staff_id = $1 AND (starts_at AT TIME ZONE 'Europe/Helsinki')::date = '2026-03-07'`;
    expect(await count(saturday, [nurse])).toBe(3);
    const listed = await get(b, '/staff/schedule?done=added').expect(200);
    expect(text(listed)).toContain('Lisätty.');
    expect(text(listed)).toContain('lauantai 09:00–10:00');
    const [hours] = await t.db.query(`SELECT id FROM working_hours WHERE staff_id = $1 AND weekday = 6`, [nurse]);
    await post(b, `/staff/schedule/working-hours/${hours.id}/remove`, { staff: nurse }).expect(303);
    expect(await count(`SELECT count(*) AS n FROM working_hours WHERE id = $1`, [hours.id])).toBe(0);
    expect(await count(saturday, [nurse])).toBe(0);

    await post(b, '/staff/schedule/extra-hours', { serviceId: serviceA, date: '2026-03-08', startTime: '10:00', endTime: '10:40' }).expect(303);
    const sunday = `SELECT count(*) AS n FROM slot WHERE staff_id = $1 AND (starts_at AT TIME ZONE 'Europe/Helsinki')::date = '2026-03-08'`;
    expect(await count(sunday, [nurse])).toBe(2);
    const [extra] = await t.db.query(`SELECT id FROM extra_hours WHERE staff_id = $1`, [nurse]);
    expect(text(await get(b, '/staff/schedule').expect(200))).toContain('su 8.3.2026 10:00–10:40');
    await post(b, `/staff/schedule/extra-hours/${extra.id}/remove`, {}).expect(303);
    expect(await count(sunday, [nurse])).toBe(0);

    // An absence that hits nothing is saved at once, and removed.
    await post(b, '/staff/schedule/absences', { startDate: '2026-03-20', startTime: '08:00', endDate: '2026-03-20', endTime: '12:00', reason: 'Koulutus' }).expect(303);
    const [absence] = await t.db.query(`SELECT id, reason FROM absence WHERE staff_id = $1`, [nurse]);
    expect(absence.reason).toBe('Koulutus');
    expect(await count(`SELECT count(*) AS n FROM slot WHERE staff_id = $1 AND (starts_at AT TIME ZONE 'Europe/Helsinki')::date = '2026-03-20'`, [nurse])).toBe(0);
    await post(b, `/staff/schedule/absences/${absence.id}/remove`, {}).expect(303);
    expect(await count(`SELECT count(*) AS n FROM absence WHERE staff_id = $1`, [nurse])).toBe(0);
  });

  it('bad input is refused on the page with the API\'s message, and nothing is stored', async () => {
    const b = await signIn('hoitaja@test.fi');
    const before = await count(`SELECT (SELECT count(*) FROM working_hours) + (SELECT count(*) FROM extra_hours) + (SELECT count(*) FROM absence) + (SELECT count(*) FROM slot) AS n`);
    const reversed = await post(b, '/staff/schedule/working-hours', { serviceId: serviceA, weekday: '6', startTime: '12:00', endTime: '09:00', validFrom: '2026-03-01' }).expect(400);
    expect(reversed.text).toMatch(/href="#wh-endTime"/);
    expect(text(reversed)).toContain('Tarkista tiedot');
    await post(b, '/staff/schedule/working-hours', { serviceId: serviceA, weekday: '9', startTime: '08:00', endTime: '09:00', validFrom: '2026-03-01' }).expect(400);
    await post(b, '/staff/schedule/working-hours', { serviceId: 'not-a-service', weekday: '1', startTime: '08:00', endTime: '09:00', validFrom: '2026-03-01' }).expect(400);
    await post(b, '/staff/schedule/extra-hours', { serviceId: serviceA, date: '2026-02-30', startTime: '08:00', endTime: '09:00' }).expect(400);
    const absence = await post(b, '/staff/schedule/absences', { startDate: '2026-03-20', startTime: '12:00', endDate: '2026-03-20', endTime: '08:00' }).expect(400);
    expect(absence.text).toMatch(/href="#ab-endDate"/);
    await post(b, '/staff/schedule/absences', { startDate: 'huomenna', startTime: '12:00', endDate: '2026-03-20', endTime: '13:00' }).expect(400);
    await post(b, '/staff/slots', { serviceId: serviceA, date: '2026-03-01', time: '10:00' }).expect(422);
    await post(b, '/staff/slots', { serviceId: serviceA, date: '2026-03-10', time: '25:00' }).expect(400);
    await post(b, '/staff/schedule/lunch', { serviceId: serviceA }).expect(404);
    // A date the database cannot take, or none at all, shows today rather than failing.
    for (const date of ['0000-01-01', '9999-12-31', '2026-02-30', 'eilen']) {
      await get(b, `/staff/calendar?view=day&date=${date}`).expect(200);
      await get(b, `/staff/calendar/unit?date=${date}`).expect(200);
      await get(b, `/staff/book/${serviceA}?from=${date}`).expect(200);
    }
    // No form token: refused before anything is read.
    await t.http.post('/staff/schedule/absences').set('Cookie', b.cookies).set('Origin', ORIGIN).type('form')
      .send({ startDate: '2026-03-20', startTime: '08:00', endDate: '2026-03-20', endTime: '09:00' }).expect(403);
    const after = await count(`SELECT (SELECT count(*) FROM working_hours) + (SELECT count(*) FROM extra_hours) + (SELECT count(*) FROM absence) + (SELECT count(*) FROM slot) AS n`);
    expect(after).toBe(before);
  });

  it('staff of another unit are refused everywhere in another calendar, and nothing is stored; an admin may edit anyone\'s', async () => {
    const b = await signIn('toinen@test.fi');
    const before = await count(`SELECT (SELECT count(*) FROM working_hours) + (SELECT count(*) FROM absence) + (SELECT count(*) FROM slot WHERE blocked) + (SELECT count(*) FROM slot) AS n`);
    await get(b, `/staff/schedule?staff=${nurse}`).expect(403);
    await post(b, '/staff/schedule/working-hours', { serviceId: serviceA, weekday: '6', startTime: '09:00', endTime: '10:00', validFrom: '2026-03-01' }).expect(403);
    await post(b, '/staff/schedule/absences', { staff: nurse, startDate: '2026-03-20', startTime: '08:00', endDate: '2026-03-20', endTime: '12:00', confirmed: '1' }).expect(403);
    const [hours] = await t.db.query(`SELECT id FROM working_hours WHERE staff_id = $1 LIMIT 1`, [nurse]);
    await post(b, `/staff/schedule/working-hours/${hours.id}/remove`, { staff: nurse }).expect(403);
    await post(b, `/staff/schedule/working-hours/${hours.id}/remove`, {}).expect(404);
    const slot = await slotOf(nurse, serviceA, '2026-03-10');
    await post(b, `/staff/slots/${slot.id}/block`, {}).expect(404);
    await post(b, '/staff/slots', { serviceId: serviceA, date: '2026-03-10', time: '15:00' }).expect(403);
    await get(b, `/staff/calendar/unit?unit=${unitA}`).expect(403);
    await get(b, `/staff/book/${serviceA}`).expect(403);
    const after = await count(`SELECT (SELECT count(*) FROM working_hours) + (SELECT count(*) FROM absence) + (SELECT count(*) FROM slot WHERE blocked) + (SELECT count(*) FROM slot) AS n`);
    expect(after).toBe(before);

    const admin = await signIn('admin@test.fi');
    const page = await get(admin, `/staff/schedule?staff=${otherNurse}`).expect(200);
    expect(text(page)).toContain('Työajat ja poissaolot: Hoitaja Toinen');
    const added = await post(admin, '/staff/schedule/extra-hours', { staff: otherNurse, serviceId: serviceB, date: '2026-03-08', startTime: '10:00', endTime: '10:20' }).expect(303);
    expect(added.headers.location).toBe(`/staff/schedule?staff=${otherNurse}&done=added`);
    expect(await count(`SELECT count(*) AS n FROM extra_hours WHERE staff_id = $1`, [otherNurse])).toBe(1);
  });

  it('an absence over a booked time shows the time and asks first (nothing stored); confirmed, the appointment is kept and flagged', async () => {
    const slot = await slotOf(nurse, serviceA, '2026-03-11');
    const booked = (await f.book(slot.id, { contact: { name: 'Liisa Perhe', email: 'liisa@example.fi' } }).expect(201)).body.appointment;
    const b = await signIn('hoitaja@test.fi');
    const absence = { startDate: '2026-03-11', startTime: '07:00', endDate: '2026-03-11', endTime: '16:00', reason: 'Sairaus' };
    const asked = await post(b, '/staff/schedule/absences', absence).expect(200);
    expect(text(asked)).toContain('Poissaolo osuu varattuihin aikoihin');
    expect(text(asked)).toContain('Liisa Perhe');
    expect(asked.text).toContain(`href="/staff/appointments/${booked.id}"`);
    expect(asked.text).toMatch(/name="confirmed" value="1"/);
    expect(await count(`SELECT count(*) AS n FROM absence WHERE staff_id = $1`, [nurse])).toBe(0);
    const [untouched] = await t.db.query(`SELECT withdrawn FROM slot WHERE id = $1`, [slot.id]);
    expect(untouched.withdrawn).toBe(false);

    await post(b, '/staff/schedule/absences', { ...absence, confirmed: '1' }).expect(303);
    expect(await count(`SELECT count(*) AS n FROM absence WHERE staff_id = $1`, [nurse])).toBe(1);
    const [kept] = await t.db.query(`SELECT a.status, s.withdrawn FROM appointment a JOIN slot s ON s.id = a.slot_id WHERE a.id = $1`, [booked.id]);
    expect(kept).toEqual({ status: 'booked', withdrawn: true });
    const schedule = await get(b, '/staff/schedule').expect(200);
    expect(text(schedule)).toContain('Nämä varatut ajat eivät enää sovi kalenteriisi');
    expect(text(schedule)).toContain('Liisa Perhe');
  });

  it('blocks and unblocks a slot, adds a single slot from the calendar and removes it', async () => {
    const b = await signIn('hoitaja@test.fi');
    const slot = await slotOf(nurse, serviceA, '2026-03-12');
    const day = await get(b, '/staff/calendar?view=day&date=2026-03-12').expect(200);
    expect(day.text).toContain(`action="/staff/slots/${slot.id}/block"`);
    expect(day.text).toMatch(/<input type="date" id="date" name="date" value="2026-03-12"/);
    const back = '/staff/calendar?view=day&date=2026-03-12';
    const blocked = await post(b, `/staff/slots/${slot.id}/block`, { back }).expect(303);
    expect(blocked.headers.location).toBe(`${back}&done=blocked`);
    expect((await t.db.query(`SELECT blocked FROM slot WHERE id = $1`, [slot.id]))[0].blocked).toBe(true);
    expect((await f.slots(serviceA, '2026-03-12', '2026-03-12')).map((s) => s.id)).not.toContain(slot.id);
    const shown = await get(b, `${back}&done=blocked`).expect(200);
    expect(text(shown)).toContain('Aika estetty.');
    expect(shown.text).toContain(`action="/staff/slots/${slot.id}/unblock"`);
    // A return address to another site is not followed.
    const unblocked = await post(b, `/staff/slots/${slot.id}/unblock`, { back: 'https://evil.example/' }).expect(303);
    expect(unblocked.headers.location).toBe('/staff/calendar?view=day&date=2026-03-12&done=unblocked');
    expect((await t.db.query(`SELECT blocked FROM slot WHERE id = $1`, [slot.id]))[0].blocked).toBe(false);
    await post(b, `/staff/slots/${slot.id}/hide`, {}).expect(404);

    const added = await post(b, '/staff/slots', { serviceId: serviceA, date: '2026-03-12', time: '15:00' }).expect(303);
    expect(added.headers.location).toBe('/staff/calendar?view=day&date=2026-03-12&done=slot-added');
    const [manual] = await t.db.query(`SELECT origin, starts_at FROM slot WHERE staff_id = $1 AND origin = 'manual'`, [nurse]);
    expect(manual.starts_at.toISOString()).toBe('2026-03-12T13:00:00.000Z');
    const again = await post(b, '/staff/slots', { serviceId: serviceA, date: '2026-03-12', time: '15:00' }).expect(409);
    expect(text(again)).toContain('Lisää yksittäinen aika');
    expect(await count(`SELECT count(*) AS n FROM slot WHERE staff_id = $1 AND origin = 'manual'`, [nurse])).toBe(1);

    // The single slot can be removed from the calendar while nobody has booked it; a slot of the weekly hours cannot.
    const [single] = await t.db.query(`SELECT id FROM slot WHERE staff_id = $1 AND origin = 'manual'`, [nurse]);
    const listed = await get(b, back).expect(200);
    expect(listed.text).toContain(`action="/staff/slots/${single.id}/remove"`);
    expect(listed.text).not.toContain(`action="/staff/slots/${slot.id}/remove"`);
    await post(b, `/staff/slots/${slot.id}/remove`, { back }).expect(409);
    // Not by a colleague of another unit.
    await post(await signIn('toinen@test.fi'), `/staff/slots/${single.id}/remove`, { back }).expect(404);
    const removed = await post(b, `/staff/slots/${single.id}/remove`, { back }).expect(303);
    expect(removed.headers.location).toBe(`${back}&done=slot-removed`);
    expect(text(await get(b, removed.headers.location).expect(200))).toContain('Aika poistettu.');
    expect(await count(`SELECT count(*) AS n FROM slot WHERE staff_id = $1 AND origin = 'manual'`, [nurse])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM slot WHERE id = $1`, [slot.id])).toBe(1);
  });

  it('moves an appointment by the staff rules: the booking\'s language unless another is allowed, within the notice; not another unit\'s', async () => {
    const slot = await slotOf(nurse, serviceA, '2026-03-13');
    const booked = (await f.book(slot.id, { language: 'sv', contact: { name: 'Sara Svensson', phone: '0401234567' } }).expect(201)).body.appointment;
    const b = await signIn('hoitaja@test.fi');
    const page = await get(b, `/staff/appointments/${booked.id}/move?from=2026-03-02`).expect(200);
    expect(text(page)).toContain(`Siirrä aika ${booked.reference}`);
    // Within the service's minimum notice (two hours): staff may still move to it; the colleague does not speak Swedish.
    expect(text(page)).toContain('9.20–9.40 Hoitaja Hoitaja');
    expect(text(page)).not.toContain('Hoitaja Kollega');
    const all = await get(b, `/staff/appointments/${booked.id}/move?from=2026-03-02&other=1`).expect(200);
    expect(text(all)).toContain('Hoitaja Kollega');

    const target = await slotOf(colleague, serviceA, '2026-03-16');
    const refused = await post(b, `/staff/appointments/${booked.id}/move`, { slotId: target.id }).expect(422);
    expect(text(refused)).toContain('Valitsemasi ajan työntekijä ei palvele varauksesi kielellä.');
    const [same] = await t.db.query(`SELECT slot_id FROM appointment WHERE id = $1`, [booked.id]);
    expect(same.slot_id).toBe(slot.id);

    const other = await signIn('toinen@test.fi');
    await get(other, `/staff/appointments/${booked.id}/move`).expect(404);
    await post(other, `/staff/appointments/${booked.id}/move`, { slotId: target.id, allowOtherLanguage: '1' }).expect(404);
    expect((await t.db.query(`SELECT slot_id FROM appointment WHERE id = $1`, [booked.id]))[0].slot_id).toBe(slot.id);

    const moved = await post(b, `/staff/appointments/${booked.id}/move`, { slotId: target.id, allowOtherLanguage: '1' }).expect(303);
    expect(moved.headers.location).toBe(`/staff/appointments/${booked.id}?done=moved`);
    const [after] = await t.db.query(`SELECT slot_id, staff_id FROM appointment WHERE id = $1`, [booked.id]);
    expect(after).toEqual({ slot_id: target.id, staff_id: colleague });
    expect((await t.db.query(`SELECT booked FROM slot WHERE id = $1`, [slot.id]))[0].booked).toBe(0);
    expect(text(await get(b, `/staff/appointments/${booked.id}?done=moved`).expect(200))).toContain('Aika siirretty.');
  });

  it('books for a family calling by phone: service, free time, contact details, check, confirm (once, even clicked twice)', async () => {
    const b = await signIn('hoitaja@test.fi');
    const services = await get(b, '/staff/book').expect(200);
    expect(services.text).toContain(`href="/staff/book/${serviceA}"`);
    expect(services.text).not.toContain(`href="/staff/book/${serviceB}"`);
    await get(b, `/staff/book/${serviceB}`).expect(403);
    const slot = await slotOf(nurse, serviceA, '2026-03-17');
    // A day out of range shows today's times rather than failing.
    for (const from of ['0000-01-01', '9999-12-31', '2026-02-30']) await get(b, `/staff/book/${serviceA}?from=${from}`).expect(200);
    const times = await get(b, `/staff/book/${serviceA}?from=2026-03-17`).expect(200);
    expect(times.text).toContain(`href="/staff/book/${serviceA}/${slot.id}"`);
    const contact = await get(b, `/staff/book/${serviceA}/${slot.id}`).expect(200);
    const key = /name="key" value="([^"]+)"/.exec(contact.text)![1];

    const before = await count(`SELECT count(*) AS n FROM appointment`);
    const missing = await post(b, `/staff/book/${serviceA}/${slot.id}`, { go: 'check', key, name: 'Pekka Puhelin', language: 'fi', channel: 'phone' }).expect(422);
    expect(missing.text).toContain('href="#email"');
    const badName = await post(b, `/staff/book/${serviceA}/${slot.id}`, { go: 'check', key, name: '<script>', phone: '0401112223', language: 'fi', channel: 'phone' }).expect(422);
    expect(badName.text).toContain('href="#name"');
    await post(b, `/staff/book/${serviceA}/${slot.id}`, { go: 'check', key, name: 'Pekka Puhelin', phone: '0401112223', language: 'fi', channel: 'video' }).expect(422);
    const details = { key, name: 'Pekka Puhelin', phone: '0401112223', email: '', childName: 'Pikku Puhelin', note: '', language: 'fi', channel: 'phone' };
    const check = await post(b, `/staff/book/${serviceA}/${slot.id}`, { go: 'check', ...details }).expect(200);
    expect(text(check)).toContain('Tarkista varaus');
    expect(text(check)).toContain('Pekka Puhelin');
    expect(await count(`SELECT count(*) AS n FROM appointment`)).toBe(before);

    // Another unit's staff cannot book this slot, even with the form filled in.
    const other = await signIn('toinen@test.fi');
    await post(other, `/staff/book/${serviceA}/${slot.id}`, { go: 'confirm', ...details, key: 'another-key-123' }).expect(403);
    expect(await count(`SELECT count(*) AS n FROM appointment`)).toBe(before);

    const first = await post(b, `/staff/book/${serviceA}/${slot.id}`, { go: 'confirm', ...details }).expect(303);
    const second = await post(b, `/staff/book/${serviceA}/${slot.id}`, { go: 'confirm', ...details }).expect(303);
    expect(second.headers.location).toBe(first.headers.location);
    const id = /\/staff\/appointments\/([0-9a-f-]{36})\?done=booked$/.exec(first.headers.location)![1];
    const [row] = await t.db.query(`SELECT booked_by, channel, contact_phone, child_name, slot_id FROM appointment WHERE id = $1`, [id]);
    expect(row).toEqual({ booked_by: 'staff', channel: 'phone', contact_phone: '0401112223', child_name: 'Pikku Puhelin', slot_id: slot.id });
    expect(await count(`SELECT count(*) AS n FROM appointment`)).toBe(before + 1);
    expect(text(await get(b, first.headers.location).expect(200))).toContain('Aika varattu perheelle.');
    // The time is gone: another confirm with a new key shows the free times again.
    const taken = await post(b, `/staff/book/${serviceA}/${slot.id}`, { go: 'confirm', ...details, key: 'a-fresh-key-456' }).expect(409);
    expect(text(taken)).toContain('Aika ei ole enää vapaana');
  });

  it('the unit\'s day shows every calendar of the unit with the pre-information mark, to the unit\'s staff only', async () => {
    const slot = await slotOf(colleague, serviceA, '2026-03-18');
    const booked = (await f.book(slot.id, { contact: { name: 'Essi Esitieto', email: 'essi@example.fi' } }).expect(201)).body;
    await t.http.post(`/api/v1/appointments/${booked.appointment.id}/pre-information`).set('X-Pre-Information-Token', booked.preInformation.token)
      .send({ language: 'fi', answers: KOULUTERVEYS }).expect(201);
    const b = await signIn('hoitaja@test.fi');
    const page = await get(b, `/staff/calendar/unit?unit=${unitA}&date=2026-03-18`).expect(200);
    const shown = text(page);
    expect(shown).toContain('Hoitaja Hoitaja');
    expect(shown).toContain('Hoitaja Kollega');
    expect(shown).toMatch(/Essi Esitieto .*Esitiedot saapuneet/);
    expect(shown).not.toContain('Hoitaja Toinen');
    await get(b, `/staff/calendar/unit?unit=${unitB}`).expect(403);
    await get(b, `/staff/calendar/unit?unit=${unitA}&date=0000-01-01`).expect(200);
    await get(b, '/staff/calendar/unit?unit=not-a-unit').expect(404);
    const own = await get(b, '/staff/calendar/unit').expect(200);
    expect(text(own)).toContain('Yksikön päivä');
  });
});
