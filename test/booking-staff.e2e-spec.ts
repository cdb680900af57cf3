import { TestClock } from '@app/platform';
import { SlotPublisher } from '@app/booking';
import { BookingFixture, WEEKDAYS } from './support/booking-fixture';
import { type TestApp, login, startApp } from './support/test-app';

const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';

describe('staff calendars and appointments', () => {
  let t: TestApp;
  let f: BookingFixture;
  let unit: string;
  let nurse: string;
  let service: string;
  let auth: string;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING) });
    f = await BookingFixture.create(t);
    unit = await f.unit('kouluterveys');
    nurse = await f.staff('hoitaja@test.fi', [unit]);
    service = await f.service(unit);
    await f.hours(nurse, service, WEEKDAYS, '08:00', '12:00');
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    t.clock.set(MONDAY_MORNING);
    auth = await login(t, 'hoitaja@test.fi');
  });

  const staffBook = (slotId: string, extra: Record<string, unknown> = {}) =>
    t.http
      .post('/api/v1/staff/appointments')
      .set('Authorization', auth)
      .send({ slotId, language: 'fi', contact: { name: 'Perhe Virtanen', phone: '040 123 4567' }, ...extra });

  it('shows the own calendar with FHIR slot statuses and appointments', async () => {
    const [first, second] = await f.slots(service, '2026-03-03', '2026-03-03');
    await f.book(first.id).expect(201);
    await t.http.post(`/api/v1/slots/${second.id}/block`).set('Authorization', auth).expect(200);

    const res = await t.http.get('/api/v1/staff/me/calendar').query({ from: '2026-03-03', to: '2026-03-03' }).set('Authorization', auth).expect(200);
    expect(res.body.slots).toHaveLength(12);
    expect(res.body.slots.slice(0, 3).map((s: { status: string }) => s.status)).toEqual(['busy', 'busy-unavailable', 'free']);
    expect(res.body.appointments).toHaveLength(1);
    expect(res.body.appointments[0]).toMatchObject({ startsAt: '2026-03-03T08:00:00+02:00', contact: { name: 'Maija Meikäläinen' }, childName: 'Matti' });

    // A blocked slot is not offered and cannot be booked; unblocking brings it back.
    expect((await f.slots(service, '2026-03-03', '2026-03-03')).map((s) => s.id)).not.toContain(second.id);
    expect((await f.book(second.id).expect(409)).body.code).toBe('slot_unavailable');
    await t.http.post(`/api/v1/slots/${second.id}/unblock`).set('Authorization', auth).expect(200);
    expect((await f.slots(service, '2026-03-03', '2026-03-03')).map((s) => s.id)).toContain(second.id);
  });

  it('books on behalf of a family, moves, cancels with a reason and keeps the history', async () => {
    // Staff may book inside the families' minimum notice (today 09:00 is 2 h away; 08:20 is not offered to families).
    const [soon] = await t.db.query(`SELECT id FROM slot WHERE service_id = $1 AND starts_at = '2026-03-02T08:20:00+02:00'`, [service]);
    const booked = await staffBook(soon.id).expect(201);
    const id = booked.body.appointment.id;
    expect(booked.body.appointment).toMatchObject({ status: 'booked', contact: { phone: '040 123 4567', email: null } });

    const [later] = await f.slots(service, '2026-03-05', '2026-03-05');
    const moved = await t.http.post(`/api/v1/staff/appointments/${id}/reschedule`).set('Authorization', auth).send({ slotId: later.id }).expect(200);
    expect(moved.body.startsAt).toBe('2026-03-05T08:00:00+02:00');

    const noReason = await t.http.post(`/api/v1/staff/appointments/${id}/cancel`).set('Authorization', auth).send({});
    expect(noReason.status).toBe(400);
    expect(noReason.body.fields[0].field).toBe('reason');
    await t.http.post(`/api/v1/staff/appointments/${id}/cancel`).set('Authorization', auth).send({ reason: 'Hoitaja sairastui' }).expect(200);

    const read = await t.http.get(`/api/v1/staff/appointments/${id}`).set('Authorization', auth).expect(200);
    expect(read.body).toMatchObject({ status: 'cancelled', cancelReason: 'Hoitaja sairastui' });
    expect(read.body.history).toEqual([
      expect.objectContaining({ action: 'booked', actor: { type: 'staff', id: nurse }, toStartsAt: '2026-03-02T08:20:00+02:00' }),
      expect.objectContaining({ action: 'rescheduled', fromStartsAt: '2026-03-02T08:20:00+02:00', toStartsAt: '2026-03-05T08:00:00+02:00' }),
      expect.objectContaining({ action: 'cancelled', reason: 'Hoitaja sairastui', at: '2026-03-02T07:00:00+02:00' }),
    ]);
  });

  it('marks visits fulfilled or no-show only once they have started', async () => {
    const [a, b] = await f.slots(service, '2026-03-03', '2026-03-03', { staffId: nurse });
    const first = (await f.book(a.id).expect(201)).body.appointment.id;
    const second = (await f.book(b.id).expect(201)).body.appointment.id;
    const early = await t.http.post(`/api/v1/staff/appointments/${first}/status`).set('Authorization', auth).send({ status: 'fulfilled' });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('invalid_status_change');

    t.clock.set('2026-03-03T09:00:00+02:00');
    auth = await login(t, 'hoitaja@test.fi');
    await t.http.post(`/api/v1/staff/appointments/${first}/status`).set('Authorization', auth).send({ status: 'fulfilled' }).expect(200);
    const noshow = await t.http.post(`/api/v1/staff/appointments/${second}/status`).set('Authorization', auth).send({ status: 'noshow' }).expect(200);
    expect(noshow.body.status).toBe('noshow');
    expect((await t.http.post(`/api/v1/staff/appointments/${second}/status`).set('Authorization', auth).send({ status: 'booked' })).status).toBe(400);
  });

  it('reports booked appointments an absence covers, and never drops them', async () => {
    const slots = await f.slots(service, '2026-03-06', '2026-03-06');
    const { appointment } = (await f.book(slots[2].id).expect(201)).body; // 08:40

    const absence = await t.http
      .post('/api/v1/staff/me/absences')
      .set('Authorization', auth)
      .send({ startsAt: '2026-03-06T00:00:00+02:00', endsAt: '2026-03-07T00:00:00+02:00', reason: 'Koulutus' })
      .expect(201);
    expect(absence.body.conflicts).toEqual([
      expect.objectContaining({ appointmentId: appointment.id, reference: appointment.reference, startsAt: '2026-03-06T08:40:00+02:00' }),
    ]);
    // No free time that day, but the booking stands and is flagged to staff.
    expect(await f.slots(service, '2026-03-06', '2026-03-06')).toEqual([]);
    const cal = await t.http.get('/api/v1/staff/me/calendar').query({ from: '2026-03-06', to: '2026-03-06' }).set('Authorization', auth).expect(200);
    expect(cal.body.appointments).toEqual([expect.objectContaining({ id: appointment.id, status: 'booked', conflict: true })]);
    expect(cal.body.slots).toEqual([expect.objectContaining({ status: 'busy-unavailable', booked: 1 })]);

    // Removing the absence brings the day back.
    await t.http.delete(`/api/v1/staff/me/absences/${absence.body.item.id}`).set('Authorization', auth).expect(200);
    expect(await f.slots(service, '2026-03-06', '2026-03-06')).toHaveLength(11);
    const after = await t.http.get('/api/v1/staff/me/calendar').query({ from: '2026-03-06', to: '2026-03-06' }).set('Authorization', auth).expect(200);
    expect(after.body.appointments[0].conflict).toBe(false);
  });

  it('changes of weekly hours republish only what is not booked', async () => {
    const other = await f.staff('toinen@test.fi', [unit]);
    const otherAuth = await login(t, 'toinen@test.fi');
    const hours = await t.http
      .post(`/api/v1/staff/me/working-hours`)
      .set('Authorization', otherAuth)
      .send({ serviceId: service, weekday: 4, startTime: '13:00', endTime: '14:00', validFrom: '2026-03-01' })
      .expect(201);
    const thursday = (await f.slots(service, '2026-03-05', '2026-03-05', { staffId: other })).map((s) => s.startsAt.slice(11, 16));
    expect(thursday).toEqual(['13:00', '13:20', '13:40']);
    const [slot] = await f.slots(service, '2026-03-12', '2026-03-12', { staffId: other });
    const { appointment } = (await f.book(slot.id).expect(201)).body;

    const removed = await t.http.delete(`/api/v1/staff/me/working-hours/${hours.body.item.id}`).set('Authorization', otherAuth).expect(200);
    expect(removed.body.conflicts.map((c: { appointmentId: string }) => c.appointmentId)).toEqual([appointment.id]);
    expect(await f.slots(service, '2026-03-02', '2026-03-27', { staffId: other })).toEqual([]);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM slot WHERE staff_id = $1`, [other]);
    expect(count).toBe(1); // only the booked slot remains, withdrawn
    const [row] = await t.db.query(`SELECT status FROM appointment WHERE id = $1`, [appointment.id]);
    expect(row.status).toBe('booked');
    // Staff edit only their own calendar.
    await t.http.post(`/api/v1/staff/${nurse}/absences`).set('Authorization', otherAuth)
      .send({ startsAt: '2026-03-06T00:00:00+02:00', endsAt: '2026-03-07T00:00:00+02:00' }).expect(403);
  });

  it('opens a public holiday only when extra hours are added, and adds single slots', async () => {
    t.clock.set('2026-03-27T12:00:00+02:00');
    auth = await login(t, 'hoitaja@test.fi');
    expect(await f.slots(service, '2026-04-03', '2026-04-03')).toEqual([]); // Good Friday
    await t.http
      .post('/api/v1/staff/me/extra-hours')
      .set('Authorization', auth)
      .send({ serviceId: service, date: '2026-04-03', startTime: '10:00', endTime: '11:00' })
      .expect(201);
    expect((await f.slots(service, '2026-04-03', '2026-04-03')).map((s) => s.startsAt)).toEqual([
      '2026-04-03T10:00:00+03:00', '2026-04-03T10:20:00+03:00', '2026-04-03T10:40:00+03:00',
    ]);

    const single = await t.http.post('/api/v1/staff/me/slots').set('Authorization', auth)
      .send({ serviceId: service, startsAt: '2026-04-04T09:00:00+03:00' }).expect(201);
    expect(single.body).toMatchObject({ origin: 'manual', status: 'free', startsAt: '2026-04-04T09:00:00+03:00', endsAt: '2026-04-04T09:20:00+03:00' });
    expect((await f.slots(service, '2026-04-04', '2026-04-04')).map((s) => s.id)).toEqual([single.body.id]);
    await t.http.delete(`/api/v1/slots/${single.body.id}`).set('Authorization', auth).expect(204);
    expect(await f.slots(service, '2026-04-04', '2026-04-04')).toEqual([]);
  });

  it('publishes idempotently, on several instances at once, and rolls the horizon forward', async () => {
    const publisher = t.app.get(SlotPublisher);
    const count = async () => (await t.db.query(`SELECT count(*)::int AS n FROM slot WHERE staff_id = $1`, [nurse]))[0].n;
    await publisher.publishAll(); // settles what earlier tests published while the clock stood elsewhere
    const before = await count();
    await Promise.all([publisher.publishAll(), publisher.publishAll(), publisher.publishAll()]);
    expect(await count()).toBe(before);

    // The 28-day horizon from Monday 2.3. ends on Sunday 29.3.; a week later Monday 30.3.–Friday 3.4. open (3.4. is Good Friday).
    expect(await f.slots(service, '2026-03-30', '2026-03-30')).toEqual([]);
    t.clock.set('2026-03-09T07:00:00+02:00');
    await publisher.publishAll();
    expect(await f.slots(service, '2026-03-30', '2026-03-30', { staffId: nurse })).toHaveLength(12);
  });

  it('republishes at once when an administrator changes the horizon', async () => {
    const admin = await f.admin();
    expect(await f.slots(service, '2026-04-01', '2026-04-01')).toEqual([]);
    await t.http.patch(`/api/v1/services/${service}`).set('Authorization', admin).send({ horizonDays: 35 }).expect(200);
    expect(await f.slots(service, '2026-04-01', '2026-04-01')).toHaveLength(12);
    await t.http.patch(`/api/v1/services/${service}`).set('Authorization', admin).send({ horizonDays: 28 }).expect(200);
    expect(await f.slots(service, '2026-04-01', '2026-04-01')).toEqual([]);
    // Fields that shape existing slots cannot be patched.
    const refused = await t.http.patch(`/api/v1/services/${service}`).set('Authorization', admin).send({ durationMinutes: 30 });
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual([expect.objectContaining({ field: 'durationMinutes', rule: 'whitelistValidation' })]);
  });

  it('keeps other units\' appointments out of reach', async () => {
    const [slot] = await f.slots(service, '2026-03-10', '2026-03-10');
    const { appointment } = (await f.book(slot.id).expect(201)).body;
    const elsewhere = await f.unit('muualla');
    await f.staff('muualla@test.fi', [elsewhere]);
    const stranger = await login(t, 'muualla@test.fi');
    await t.http.get(`/api/v1/staff/appointments/${appointment.id}`).set('Authorization', stranger).expect(404);
    await t.http.post(`/api/v1/staff/appointments/${appointment.id}/cancel`).set('Authorization', stranger).send({ reason: 'x' }).expect(404);
    await t.http.post(`/api/v1/slots/${slot.id}/block`).set('Authorization', stranger).expect(404);
    await t.http.get('/api/v1/staff/me/calendar').query({ from: '2026-03-10', to: '2026-03-10' }).expect(401);
  });
});
