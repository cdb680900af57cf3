import { TestClock, catalogue } from '@app/platform';
import { SlotPublisher } from '@app/booking';
import { BookingFixture, WEEKDAYS } from './support/booking-fixture';
import { LSI_ANONYMOUS, LSI_PROFESSIONAL, PYYDA_APUA } from './support/forms-examples';
import { type TestApp, login, startApp } from './support/test-app';

/**
 * A small history built by moving the clock across January and February
 * 2026, and the figures worked out by hand from it. Help requests and
 * bookings in the family counselling unit; child-welfare notifications in
 * their own unit.
 */
describe('measures per unit and month', () => {
  let t: TestApp;
  let f: BookingFixture;
  let apu: string;
  let lsi: string;
  let service: string;
  let nurse: string;
  const APU_HANDLER = 'apu.mittari@test.fi';
  const LSI_HANDLER = 'lsi.mittari@test.fi';
  const NURSE = 'hoitaja.mittari@test.fi';
  const NAME_EN = '=HYPERLINK("x"), Family counselling';

  const at = (instant: string) => t.clock.set(instant);
  const submit = async (form: string, answers: object) => (await t.http.post(`/api/v1/forms/${form}/submissions`).send({ language: 'fi', answers }).expect(201)).body.id as string;
  const act = async (email: string, id: string, action: string, body: object) =>
    t.http.post(`/api/v1/inbox/${id}/${action}`).set('Authorization', await login(t, email)).send(body).expect(200);
  const step = (email: string, id: string, ...statuses: string[]) => statuses.reduce((p, status) => p.then(() => act(email, id, 'status', { status })), Promise.resolve() as Promise<unknown>);
  const book = async (startsAt: string) => {
    const slot = (await f.slots(service, startsAt.slice(0, 10), startsAt.slice(0, 10))).find((s) => s.startsAt === startsAt)!;
    return (await f.book(slot.id).expect(201)).body as { appointment: { id: string }; manageToken: string };
  };
  let adminAuth = '';
  const measures = (query: Record<string, string>, lang = 'en') =>
    t.http.get('/api/v1/admin/measures').query(query).set('Authorization', adminAuth).set('Accept-Language', lang);

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock('2026-01-02T08:00:00+02:00') });
    f = await BookingFixture.create(t);
    apu = await f.unit('perheneuvonta');
    lsi = await f.unit('lastensuojelu-ilmoitukset');
    await t.http.patch(`/api/v1/units/${apu}`).set('Authorization', await f.admin())
      .send({ name: { fi: 'Perheneuvonta, "Keskus"', sv: 'Familjerådgivningen', en: NAME_EN } }).expect(200);
    await f.staff(APU_HANDLER, [], ['fi'], [apu]);
    await f.staff(LSI_HANDLER, [], ['fi'], [lsi]);
    nurse = await f.staff(NURSE, [apu], ['fi']);
    service = await f.service(apu);
    await f.hours(nurse, service, WEEKDAYS, '08:00', '12:00');

    // January. Help request A: acknowledged after 2 h, first contact after 24 h, closed. B: 4 h and 30 h, still open.
    at('2026-01-05T08:00:00+02:00');
    const a1 = await book('2026-01-12T08:00:00+02:00'); // 7 days ahead; fulfilled
    const a2 = await book('2026-01-15T08:00:00+02:00'); // 10 days ahead; cancelled by the family
    at('2026-01-05T09:00:00+02:00');
    const helpA = await submit('pyyda-apua', PYYDA_APUA);
    at('2026-01-05T11:00:00+02:00');
    await step(APU_HANDLER, helpA, 'acknowledged');
    at('2026-01-06T10:00:00+02:00');
    await act(APU_HANDLER, helpA, 'first-contact', { at: '2026-01-06T09:00:00+02:00', channel: 'phone' });
    await t.http.post(`/api/v1/appointments/${a2.appointment.id}/cancel`).set('X-Manage-Token', a2.manageToken).send({ reason: 'Sairastuminen' }).expect(200);
    at('2026-01-07T10:00:00+02:00');
    const helpB = await submit('pyyda-apua', PYYDA_APUA);
    await step(APU_HANDLER, helpA, 'in_progress');
    await act(APU_HANDLER, helpA, 'status', { status: 'closed', outcome: 'guidance-given' });
    at('2026-01-07T14:00:00+02:00');
    await step(APU_HANDLER, helpB, 'acknowledged', 'in_progress');
    at('2026-01-08T08:00:00+02:00');
    const a3 = await book('2026-01-20T08:00:00+02:00'); // 12 days ahead; no-show
    at('2026-01-08T16:00:00+02:00');
    await act(APU_HANDLER, helpB, 'first-contact', {});
    at('2026-01-12T09:00:00+02:00');
    await t.http.post(`/api/v1/staff/appointments/${a1.appointment.id}/status`).set('Authorization', await login(t, NURSE)).send({ status: 'fulfilled' }).expect(200);
    at('2026-01-20T09:00:00+02:00');
    await t.http.post(`/api/v1/staff/appointments/${a3.appointment.id}/status`).set('Authorization', await login(t, NURSE)).send({ status: 'noshow' }).expect(200);
    at('2026-01-26T08:00:00+02:00');
    await t.app.get(SlotPublisher).publishAll();
    await book('2026-02-02T08:00:00+02:00'); // 7 days ahead, in February

    // February, by Helsinki time (22:30 UTC on 31 January): help request C, acknowledged after 6 hours.
    at('2026-02-01T00:30:00+02:00');
    const helpC = await submit('pyyda-apua', PYYDA_APUA);
    at('2026-02-01T06:30:00+02:00');
    await step(APU_HANDLER, helpC, 'acknowledged');

    // Notifications: 1 urgent, assessed after 30 min, acknowledged after 1 h, decided after 48 h (in time), closed.
    at('2026-02-02T08:00:00+02:00');
    const n1 = await submit('lastensuojeluilmoitus', LSI_PROFESSIONAL);
    at('2026-02-02T08:30:00+02:00');
    await act(LSI_HANDLER, n1, 'assessment', { result: 'urgent-action' });
    at('2026-02-02T09:00:00+02:00');
    await step(LSI_HANDLER, n1, 'acknowledged');
    // 2: assessed after 24 h, decided after 240 h (due Thursday 12 February: late).
    at('2026-02-03T12:00:00+02:00');
    const n2 = await submit('lastensuojeluilmoitus', LSI_ANONYMOUS);
    at('2026-02-04T08:00:00+02:00');
    await act(LSI_HANDLER, n1, 'decision', { decision: 'case-opened' });
    await step(LSI_HANDLER, n1, 'in_progress');
    await act(LSI_HANDLER, n1, 'status', { status: 'closed', outcome: 'assessment-started' });
    at('2026-02-04T12:00:00+02:00');
    await act(LSI_HANDLER, n2, 'assessment', { result: 'not-urgent' });
    // 3: assessed after 2 h, never decided (due Monday 16 February).
    at('2026-02-05T09:00:00+02:00');
    const n3 = await submit('lastensuojeluilmoitus', LSI_ANONYMOUS);
    at('2026-02-05T15:00:00+02:00');
    await act(LSI_HANDLER, n3, 'assessment', { result: 'not-urgent', at: '2026-02-05T11:00:00+02:00' });
    at('2026-02-13T12:00:00+02:00');
    await act(LSI_HANDLER, n2, 'decision', { decision: 'no-case' });

    at('2026-03-31T12:00:00+03:00');
  });
  beforeEach(async () => {
    adminAuth = await f.admin();
  });
  afterAll(() => t.close());

  const none = { count: 0, median: null, p90: null };
  const noBookings = { appointments: 0, medianDaysToAppointment: null, cancellations: 0, noShows: 0 };

  it('counts submissions by form, priority and outcome, and times from arrival, per unit and Helsinki month', async () => {
    const res = await measures({ from: '2026-01-01', to: '2026-02-28' }).expect(200);
    expect(res.body).toMatchObject({ from: '2026-01-01T00:00:00+02:00', to: '2026-03-01T00:00:00+02:00' });
    const units = res.body.units.filter((u: { unit: { id: string } }) => [apu, lsi].includes(u.unit.id));
    expect(units.map((u: { unit: object }) => u.unit)).toEqual([
      { id: lsi, code: 'lastensuojelu-ilmoitukset', name: 'Unit lastensuojelu-ilmoitukset' },
      { id: apu, code: 'perheneuvonta', name: NAME_EN },
    ]);
    const [notifications, counselling] = units;
    expect(counselling.months).toEqual([
      {
        month: '2026-01',
        submissions: { total: 2, open: 1, byForm: { 'pyyda-apua': 2 }, byPriority: { normal: 2 }, byOutcome: { 'guidance-given': 1 } },
        hoursTo: { acknowledgement: { count: 2, median: 3, p90: 3.8 }, firstContact: { count: 2, median: 27, p90: 29.4 }, assessment: none, decision: none },
        decidedInTime: { decided: 0, of: 0, share: null },
        bookings: { appointments: 3, medianDaysToAppointment: 9.5, cancellations: 1, noShows: 1 },
      },
      {
        month: '2026-02',
        submissions: { total: 1, open: 1, byForm: { 'pyyda-apua': 1 }, byPriority: { normal: 1 }, byOutcome: {} },
        hoursTo: { acknowledgement: { count: 1, median: 6, p90: 6 }, firstContact: none, assessment: none, decision: none },
        decidedInTime: { decided: 0, of: 0, share: null },
        bookings: { appointments: 1, medianDaysToAppointment: 7, cancellations: 0, noShows: 0 },
      },
    ]);
    expect(notifications.months).toEqual([
      {
        month: '2026-01',
        submissions: { total: 0, open: 0, byForm: {}, byPriority: {}, byOutcome: {} },
        hoursTo: { acknowledgement: none, firstContact: none, assessment: none, decision: none },
        decidedInTime: { decided: 0, of: 0, share: null },
        bookings: noBookings,
      },
      {
        month: '2026-02',
        submissions: { total: 3, open: 2, byForm: { lastensuojeluilmoitus: 3 }, byPriority: { normal: 2, urgent: 1 }, byOutcome: { 'assessment-started': 1 } },
        // Assessments after 0.5, 24 and 2 hours; decisions after 48 and 240 hours.
        hoursTo: { acknowledgement: { count: 1, median: 1, p90: 1 }, firstContact: none, assessment: { count: 3, median: 2, p90: 19.6 }, decision: { count: 2, median: 144, p90: 220.8 } },
        // One decided in time, one late, one past its deadline undecided.
        decidedInTime: { decided: 1, of: 3, share: 0.333 },
        bookings: noBookings,
      },
    ]);
  });

  it('counts a notification not yet due only once it is decided or its deadline has passed', async () => {
    at('2026-02-13T12:00:01+02:00');
    adminAuth = await f.admin();
    const early = await measures({ from: '2026-02-01', to: '2026-02-28', unit: lsi }).expect(200);
    // The third is due by the end of 16 February: not counted yet.
    expect(early.body.units[0].months[0].decidedInTime).toEqual({ decided: 1, of: 2, share: 0.5 });
    at('2026-03-31T12:00:00+03:00');
  });

  it('gives one unit, and by default the twelve Helsinki months up to now', async () => {
    const one = await measures({ unit: apu, from: '2026-02-01T00:00:00+02:00', to: '2026-03-01T00:00:00+02:00' }).expect(200);
    expect(one.body.units.map((u: { unit: { id: string } }) => u.unit.id)).toEqual([apu]);
    expect(one.body.units[0].months.map((m: { month: string }) => m.month)).toEqual(['2026-02']);
    // Help request C arrived at 22:30 UTC on 31 January: February in Helsinki.
    expect(one.body.units[0].months[0].submissions.total).toBe(1);
    const byDefault = await measures({ unit: apu }).expect(200);
    expect(byDefault.body.from).toBe('2025-04-01T00:00:00+03:00');
    expect(byDefault.body.to).toBe('2026-03-31T12:00:00+03:00');
    expect(byDefault.body.units[0].months.map((m: { month: string }) => m.month)).toEqual([
      '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03',
    ]);
    expect(byDefault.body.units[0].months[9].submissions.total).toBe(2);
    // A unit with nothing in the period is there, as zeros.
    const empty = await measures({ unit: lsi, from: '2025-06-01', to: '2025-06-30' }).expect(200);
    expect(empty.body.units).toEqual([{ unit: { id: lsi, code: 'lastensuojelu-ilmoitukset', name: 'Unit lastensuojelu-ilmoitukset' }, months: [expect.objectContaining({ month: '2025-06', bookings: noBookings })] }]);
  });

  it('answers CSV with Accept: text/csv: a header, one row per unit and month, quoted, named by the period', async () => {
    const res = await measures({ from: '2026-01-01', to: '2026-02-28', unit: apu }).set('Accept', 'text/csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="measures-2026-01-01-2026-02-28.csv"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text.split('\r\n')).toEqual([
      'unit_code,unit_name,month,submissions,open,priority:normal,priority:urgent,form:pyyda-apua,outcome:guidance-given,'
        + 'acknowledgement_count,acknowledgement_median_hours,acknowledgement_p90_hours,first_contact_count,first_contact_median_hours,first_contact_p90_hours,'
        + 'assessment_count,assessment_median_hours,assessment_p90_hours,decision_count,decision_median_hours,decision_p90_hours,'
        + 'decisions_due,decided_in_time,decided_in_time_share,appointments,median_days_to_appointment,cancellations,no_shows',
      // A text a spreadsheet would run as a formula starts with an apostrophe; quotes and commas are quoted.
      'perheneuvonta,"\'=HYPERLINK(""x""), Family counselling",2026-01,2,1,2,0,2,1,2,3,3.8,2,27,29.4,0,,,0,,,0,0,,3,9.5,1,1',
      'perheneuvonta,"\'=HYPERLINK(""x""), Family counselling",2026-02,1,1,1,0,1,0,1,6,6,0,,,0,,,0,,,0,0,,1,7,0,0',
      '',
    ]);
    const fi = await measures({ from: '2026-01-01', to: '2026-01-31', unit: apu }, 'fi').set('Accept', 'text/csv').expect(200);
    expect(fi.text.split('\r\n')[1]).toMatch(/^perheneuvonta,"Perheneuvonta, ""Keskus""",2026-01,/);
    // JSON stays the default.
    const json = await measures({ from: '2026-01-01', to: '2026-01-31', unit: apu }).set('Accept', 'application/json, text/csv;q=0.5').expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
  });

  it('is for administrators only, and refuses bad periods and unknown units with a localized 4xx', async () => {
    await t.http.get('/api/v1/admin/measures').expect(401);
    const handler = await login(t, APU_HANDLER);
    expect((await t.http.get('/api/v1/admin/measures').set('Authorization', handler).expect(403)).body.code).toBe('forbidden');
    await t.http.get('/api/v1/admin/measures').set('Authorization', handler).set('Accept', 'text/csv').expect(403);
    const backwards = await measures({ from: '2026-02-01', to: '2026-01-01' }, 'sv').expect(400);
    expect(backwards.body).toMatchObject({ code: 'invalid_range', message: catalogue('sv').errors.invalid_range.replace('{maxDays}', '1830') });
    await measures({ from: '2015-01-01', to: '2026-01-01' }).expect(400);
    expect((await measures({ unit: '00000000-0000-4000-8000-000000000000' }).expect(422)).body.code).toBe('unknown_reference');
    for (const query of [{ from: '2026-13-01' }, { to: 'yesterday' }, { unit: 'x' }, { month: '2026-01' }] as Record<string, string>[]) {
      expect({ query, status: (await measures(query)).status }).toEqual({ query, status: 400 });
    }
  });
});
