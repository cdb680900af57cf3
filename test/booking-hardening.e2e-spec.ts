import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from './support/booking-fixture';
import { PYYDA_APUA } from './support/forms-examples';
import { type TestApp, PASSWORD, login, startApp } from './support/test-app';

/** Monday 23 March 2026, 07:00 in Helsinki: daylight saving starts on Sunday 29 March. */
const MONDAY_MORNING = '2026-03-23T07:00:00+02:00';

describe('a reschedule keeps to staff who speak the booking\'s language', () => {
  let t: TestApp;
  let f: BookingFixture;
  let service: string;
  let swedish: string;
  let finnish: string;
  let staffAuth: string;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING) });
    f = await BookingFixture.create(t);
    const unit = await f.unit('familjecentret');
    swedish = await f.staff('svenska@test.fi', [unit], ['sv', 'fi']);
    finnish = await f.staff('suomi@test.fi', [unit], ['fi', 'en']);
    service = await f.service(unit);
    await f.hours(swedish, service, WEEKDAYS, '08:00', '10:00');
    await f.hours(finnish, service, WEEKDAYS, '08:00', '10:00');
    staffAuth = await login(t, 'suomi@test.fi');
  });
  afterAll(() => t.close());

  /** What a refused reschedule must leave as it was. */
  const state = async () =>
    (await t.db.query(
      ['appointment', 'appointment_event', 'slot', 'outbox']
        .map((x) => `SELECT '${x}' AS t, md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) AS sum FROM ${x} r`)
        .join(' UNION ALL '),
    )) as { t: string; sum: string }[];

  async function swedishBooking() {
    const [slot] = await f.slots(service, '2026-03-25', '2026-03-25', { staffId: swedish });
    const { appointment, manageToken } = (await f.book(slot.id, { language: 'sv' }).expect(201)).body;
    return { id: appointment.id as string, manageToken: manageToken as string };
  }

  it('refuses a family\'s move to staff who do not speak it, in the family\'s language, and changes nothing', async () => {
    const { id, manageToken } = await swedishBooking();
    const [finnishSlot] = await f.slots(service, '2026-03-26', '2026-03-26', { staffId: finnish });
    const before = await state();
    const texts = {
      sv: 'Medarbetaren som har den tid du valde betjänar inte på bokningens språk. Välj en tid hos en medarbetare som betjänar på ditt språk.',
      fi: 'Valitsemasi ajan työntekijä ei palvele varauksesi kielellä. Valitse aika sellaiselta työntekijältä, joka palvelee kielelläsi.',
      en: 'The staff member at the time you chose does not serve in the language of your booking. Please choose a time with staff who serve in your language.',
    };
    for (const [lang, message] of Object.entries(texts)) {
      const refused = await t.http.post(`/api/v1/appointments/${id}/reschedule`).set('X-Manage-Token', manageToken).set('Accept-Language', lang)
        .send({ slotId: finnishSlot.id });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'staff_language_mismatch', message });
    }
    // Families cannot waive it.
    const waived = await t.http.post(`/api/v1/appointments/${id}/reschedule`).set('X-Manage-Token', manageToken)
      .send({ slotId: finnishSlot.id, allowOtherLanguage: true });
    expect(waived.status).toBe(400);
    expect(waived.body.fields).toEqual([expect.objectContaining({ field: 'allowOtherLanguage', rule: 'whitelistValidation' })]);
    expect(await state()).toEqual(before);
    expect((await f.slots(service, '2026-03-26', '2026-03-26', { staffId: finnish })).map((s) => s.id)).toContain(finnishSlot.id);

    // Another time with Swedish-speaking staff is fine.
    const [swedishSlot] = await f.slots(service, '2026-03-27', '2026-03-27', { staffId: swedish });
    const moved = await t.http.post(`/api/v1/appointments/${id}/reschedule`).set('X-Manage-Token', manageToken).send({ slotId: swedishSlot.id }).expect(200);
    expect(moved.body).toMatchObject({ startsAt: swedishSlot.startsAt, language: 'sv', staff: { id: swedish } });
  });

  it('refuses staff the same unless they allow another language explicitly', async () => {
    const { id } = await swedishBooking();
    const [finnishSlot] = await f.slots(service, '2026-03-26', '2026-03-26', { staffId: finnish });
    const before = await state();
    for (const body of [{ slotId: finnishSlot.id }, { slotId: finnishSlot.id, allowOtherLanguage: false }]) {
      const refused = await t.http.post(`/api/v1/staff/appointments/${id}/reschedule`).set('Authorization', staffAuth).set('Accept-Language', 'en').send(body);
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('staff_language_mismatch');
    }
    expect(await state()).toEqual(before);

    const moved = await t.http.post(`/api/v1/staff/appointments/${id}/reschedule`).set('Authorization', staffAuth)
      .send({ slotId: finnishSlot.id, allowOtherLanguage: true }).expect(200);
    expect(moved.body).toMatchObject({ startsAt: finnishSlot.startsAt, language: 'sv', staff: { id: finnish } });
    const read = await t.http.get(`/api/v1/staff/appointments/${id}`).set('Authorization', staffAuth).expect(200);
    expect(read.body.history.map((e: { action: string }) => e.action)).toEqual(['booked', 'rescheduled']);
  });

  it('lets a Finnish booking move to any Finnish-speaking staff member', async () => {
    const [slot] = await f.slots(service, '2026-03-30', '2026-03-30', { staffId: swedish });
    const { appointment, manageToken } = (await f.book(slot.id, { language: 'fi' }).expect(201)).body;
    const [finnishSlot] = await f.slots(service, '2026-03-31', '2026-03-31', { staffId: finnish });
    const moved = await t.http.post(`/api/v1/appointments/${appointment.id}/reschedule`).set('X-Manage-Token', manageToken).send({ slotId: finnishSlot.id }).expect(200);
    expect(moved.body.staff.id).toBe(finnish);
  });
});

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Every string in a JSON value that looks like an instant. */
function timestampsIn(value: unknown, path = '$'): { path: string; value: string }[] {
  if (typeof value === 'string') return TIMESTAMP.test(value) ? [{ path, value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => timestampsIn(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => timestampsIn(v, `${path}.${k}`));
  return [];
}

describe('times in every response carry the Helsinki offset', () => {
  let t: TestApp;
  let f: BookingFixture;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING) });
    f = await BookingFixture.create(t);
  });
  afterAll(() => t.close());

  it('has no UTC instant anywhere, on both sides of the change to summer time', async () => {
    const seen: { endpoint: string; path: string; value: string }[] = [];
    const counts: Record<string, number> = {};
    // Response bodies of many shapes, read as the tests read them.
    const record = (endpoint: string, body: unknown): any => {
      const found = timestampsIn(body);
      counts[endpoint] = found.length;
      seen.push(...found.map((x) => ({ endpoint, ...x })));
      return body;
    };
    const admin = await f.admin();
    const get = async (path: string, auth = admin, query: Record<string, string> = {}) =>
      record(`GET ${path}`, (await t.http.get(path).set('Authorization', auth).query(query).expect(200)).body);
    const send = async (method: 'post' | 'patch', path: string, body: object, auth = admin, status = method === 'post' ? 201 : 200) =>
      record(`${method.toUpperCase()} ${path}`, (await t.http[method](path).set('Authorization', auth).send(body).expect(status)).body);

    const unit = (await send('post', '/api/v1/units', { code: 'neuvola', name: { fi: 'Neuvola', sv: 'Rådgivning', en: 'Clinic' } })).id as string;
    await get('/api/v1/units');
    await get(`/api/v1/units/${unit}`);
    await send('patch', `/api/v1/units/${unit}`, { address: 'Neuvolakatu 1' });
    const nurse = (await send('post', '/api/v1/staff', {
      email: 'neuvola@test.fi', name: 'Neuvolan Hoitaja', password: PASSWORD, roles: ['staff'], languages: ['fi'], unitIds: [unit],
    })).id as string;
    await get('/api/v1/staff');
    await get(`/api/v1/staff/${nurse}`);
    const service = await f.service(unit);
    await get('/api/v1/services', '');
    await get(`/api/v1/services/${service}`, '');
    await get('/api/v1/admin/services');
    await send('patch', `/api/v1/services/${service}`, { horizonDays: 28 });

    const signedIn = record('POST /api/v1/auth/login', (await t.http.post('/api/v1/auth/login').send({ email: 'neuvola@test.fi', password: PASSWORD }).expect(200)).body);
    const auth = `Bearer ${signedIn.token}`;
    await get('/api/v1/staff/me', auth);
    await send('post', '/api/v1/staff/me/working-hours', { serviceId: service, weekday: 1, startTime: '08:00', endTime: '10:00', validFrom: '2026-03-01' }, auth);
    await send('post', '/api/v1/staff/me/extra-hours', { serviceId: service, date: '2026-03-28', startTime: '10:00', endTime: '11:00' }, auth);
    const slots = record('GET /api/v1/services/:id/slots', (await t.http.get(`/api/v1/services/${service}/slots`).query({ from: '2026-03-23', to: '2026-03-31' }).expect(200)).body);
    expect(slots.items.map((s: { startsAt: string }) => s.startsAt)).toEqual(expect.arrayContaining([
      '2026-03-28T10:00:00+02:00', '2026-03-30T08:00:00+03:00',
    ]));
    const afterChange = slots.items.find((s: { startsAt: string }) => s.startsAt === '2026-03-30T08:00:00+03:00');
    const booked = await send('post', '/api/v1/appointments', { slotId: afterChange.id, language: 'fi', contact: { name: 'Maija Meikäläinen', email: 'maija@example.fi' } }, '');
    record('GET /api/v1/appointments/:id', (await t.http.get(`/api/v1/appointments/${booked.appointment.id}`).set('X-Manage-Token', booked.manageToken).expect(200)).body);

    // An absence across the change: its ends, and the booking it covers, are in summer time.
    const absence = await send('post', '/api/v1/staff/me/absences', { startsAt: '2026-03-28T22:00:00+02:00', endsAt: '2026-03-30T22:00:00+03:00', reason: 'Koulutus' }, auth);
    expect(absence.item).toMatchObject({ startsAt: '2026-03-28T22:00:00+02:00', endsAt: '2026-03-30T22:00:00+03:00' });
    expect(absence.conflicts).toEqual([expect.objectContaining({ appointmentId: booked.appointment.id, startsAt: '2026-03-30T08:00:00+03:00' })]);
    const setup = await get(`/api/v1/staff/${nurse}/calendar-setup`, auth);
    expect(setup.absences[0]).toMatchObject({ startsAt: '2026-03-28T22:00:00+02:00', endsAt: '2026-03-30T22:00:00+03:00' });
    await get('/api/v1/staff/me/calendar', auth, { from: '2026-03-23', to: '2026-03-31' });

    const single = await send('post', '/api/v1/staff/me/slots', { serviceId: service, startsAt: '2026-03-31T13:00:00+03:00' }, auth);
    await send('post', `/api/v1/slots/${single.id}/block`, {}, auth, 200);
    await get(`/api/v1/staff/appointments/${booked.appointment.id}`, auth);
    await send('post', `/api/v1/staff/appointments/${booked.appointment.id}/cancel`, { reason: 'Poissaolo' }, auth, 200);

    // A help request reaches only a unit that exists.
    await send('post', '/api/v1/units', { code: 'perheneuvonta', name: { fi: 'Perheneuvonta', sv: 'Familjerådgivningen', en: 'Family counselling' } });
    await send('post', '/api/v1/forms/pyyda-apua/submissions', { language: 'fi', answers: PYYDA_APUA }, '');
    await get('/api/v1/admin/forms');
    await get('/api/v1/admin/forms/pyyda-apua/1');
    await get('/api/v1/admin/outbox', admin, { status: 'pending' });

    const wrong = seen.filter((x) => !/(\+02:00|\+03:00)$/.test(x.value));
    expect(wrong).toEqual([]);
    expect(seen.some((x) => x.value.endsWith('+02:00')) && seen.some((x) => x.value.endsWith('+03:00'))).toBe(true);
    // Entities returned as they are carry their own timestamps: they were the ones in UTC.
    for (const endpoint of [
      'POST /api/v1/units', 'GET /api/v1/units', 'POST /api/v1/staff', 'GET /api/v1/staff', 'GET /api/v1/admin/services',
      'POST /api/v1/staff/me/working-hours', 'POST /api/v1/staff/me/extra-hours', 'POST /api/v1/staff/me/absences', 'POST /api/v1/auth/login',
      'GET /api/v1/admin/forms', 'GET /api/v1/admin/outbox', 'POST /api/v1/forms/pyyda-apua/submissions',
    ]) {
      expect({ endpoint, timestamps: counts[endpoint] > 0 }).toEqual({ endpoint, timestamps: true });
    }
  });
});
