import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS, personName } from './support/booking-fixture';
import { type TestApp, startApp } from './support/test-app';

/** Monday 2 March 2026, 07:00 in Helsinki. */
const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';

describe('booking for families', () => {
  let t: TestApp;
  let f: BookingFixture;
  let unit: string;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING) });
    f = await BookingFixture.create(t);
    unit = await f.unit('kouluterveys');
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set(MONDAY_MORNING));

  async function calendar(overrides: Record<string, unknown> = {}, weekdays = WEEKDAYS, hours: [string, string] = ['08:00', '12:00'], languages = ['fi']) {
    const staff = await f.staff(`hoitaja-${Math.random().toString(36).slice(2, 8)}@test.fi`, [unit], languages);
    const service = await f.service(unit, overrides);
    await f.hours(staff, service, weekdays, ...hours);
    return { staff, service };
  }

  it('searches, books, reads, reschedules and cancels with the manage token', async () => {
    const { service } = await calendar({}, WEEKDAYS, ['08:00', '12:00'], ['fi', 'sv']);
    const slots = await f.slots(service, '2026-03-04', '2026-03-04');
    expect(slots.map((s) => s.startsAt.slice(11, 16))).toEqual(
      ['08:00', '08:20', '08:40', '09:00', '09:20', '09:40', '10:00', '10:20', '10:40', '11:00', '11:20', '11:40'],
    );
    expect(slots[0]).toMatchObject({ startsAt: '2026-03-04T08:00:00+02:00', endsAt: '2026-03-04T08:20:00+02:00', available: 1 });

    const booked = await f.book(slots[0].id, { channel: 'phone', language: 'sv', note: 'Allergi' }).expect(201);
    const { appointment, manageToken } = booked.body;
    expect(manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(appointment).toMatchObject({
      status: 'booked',
      startsAt: '2026-03-04T08:00:00+02:00',
      channel: 'phone',
      language: 'sv',
      reference: expect.stringMatching(/^AV-2026-\d{6}$/),
      changeableUntil: '2026-03-03T08:00:00+02:00',
      contact: { name: 'Maija Meikäläinen', email: 'maija@example.fi', phone: null },
    });
    // Only the hash of the token is stored.
    const [stored] = await t.db.query(`SELECT manage_token_hash FROM appointment WHERE id = $1`, [appointment.id]);
    expect(stored.manage_token_hash).not.toContain(manageToken);

    // The booked time is gone from search.
    expect((await f.slots(service, '2026-03-04', '2026-03-04')).map((s) => s.id)).not.toContain(slots[0].id);

    const read = await t.http.get(`/api/v1/appointments/${appointment.id}`).set('X-Manage-Token', manageToken).expect(200);
    expect(read.body.reference).toBe(appointment.reference);
    await t.http.get(`/api/v1/appointments/${appointment.id}`).set('X-Manage-Token', 'wrong').expect(404);
    await t.http.get(`/api/v1/appointments/${appointment.id}`).expect(404);

    const moved = await t.http
      .post(`/api/v1/appointments/${appointment.id}/reschedule`)
      .set('X-Manage-Token', manageToken)
      .send({ slotId: slots[5].id })
      .expect(200);
    expect(moved.body).toMatchObject({ status: 'booked', startsAt: '2026-03-04T09:40:00+02:00', reference: appointment.reference });
    const free = (await f.slots(service, '2026-03-04', '2026-03-04')).map((s) => s.id);
    expect(free).toContain(slots[0].id); // the old time is free again
    expect(free).not.toContain(slots[5].id);

    const cancelled = await t.http
      .post(`/api/v1/appointments/${appointment.id}/cancel`)
      .set('X-Manage-Token', manageToken)
      .send({ reason: 'Lapsi sairastui' })
      .expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Lapsi sairastui' });
    expect((await f.slots(service, '2026-03-04', '2026-03-04')).map((s) => s.id)).toContain(slots[5].id);

    // A cancelled appointment cannot be moved or cancelled again.
    const again = await t.http.post(`/api/v1/appointments/${appointment.id}/cancel`).set('X-Manage-Token', manageToken).send({}).expect(409);
    expect(again.body.code).toBe('appointment_not_active');

    const history = await t.db.query(`SELECT action, actor_type FROM appointment_event WHERE appointment_id = $1 ORDER BY id`, [appointment.id]);
    expect(history).toEqual([
      { action: 'booked', actor_type: 'family' },
      { action: 'rescheduled', actor_type: 'family' },
      { action: 'cancelled', actor_type: 'family' },
    ]);
  });

  it('gives exactly one of 50 concurrent bookings of one slot', async () => {
    const { service } = await calendar();
    const [slot] = await f.slots(service, '2026-03-05', '2026-03-05');
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => f.book(slot.id, { contact: { name: personName('Perhe', i), email: `perhe${i}@example.fi` } })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(responses.find((r) => r.status === 409)!.body.code).toBe('slot_taken');
    const [row] = await t.db.query(`SELECT booked, (SELECT count(*)::int FROM appointment WHERE slot_id = $1) AS appointments FROM slot WHERE id = $1`, [slot.id]);
    expect(row).toEqual({ booked: 1, appointments: 1 });
  });

  it('fills a group session up to its capacity and no further', async () => {
    const { service } = await calendar({ capacity: 3, durationMinutes: 60 });
    const [slot] = await f.slots(service, '2026-03-05', '2026-03-05');
    expect(slot.available).toBe(3);
    const responses = await Promise.all(Array.from({ length: 10 }, () => f.book(slot.id)));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(3);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(7);
  });

  it('never lets two services that share a staff member overlap', async () => {
    const staff = await f.staff('jaettu@test.fi', [unit]);
    const long = await f.service(unit, { durationMinutes: 60 });
    const short = await f.service(unit, { durationMinutes: 30 });
    await f.hours(staff, long, [3], '08:00', '10:00');
    await f.hours(staff, short, [3], '08:00', '10:00');
    const [longSlot] = await f.slots(long, '2026-03-04', '2026-03-04');
    const shortSlots = await f.slots(short, '2026-03-04', '2026-03-04');
    expect(shortSlots.map((s) => s.startsAt.slice(11, 16))).toEqual(['08:00', '08:30', '09:00', '09:30']);

    await f.book(longSlot.id).expect(201); // 08:00–09:00
    // Search hides the overlapping short slots…
    expect((await f.slots(short, '2026-03-04', '2026-03-04')).map((s) => s.startsAt.slice(11, 16))).toEqual(['09:00', '09:30']);
    // …and the database refuses them even when asked directly, in parallel.
    const attempts = await Promise.all([f.book(shortSlots[0].id), f.book(shortSlots[1].id)]);
    expect(attempts.map((r) => r.status)).toEqual([409, 409]);
    expect(attempts.map((r) => r.body.code)).toEqual(['staff_overlap', 'staff_overlap']);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM appointment WHERE staff_id = $1 AND status = 'booked'`, [staff]);
    expect(count).toBe(1);
  });

  it('keeps local times across the DST changes of March and October', async () => {
    t.clock.set('2026-03-20T12:00:00+02:00');
    const { service } = await calendar({ horizonDays: 60 }, [1], ['08:00', '09:00']);
    // Last Sunday of March 2026 is the 29th: Monday the 30th is in summer time (+03:00).
    const [before] = await f.slots(service, '2026-03-23', '2026-03-23');
    const [after] = await f.slots(service, '2026-03-30', '2026-03-30');
    expect(before.startsAt).toBe('2026-03-23T08:00:00+02:00');
    expect(after.startsAt).toBe('2026-03-30T08:00:00+03:00');
    const [row] = await t.db.query(`SELECT starts_at FROM slot WHERE id = $1`, [after.id]);
    expect(row.starts_at.toISOString()).toBe('2026-03-30T05:00:00.000Z');

    // Last Sunday of October 2026 is the 25th: Monday the 26th is back in winter time (+02:00).
    t.clock.set('2026-10-15T12:00:00+03:00');
    const { service: autumn } = await calendar({ horizonDays: 30 }, [1], ['08:00', '09:00']);
    const [octBefore] = await f.slots(autumn, '2026-10-19', '2026-10-19');
    const [octAfter] = await f.slots(autumn, '2026-10-26', '2026-10-26');
    expect(octBefore.startsAt).toBe('2026-10-19T08:00:00+03:00');
    expect(octAfter.startsAt).toBe('2026-10-26T08:00:00+02:00');
    const [octRow] = await t.db.query(`SELECT starts_at FROM slot WHERE id = $1`, [octAfter.id]);
    expect(octRow.starts_at.toISOString()).toBe('2026-10-26T06:00:00.000Z');
  });

  it('has no slots on Finnish public holidays', async () => {
    t.clock.set('2026-03-27T12:00:00+02:00');
    const { service } = await calendar();
    // Good Friday 3.4. and Easter Monday 6.4.2026 are closed.
    const days = new Set((await f.slots(service, '2026-04-02', '2026-04-07', { limit: '500' })).map((s) => s.startsAt.slice(0, 10)));
    expect([...days].sort()).toEqual(['2026-04-02', '2026-04-07']);
  });

  it('refuses with 422 a slot inside the minimum notice, beyond the horizon or in the past', async () => {
    const { service } = await calendar({ minNoticeMinutes: 120, horizonDays: 7 });
    // Search leaves them out…
    const today = await f.slots(service, '2026-03-02', '2026-03-02');
    expect(today[0].startsAt).toBe('2026-03-02T09:00:00+02:00'); // 07:00 + 2 h notice
    expect(await f.slots(service, '2026-03-09', '2026-03-13')).toEqual([]); // beyond 7 days
    // …and booking them directly is refused, whatever the client sends.
    const [soon] = await t.db.query(`SELECT id FROM slot WHERE service_id = $1 AND starts_at = '2026-03-02T08:00:00+02:00'`, [service]);
    const tooSoon = await f.book(soon.id).expect(422);
    expect(tooSoon.body.code).toBe('slot_within_minimum_notice');

    await t.db.query(
      `INSERT INTO slot (service_id, staff_id, unit_id, starts_at, ends_at, capacity, origin)
       SELECT service_id, staff_id, unit_id, '2026-03-20T08:00:00+02:00', '2026-03-20T08:20:00+02:00', 1, 'manual' FROM slot WHERE id = $1
       RETURNING id`,
      [soon.id],
    );
    const [far] = await t.db.query(`SELECT id FROM slot WHERE service_id = $1 AND starts_at = '2026-03-20T08:00:00+02:00'`, [service]);
    expect((await f.book(far.id).expect(422)).body.code).toBe('slot_beyond_horizon');

    t.clock.set('2026-03-02T08:30:00+02:00');
    expect((await f.book(soon.id).expect(422)).body.code).toBe('slot_in_past');
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM appointment WHERE service_id = $1`, [service]);
    expect(count).toBe(0);
  });

  it('refuses moving or cancelling after the change deadline', async () => {
    const { service } = await calendar({ changeDeadlineMinutes: 1440 });
    const [first, second] = await f.slots(service, '2026-03-04', '2026-03-04');
    const { appointment, manageToken } = (await f.book(first.id).expect(201)).body;
    t.clock.set('2026-03-03T08:01:00+02:00'); // 23 h 59 min before
    const move = await t.http.post(`/api/v1/appointments/${appointment.id}/reschedule`).set('X-Manage-Token', manageToken).send({ slotId: second.id });
    expect(move.status).toBe(422);
    expect(move.body.code).toBe('change_deadline_passed');
    const cancel = await t.http
      .post(`/api/v1/appointments/${appointment.id}/cancel`)
      .set('X-Manage-Token', manageToken)
      .set('Accept-Language', 'en')
      .send({});
    expect(cancel.status).toBe(422);
    expect(cancel.body.message).toBe('The appointment can no longer be changed or cancelled online. Please contact the unit.');
    const [row] = await t.db.query(`SELECT status, slot_id FROM appointment WHERE id = $1`, [appointment.id]);
    expect(row).toEqual({ status: 'booked', slot_id: first.id });
  });

  it('leaves the booking untouched when the new slot is already taken', async () => {
    const { service } = await calendar();
    const [mine, theirs, other] = await f.slots(service, '2026-03-04', '2026-03-04');
    const { appointment, manageToken } = (await f.book(mine.id).expect(201)).body;
    await f.book(theirs.id).expect(201);
    const move = await t.http.post(`/api/v1/appointments/${appointment.id}/reschedule`).set('X-Manage-Token', manageToken).send({ slotId: theirs.id });
    expect(move.status).toBe(409);
    const slots = await t.db.query(`SELECT id, booked FROM slot WHERE id = ANY($1) ORDER BY starts_at`, [[mine.id, theirs.id]]);
    expect(slots).toEqual([{ id: mine.id, booked: 1 }, { id: theirs.id, booked: 1 }]);
    const [row] = await t.db.query(`SELECT slot_id, starts_at FROM appointment WHERE id = $1`, [appointment.id]);
    expect(row.slot_id).toBe(mine.id);

    // A slot of another service is refused too.
    const { service: otherService } = await calendar();
    const [foreign] = await f.slots(otherService, '2026-03-04', '2026-03-04');
    const wrong = await t.http.post(`/api/v1/appointments/${appointment.id}/reschedule`).set('X-Manage-Token', manageToken).send({ slotId: foreign.id });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('wrong_service');
    expect((await t.db.query(`SELECT booked FROM slot WHERE id = $1`, [foreign.id]))[0].booked).toBe(0);
    expect(other).toBeDefined();
  });

  it('returns the same appointment for a retried Idempotency-Key', async () => {
    const { service } = await calendar();
    const [slot, another] = await f.slots(service, '2026-03-04', '2026-03-04');
    const body = { slotId: slot.id, language: 'en', contact: { name: 'Retry Family', phone: '+358401234567' } };
    const [a, b] = await Promise.all([
      t.http.post('/api/v1/appointments').set('Idempotency-Key', 'retry-key-0001').send(body),
      t.http.post('/api/v1/appointments').set('Idempotency-Key', 'retry-key-0001').send(body),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.appointment.id).toBe(b.body.appointment.id);
    expect(a.body.manageToken).toBe(b.body.manageToken);
    expect([a.headers['idempotent-replayed'], b.headers['idempotent-replayed']].filter(Boolean)).toEqual(['true']);
    const c = await t.http.post('/api/v1/appointments').set('Idempotency-Key', 'retry-key-0001').send(body).expect(201);
    expect(c.body.appointment.id).toBe(a.body.appointment.id);
    // The replayed token works.
    await t.http.get(`/api/v1/appointments/${c.body.appointment.id}`).set('X-Manage-Token', c.body.manageToken).expect(200);
    // The same key for a different request is refused.
    const reused = await t.http.post('/api/v1/appointments').set('Idempotency-Key', 'retry-key-0001').send({ ...body, slotId: another.id });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM appointment WHERE service_id = $1`, [service]);
    expect(count).toBe(1);
  });

  it('filters free slots by staff language and unit', async () => {
    const service = await f.service(unit);
    const fi = await f.staff('suomi@test.fi', [unit], ['fi']);
    const sv = await f.staff('svenska@test.fi', [unit], ['sv', 'fi']);
    await f.hours(fi, service, [3], '08:00', '09:00');
    await f.hours(sv, service, [3], '10:00', '11:00');
    const swedish = await f.slots(service, '2026-03-04', '2026-03-04', { language: 'sv' });
    expect(new Set(swedish.map((s) => s.staff.id))).toEqual(new Set([sv]));
    expect((await f.slots(service, '2026-03-04', '2026-03-04', { staffId: fi })).every((s) => s.staff.id === fi)).toBe(true);
    const otherUnit = await f.unit('toinen');
    expect(await f.slots(service, '2026-03-04', '2026-03-04', { unitId: otherUnit })).toEqual([]);
  });
});
