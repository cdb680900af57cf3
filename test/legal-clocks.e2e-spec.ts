import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Holidays from 'date-holidays';
import fc from 'fast-check';
import { TestClock, catalogue } from '@app/platform';
import { type FormDefinition, deadlinesOf, workingDayDeadline } from '@app/forms';
import { Escalations } from '@app/delivery';
import { OutboxDispatcher } from '@app/notifications';
import { BookingFixture } from './support/booking-fixture';
import { LSI_ANONYMOUS, PYYDA_APUA } from './support/forms-examples';
import { SmtpSink } from './support/smtp-sink';
import { ROOT } from './support/spawned';
import { type TestApp, createTestDatabase, login, startApp } from './support/test-app';

/** Planted in the answers: must never appear in an e-mail or an outbox row. */
const ANSWER_MARKER = 'VASTAUSMERKKI-KL8';

// ---- An independent working-day count, written differently from the product's -----------------------------------

const finnishHolidays = new Holidays('FI');
const HELSINKI_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' });

const dayOffCache = new Map<string, boolean>();

/** Public holidays as date-holidays itself answers, plus Christmas Eve and Midsummer Eve (the Friday of 19–25 June), days off in public services. */
function isDayOff(utcNoon: Date): boolean {
  const iso = utcNoon.toISOString().slice(0, 10);
  let off = dayOffCache.get(iso);
  if (off === undefined) dayOffCache.set(iso, (off = dayOffByRule(utcNoon, iso)));
  return off;
}

function dayOffByRule(utcNoon: Date, iso: string): boolean {
  const weekday = utcNoon.getUTCDay();
  if (weekday === 0 || weekday === 6) return true;
  const month = utcNoon.getUTCMonth() + 1;
  const day = utcNoon.getUTCDate();
  if (month === 12 && day === 24) return true;
  if (month === 6 && day >= 19 && day <= 25 && weekday === 5) return true;
  const found = finnishHolidays.isHoliday(`${iso} 12:00`);
  return Array.isArray(found) && found.some((h) => h.type === 'public');
}

/** Counts working days one at a time from the Helsinki day after `received`, on UTC noons. */
function independentDueDate(received: Date, days: number): string {
  let t = Date.parse(`${HELSINKI_DATE.format(received)}T12:00:00Z`);
  for (let left = days; left > 0; ) {
    t += 86_400_000;
    if (!isDayOff(new Date(t))) left--;
  }
  return new Date(t).toISOString().slice(0, 10);
}

/** The instant a Helsinki day starts (its offset found by trying both). */
function helsinkiMidnight(date: string): string {
  for (const offset of ['+02:00', '+03:00']) {
    if (HELSINKI_DATE.format(new Date(`${date}T00:00:00${offset}`)) === date && HELSINKI_DATE.format(new Date(Date.parse(`${date}T00:00:00${offset}`) - 1)) !== date) {
      return `${date}T00:00:00${offset}`;
    }
  }
  throw new Error(`no midnight for ${date}`);
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const shippedForm = (id: string, version: number) => JSON.parse(readFileSync(join(ROOT, 'form-definitions', id, `${version}.json`), 'utf8')) as FormDefinition;

interface DeadlineJson {
  kind: string;
  label: string;
  dueAt: string | null;
  dueDate: string | null;
  met: boolean;
  metAt: string | null;
  metInTime: boolean | null;
  overdue: boolean;
  result: { value: string; label: string } | null;
  metBy: { id: string } | null;
}
interface ItemJson {
  id: string;
  reference: string;
  priority: string;
  status: string;
  overdue: boolean;
  deadlines: DeadlineJson[];
  informed: { who: string; label: string; at: string }[];
}
const deadline = (item: ItemJson, kind: string) => item.deadlines.find((d) => d.kind === kind)!;

describe('the deadline computation', () => {
  const LSI = shippedForm('lastensuojeluilmoitus', 2);
  const APU = shippedForm('pyyda-apua', 2);
  const instants = fc.date({ min: new Date('2024-01-01T00:00:00+02:00'), max: new Date('2030-12-31T23:59:59+02:00'), noInvalidDate: true });

  it('counts working days as a day-by-day count does, for any instant of 2024–2030 (property)', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: 25 }), (received, days) => workingDayDeadline(received, days).toString() === independentDueDate(received, days)),
      { numRuns: 1000 },
    );
  });

  it('sets a notification\'s decision to the end of the 7th working day, warned at the start of the working day before, and its assessment 24 hours on (property)', () => {
    fc.assert(
      fc.property(instants, (received) => {
        const [assessment, decision] = deadlinesOf(LSI, received);
        const dueDate = independentDueDate(received, 7);
        let before = new Date(Date.parse(`${dueDate}T12:00:00Z`) - 86_400_000);
        while (isDayOff(before)) before = new Date(before.getTime() - 86_400_000);
        const warnAt = new Date(helsinkiMidnight(before.toISOString().slice(0, 10)));
        expect(assessment).toEqual({ kind: 'assessment', dueAt: new Date(received.getTime() + 24 * 3_600_000), dueDate: null, warnAt: null });
        expect({ ...decision, dueDate: decision.dueDate?.toString() }).toEqual({
          kind: 'decision', dueAt: new Date(helsinkiMidnight(nextDay(dueDate))), dueDate, warnAt: warnAt > received ? warnAt : null,
        });
        const [firstContact] = deadlinesOf(APU, received);
        expect(firstContact.dueDate?.toString()).toBe(independentDueDate(received, 3));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the examples: a plain Tuesday, a week with Easter, one with Christmas, and a Saturday', () => {
    const due = (iso: string, days = 7) => workingDayDeadline(new Date(iso), days).toString();
    // Received on a Tuesday of a week without holidays: due on Thursday of the following week.
    expect(due('2026-03-03T10:00:00+02:00')).toBe('2026-03-12');
    // Good Friday 3 April and Easter Monday 6 April 2026 are skipped.
    expect(due('2026-03-31T10:00:00+03:00')).toBe('2026-04-13');
    // Christmas Eve, Christmas Day, Boxing Day (a Saturday), New Year's Day and Epiphany: New Year's Eve is a working day.
    expect(due('2026-12-22T10:00:00+02:00')).toBe('2027-01-05');
    // The day of receipt is not counted, whatever day it is; a late-evening arrival counts by its Helsinki date.
    expect(due('2026-03-07T12:00:00+02:00')).toBe('2026-03-17');
    expect(due('2026-03-02T23:30:00+02:00')).toBe('2026-03-11');
    expect(due('2026-03-02T22:30:00Z')).toBe('2026-03-12');
    for (const iso of ['2026-03-03T10:00:00+02:00', '2026-03-31T10:00:00+03:00', '2026-12-22T10:00:00+02:00']) expect(due(iso)).toBe(independentDueDate(new Date(iso), 7));
  });
});

describe('legal clocks in the inbox', () => {
  let t: TestApp;
  let f: BookingFixture;
  let lsi: string;
  let apu: string;
  type Account = { id: string; auth: string; email: string };
  let lsiHandler: Account;
  let apuHandler: Account;
  let lsiCalendar: Account;

  const account = async (email: string, calendar: string[], handler: string[]) => {
    const id = await f.staff(email, calendar, ['fi'], handler);
    return { id, auth: await login(t, email), email };
  };
  const signInAgain = async () => {
    for (const who of [lsiHandler, apuHandler, lsiCalendar]) who.auth = await login(t, who.email);
  };
  const submit = async (form: string, answers: object) => {
    const res = await t.http.post(`/api/v1/forms/${form}/submissions`).send({ language: 'fi', answers }).expect(201);
    return res.body as { id: string; reference: string; firstResponseBy?: string };
  };
  const notification = () => submit('lastensuojeluilmoitus', { ...LSI_ANONYMOUS, concernDescription: `Huoli. ${ANSWER_MARKER}` });
  const helpRequest = () => submit('pyyda-apua', { ...PYYDA_APUA, message: `Apua. ${ANSWER_MARKER}` });
  const inbox = async (who: string, query: Record<string, string> = {}) =>
    (await t.http.get('/api/v1/inbox').query({ limit: '200', ...query }).set('Authorization', who).expect(200)).body as { items: ItemJson[]; total: number };
  const item = async (who: string, id: string) => (await inbox(who)).items.find((i) => i.id === id)!;
  const act = (who: string, id: string, action: string, body: object) => t.http.post(`/api/v1/inbox/${id}/${action}`).set('Authorization', who).send(body);
  const events = (id: string) => t.db.query(`SELECT actor_type, actor_id, action, unit_id, detail, at FROM submission_event WHERE submission_id = $1 ORDER BY id`, [id]);

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock('2026-03-03T10:00:00+02:00') });
    f = await BookingFixture.create(t);
    lsi = await f.unit('lastensuojelu-ilmoitukset');
    apu = await f.unit('perheneuvonta');
    lsiHandler = await account('lsi.kello@test.fi', [], [lsi]);
    apuHandler = await account('apu.kello@test.fi', [], [apu]);
    lsiCalendar = await account('lsi.kalenteri.kello@test.fi', [lsi], []);
  });
  afterAll(() => t.close());

  it('shows each deadline on arrival: a notification\'s assessment (24 h) and decision (7 working days), a help request\'s first contact (3 working days)', async () => {
    t.clock.set('2026-03-03T10:00:00+02:00');
    const sent = await notification();
    const help = await helpRequest();
    expect(help.firstResponseBy).toBe('2026-03-06');
    const shown = await item(lsiHandler.auth, sent.id);
    expect(shown.overdue).toBe(false);
    expect(shown.deadlines).toEqual([
      { kind: 'assessment', label: 'Kiireellisyyden arvio', dueAt: '2026-03-04T10:00:00+02:00', dueDate: null, met: false, metAt: null, metInTime: null, overdue: false, result: null, metBy: null },
      { kind: 'decision', label: 'Päätös lastensuojeluasian vireille tulosta', dueAt: '2026-03-13T00:00:00+02:00', dueDate: '2026-03-12', met: false, metAt: null, metInTime: null, overdue: false, result: null, metBy: null },
    ]);
    expect(shown.informed).toEqual([]);
    const helpShown = await item(apuHandler.auth, help.id);
    expect(helpShown.deadlines).toEqual([expect.objectContaining({ kind: 'first-contact', dueAt: '2026-03-07T00:00:00+02:00', dueDate: '2026-03-06', met: false, overdue: false })]);
    // Labels in the reader's language; the detail view and the admin's metadata carry them too.
    const sv = await t.http.get('/api/v1/inbox').set('Authorization', lsiHandler.auth).set('Accept-Language', 'sv').expect(200);
    expect(sv.body.items.find((i: ItemJson) => i.id === sent.id).deadlines[1].label).toBe('Beslut om att inleda ett barnskyddsärende');
    const detail = await t.http.get(`/api/v1/inbox/${sent.id}`).query({ purpose: 'handling' }).set('Authorization', lsiHandler.auth).expect(200);
    expect(detail.body.deadlines).toEqual(shown.deadlines);
    const admin = await t.http.get('/api/v1/admin/submissions').query({ reference: sent.reference }).set('Authorization', await f.admin()).expect(200);
    expect(admin.body.items[0].deadlines).toEqual(shown.deadlines);
    const [stored] = await t.db.query(`SELECT warn_at FROM submission_deadline WHERE submission_id = $1 AND kind = 'decision'`, [sent.id]);
    expect(stored.warn_at).toEqual(new Date('2026-03-11T00:00:00+02:00'));
  });

  it('follows the same count through HTTP for random arrival times in 2024–2030 (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2030-12-31T21:00:00Z'), noInvalidDate: true }), async (received) => {
        t.clock.set(new Date(Math.floor(received.getTime() / 1000) * 1000));
        const sent = await submit('lastensuojeluilmoitus', LSI_ANONYMOUS);
        const res = await t.http.get('/api/v1/admin/submissions').query({ reference: sent.reference }).set('Authorization', await f.admin()).expect(200);
        const decision = deadline(res.body.items[0], 'decision');
        const dueDate = independentDueDate(t.clock.now(), 7);
        expect({ dueDate: decision.dueDate, dueAt: decision.dueAt }).toEqual({ dueDate, dueAt: helsinkiMidnight(nextDay(dueDate)) });
      }),
      { numRuns: 25 },
    );
    t.clock.set('2026-03-03T10:00:00+02:00');
    await signInAgain();
  });

  it('records the urgency assessment once, with its result and time, in the history; urgent action makes it urgent', async () => {
    t.clock.set('2026-03-03T10:00:00+02:00');
    const sent = await notification();
    t.clock.advanceMinutes(90);
    const res = await act(lsiHandler.auth, sent.id, 'assessment', { result: 'urgent-action', at: '2026-03-03T10:30:00+02:00' }).expect(200);
    expect(res.body).toMatchObject({ id: sent.id, priority: 'urgent', overdue: false });
    expect(deadline(res.body, 'assessment')).toEqual({
      kind: 'assessment', label: 'Kiireellisyyden arvio', dueAt: '2026-03-04T10:00:00+02:00', dueDate: null, met: true, metAt: '2026-03-03T10:30:00+02:00',
      metInTime: true, overdue: false, result: { value: 'urgent-action', label: 'Kiireellisiä toimia tarvitaan' }, metBy: { id: lsiHandler.id, name: expect.any(String) },
    });
    expect(await events(sent.id)).toEqual([{
      actor_type: 'staff', actor_id: lsiHandler.id, action: 'assessment', unit_id: lsi, at: t.clock.now(),
      detail: { result: 'urgent-action', at: '2026-03-03T10:30:00+02:00', priority: 'urgent' },
    }]);
    const again = await act(lsiHandler.auth, sent.id, 'assessment', { result: 'not-urgent' }).set('Accept-Language', 'en').expect(409);
    expect(again.body).toMatchObject({ code: 'already_recorded', message: catalogue('en').errors.already_recorded });
    expect(await events(sent.id)).toHaveLength(1);
    // Not urgent leaves the priority as routed.
    const other = await notification();
    const calm = await act(lsiHandler.auth, other.id, 'assessment', { result: 'not-urgent' }).expect(200);
    expect(calm.body.priority).toBe('normal');
    expect(deadline(calm.body, 'assessment')).toMatchObject({ metAt: '2026-03-03T11:30:00+02:00', result: { value: 'not-urgent' } });
  });

  it('refuses bad input with a localized 400 and stores nothing: unknown results, times before arrival or in the future, unknown fields', async () => {
    t.clock.set('2026-03-03T12:00:00+02:00');
    const sent = await notification();
    const cases: [string, object, string, string][] = [
      ['assessment', { result: 'maybe' }, 'result', 'isIn'],
      ['assessment', {}, 'result', 'isIn'],
      ['assessment', { result: 'not-urgent', at: '2026-03-03T11:59:00+02:00' }, 'at', 'recordedTime'],
      ['assessment', { result: 'not-urgent', at: '2026-03-03T12:01:00+02:00' }, 'at', 'recordedTime'],
      ['assessment', { result: 'not-urgent', at: '3.3.2026 12:00' }, 'at', 'isDateTime'],
      ['assessment', { result: 'not-urgent', severity: 'high' }, 'severity', 'whitelistValidation'],
      ['decision', { decision: 'perhaps' }, 'decision', 'isIn'],
      ['informed', { who: 'neighbour' }, 'who', 'isIn'],
      ['informed', { who: 'child', at: '2026-03-04T12:00:00+02:00' }, 'at', 'recordedTime'],
      ['first-contact', { channel: 'pigeon' }, 'channel', 'isIn'],
    ];
    for (const [action, body, field, rule] of cases) {
      const target = action === 'first-contact' ? (await helpRequest()).id : sent.id;
      const res = await act(action === 'first-contact' ? apuHandler.auth : lsiHandler.auth, target, action, body).set('Accept-Language', 'sv');
      expect({ action, body, status: res.status, fields: res.body.fields?.map((x: { field: string; rule: string }) => `${x.field}:${x.rule}`) })
        .toEqual({ action, body, status: 400, fields: [`${field}:${rule}`] });
      if (rule === 'recordedTime') expect(res.body.fields[0].message).toBe(catalogue('sv').validation.recordedTime);
    }
    expect(await events(sent.id)).toEqual([]);
    expect(await t.db.query(`SELECT 1 FROM submission_deadline WHERE submission_id = $1 AND met_at IS NOT NULL`, [sent.id])).toEqual([]);
  });

  it('records the decision after the assessment, and when the child and the guardians were informed (after closing too)', async () => {
    t.clock.set('2026-03-03T10:00:00+02:00');
    const sent = await notification();
    const early = await act(lsiHandler.auth, sent.id, 'decision', { decision: 'case-opened' }).set('Accept-Language', 'fi').expect(409);
    expect(early.body).toMatchObject({ code: 'assessment_first', message: catalogue('fi').errors.assessment_first });
    await act(lsiHandler.auth, sent.id, 'assessment', { result: 'not-urgent' }).expect(200);
    t.clock.set('2026-03-12T16:00:00+02:00');
    await signInAgain();
    const decided = await act(lsiHandler.auth, sent.id, 'decision', { decision: 'case-opened' }).set('Accept-Language', 'en').expect(200);
    expect(deadline(decided.body, 'decision')).toMatchObject({
      met: true, metAt: '2026-03-12T16:00:00+02:00', metInTime: true, overdue: false, result: { value: 'case-opened', label: 'Case opened: a service needs assessment starts' },
    });
    await act(lsiHandler.auth, sent.id, 'decision', { decision: 'no-case' }).expect(409);

    const child = await act(lsiHandler.auth, sent.id, 'informed', { who: 'child', at: '2026-03-12T15:00:00+02:00' }).expect(200);
    expect(child.body.informed).toEqual([{ who: 'child', label: 'Lapsi', at: '2026-03-12T15:00:00+02:00' }]);
    await act(lsiHandler.auth, sent.id, 'informed', { who: 'child' }).expect(409);
    for (const step of ['acknowledged', 'in_progress']) await act(lsiHandler.auth, sent.id, 'status', { status: step }).expect(200);
    await act(lsiHandler.auth, sent.id, 'status', { status: 'closed', outcome: 'assessment-started' }).expect(200);
    const guardians = await act(lsiHandler.auth, sent.id, 'informed', { who: 'guardians' }).expect(200);
    expect(guardians.body.informed.map((i: { who: string }) => i.who)).toEqual(['child', 'guardians']);
    expect((await events(sent.id)).map((e: { action: string; detail: object }) => [e.action, e.detail])).toEqual([
      ['assessment', { result: 'not-urgent', at: '2026-03-03T10:00:00+02:00' }],
      ['decision', { decision: 'case-opened' }],
      ['informed', { who: 'child', at: '2026-03-12T15:00:00+02:00' }],
      ['status', { from: 'received', to: 'acknowledged' }],
      ['status', { from: 'acknowledged', to: 'in_progress' }],
      ['status', { from: 'in_progress', to: 'closed', outcome: 'assessment-started' }],
      ['informed', { who: 'guardians', at: '2026-03-12T16:00:00+02:00' }],
    ]);
    // A closed notification's clocks are stopped: nothing more is recorded on them.
    const other = await notification();
    for (const step of ['acknowledged', 'in_progress']) await act(lsiHandler.auth, other.id, 'status', { status: step }).expect(200);
    await act(lsiHandler.auth, other.id, 'status', { status: 'closed', outcome: 'no-further-action' }).expect(200);
    expect((await act(lsiHandler.auth, other.id, 'assessment', { result: 'not-urgent' }).expect(409)).body.code).toBe('submission_closed');
  });

  it('records the first contact of a help request, which stops its clock; the clocks of one purpose are refused on the other (409, localized)', async () => {
    t.clock.set('2026-03-03T10:00:00+02:00');
    const help = await helpRequest();
    const sent = await notification();
    t.clock.set('2026-03-05T09:00:00+02:00');
    await signInAgain();
    const res = await act(apuHandler.auth, help.id, 'first-contact', { channel: 'phone', at: '2026-03-04T14:00:00+02:00' }).expect(200);
    expect(deadline(res.body, 'first-contact')).toMatchObject({ met: true, metAt: '2026-03-04T14:00:00+02:00', metInTime: true, result: { value: 'phone', label: 'Puhelu' } });
    await act(apuHandler.auth, help.id, 'first-contact', {}).expect(409);
    expect((await events(help.id)).map((e: { action: string; detail: object }) => [e.action, e.detail])).toEqual([['first-contact', { at: '2026-03-04T14:00:00+02:00', channel: 'phone' }]]);

    for (const [action, body] of [['assessment', { result: 'not-urgent' }], ['decision', { decision: 'no-case' }], ['informed', { who: 'child' }]] as const) {
      for (const lang of ['fi', 'sv', 'en'] as const) {
        const refused = await act(apuHandler.auth, help.id, action, body).set('Accept-Language', lang).expect(409);
        expect(refused.body).toMatchObject({ code: 'child_welfare_only', message: catalogue(lang).errors.child_welfare_only });
      }
    }
    const wrong = await act(lsiHandler.auth, sent.id, 'first-contact', {}).set('Accept-Language', 'sv').expect(409);
    expect(wrong.body).toMatchObject({ code: 'not_for_child_welfare', message: catalogue('sv').errors.not_for_child_welfare });
    expect(await events(sent.id)).toEqual([]);
  });

  it('lets only handlers of the submission\'s unit record: other units, calendars and admins get 404 and nothing is stored', async () => {
    t.clock.set('2026-03-05T10:00:00+02:00');
    await signInAgain();
    const sent = await notification();
    const help = await helpRequest();
    const admin = await f.admin();
    const calls: [string, string, object][] = [
      [sent.id, 'assessment', { result: 'not-urgent' }], [sent.id, 'decision', { decision: 'no-case' }], [sent.id, 'informed', { who: 'guardians' }], [help.id, 'first-contact', {}],
    ];
    for (const [id, action, body] of calls) {
      const owner = id === sent.id ? lsiHandler : apuHandler;
      for (const who of [id === sent.id ? apuHandler.auth : lsiHandler.auth, lsiCalendar.auth, admin]) {
        const res = await act(who, id, action, body);
        expect({ action, status: res.status, code: res.body.code }).toEqual({ action, status: 404, code: 'not_found' });
      }
      await act(owner.auth, '00000000-0000-4000-8000-000000000000', action, body).expect(404);
      await act(owner.auth, 'not-a-uuid', action, body).expect(404);
      await t.http.post(`/api/v1/inbox/${id}/${action}`).send(body).expect(401);
    }
    expect(await events(sent.id)).toEqual([]);
    expect(await events(help.id)).toEqual([]);
  });

  it('lists with overdue=true the items past an open deadline, until the deadline is met or the item closed', async () => {
    t.clock.set('2026-04-20T10:00:00+03:00');
    await signInAgain();
    const late = await notification();
    const assessedInTime = await notification();
    const help = await helpRequest();
    const closedHelp = await helpRequest();
    await act(lsiHandler.auth, assessedInTime.id, 'assessment', { result: 'not-urgent' }).expect(200);
    const overdueIds = async (who: string) => (await inbox(who, { overdue: 'true' })).items.map((i) => i.id);
    const mine = [late.id, assessedInTime.id, help.id, closedHelp.id];
    expect((await overdueIds(lsiHandler.auth)).filter((id) => mine.includes(id))).toEqual([]);

    // One minute short of 24 hours: not yet; at 24 hours: overdue.
    t.clock.set('2026-04-21T09:59:00+03:00');
    await signInAgain();
    expect((await overdueIds(lsiHandler.auth)).filter((id) => mine.includes(id))).toEqual([]);
    t.clock.set('2026-04-21T10:00:00+03:00');
    expect((await overdueIds(lsiHandler.auth)).filter((id) => mine.includes(id))).toEqual([late.id]);
    const shown = await item(lsiHandler.auth, late.id);
    expect(shown.overdue).toBe(true);
    expect(deadline(shown, 'assessment')).toMatchObject({ overdue: true, met: false });
    expect(deadline(shown, 'decision')).toMatchObject({ overdue: false });
    expect((await inbox(lsiHandler.auth, { overdue: 'false' })).items.map((i) => i.id)).toEqual(expect.arrayContaining([assessedInTime.id]));
    expect((await inbox(lsiHandler.auth, { overdue: 'false' })).items.map((i) => i.id)).not.toContain(late.id);

    // The help requests' first contact is due by Thursday 23 April (Monday + 3 working days).
    for (const step of ['acknowledged', 'in_progress']) await act(apuHandler.auth, closedHelp.id, 'status', { status: step }).expect(200);
    await act(apuHandler.auth, closedHelp.id, 'status', { status: 'closed', outcome: 'guidance-given' }).expect(200);
    t.clock.set('2026-04-23T23:59:00+03:00');
    await signInAgain();
    expect((await overdueIds(apuHandler.auth)).filter((id) => mine.includes(id))).toEqual([]);
    t.clock.set('2026-04-24T00:00:00+03:00');
    await signInAgain();
    expect((await overdueIds(apuHandler.auth)).filter((id) => mine.includes(id))).toEqual([help.id]);
    expect(deadline(await item(apuHandler.auth, closedHelp.id), 'first-contact')).toMatchObject({ overdue: false, met: false });

    // Met late: no longer overdue, and shown as late.
    const met = await act(apuHandler.auth, help.id, 'first-contact', { channel: 'message' }).expect(200);
    expect(met.body.overdue).toBe(false);
    expect(deadline(met.body, 'first-contact')).toMatchObject({ met: true, metInTime: false, overdue: false });
    await act(lsiHandler.auth, late.id, 'assessment', { result: 'not-urgent' }).expect(200);
    expect((await overdueIds(lsiHandler.auth)).filter((id) => mine.includes(id))).toEqual([]);
    expect((await overdueIds(apuHandler.auth)).filter((id) => mine.includes(id))).toEqual([]);
    expect((await t.http.get('/api/v1/inbox').query({ overdue: 'soon' }).set('Authorization', apuHandler.auth).expect(400)).body.fields[0].field).toBe('overdue');
  });

  it('takes the assessment hours from the form; the linter keeps the clocks to their purposes and the decision within 7 working days', async () => {
    t.clock.set('2026-03-03T10:00:00+02:00');
    await signInAgain();
    const admin = await f.admin();
    for (const code of ['lastensuojelu-lansi-uusimaa', 'perheneuvonta-lansi', 'perheneuvonta-ita']) await f.unit(code);
    const base = shippedForm('lastensuojeluilmoitus', 2);
    const upload = (definition: object) => t.http.post('/api/v1/admin/forms').set('Authorization', admin).set('Accept-Language', 'en').send(definition);
    const lint = async (definition: object) => (await upload(definition).expect(422)).body.fields.map((x: { field: string; message: string }) => `${x.field} ${x.message.split(':')[0]}`);
    expect(await lint({ ...base, id: 'lsi-kello', handling: { decisionWorkingDays: 8 } })).toEqual(['/handling/decisionWorkingDays decision-deadline']);
    expect(await lint({ ...base, id: 'lsi-kello', handling: { firstResponseWorkingDays: 2 } })).toEqual(['/handling/firstResponseWorkingDays handling-purpose']);
    const help = shippedForm('pyyda-apua', 2);
    expect(await lint({ ...help, id: 'apu-kello', handling: { ...help.handling, assessWithinHours: 4 } })).toEqual(['/handling/assessWithinHours handling-purpose']);
    expect(await lint({ ...help, id: 'apu-kello', handling: { ...help.handling, decisionWorkingDays: 7 } })).toEqual(['/handling/decisionWorkingDays handling-purpose']);
    expect(await lint({ ...base, id: 'lsi-kello', handling: { assessWithinHours: 0 } })).toEqual(['/handling/assessWithinHours meta-schema']);

    await upload({ ...base, id: 'lsi-kello', version: 1, handling: { assessWithinHours: 4, decisionWorkingDays: 5 } }).expect(201);
    await t.http.post('/api/v1/admin/forms/lsi-kello/1/publish').set('Authorization', admin).expect(201);
    const sent = await submit('lsi-kello', LSI_ANONYMOUS);
    const shown = await item(lsiHandler.auth, sent.id);
    expect(deadline(shown, 'assessment').dueAt).toBe('2026-03-03T14:00:00+02:00');
    expect(deadline(shown, 'decision').dueDate).toBe('2026-03-10');
    // Without the setting, 24 hours (version 1 of the shipped notification has none).
    const v1 = await t.http.post('/api/v1/forms/lastensuojeluilmoitus/submissions').send({ language: 'fi', version: 1, answers: LSI_ANONYMOUS }).expect(201);
    expect(deadline(await item(lsiHandler.auth, v1.body.id), 'assessment').dueAt).toBe('2026-03-04T10:00:00+02:00');
  });
});

describe('escalations with three instances on one database', () => {
  let sink: SmtpSink;
  const apps: TestApp[] = [];
  let t: TestApp;
  let f: BookingFixture;
  const lsiAuth = 'lsi.eskalaatio@test.fi';
  const apuAuth = 'apu.eskalaatio@test.fi';
  const UNIT_EMAIL = 'lastensuojelu@kunta.test';

  const setAll = (instant: string) => apps.forEach((a) => a.clock.set(instant));
  /** Every instance plans at once, twice; then every instance sends at once. */
  const runJobs = async () => {
    await Promise.all(apps.map((a) => a.app.get(Escalations).plan()));
    await Promise.all(apps.map((a) => a.app.get(Escalations).plan()));
    await Promise.all(apps.map((a) => a.app.get(OutboxDispatcher).drain()));
  };
  const rows = () => t.db.query(`SELECT dedupe_key, status, recipient, subject, facts::text AS facts FROM outbox WHERE kind = 'escalation' ORDER BY seq`);
  const submit = async (form: string, answers: object) => (await t.http.post(`/api/v1/forms/${form}/submissions`).send({ language: 'fi', answers }).expect(201)).body as { id: string; reference: string };
  /** Signs in afresh each time: the clocks jump past sessions' ends. */
  const act = async (email: string, id: string, action: string, body: object) =>
    t.http.post(`/api/v1/inbox/${id}/${action}`).set('Authorization', await login(t, email)).send(body).expect(200);

  beforeAll(async () => {
    sink = await SmtpSink.start();
    const databaseUrl = await createTestDatabase();
    for (let i = 0; i < 3; i++) apps.push(await startApp({ databaseUrl, clock: new TestClock('2026-03-02T09:00:00+02:00'), env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://perhe.example.fi' } }));
    t = apps[0];
    f = await BookingFixture.create(t);
    const lsi = await f.unit('lastensuojelu-ilmoitukset');
    const apu = await f.unit('perheneuvonta');
    await t.http.patch(`/api/v1/units/${lsi}`).set('Authorization', await f.admin()).send({ email: UNIT_EMAIL }).expect(200);
    await f.staff('lsi.eskalaatio@test.fi', [], ['sv', 'fi'], [lsi]);
    await f.staff('apu.eskalaatio@test.fi', [], ['fi'], [apu]);
    await f.staff('apu.toinen@test.fi', [], ['en', 'fi'], [apu]);
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await sink.stop();
  });

  it('e-mails each unit once a working day before each deadline and once when it has passed, never for met deadlines or closed items, without content', async () => {
    const marked = (text: string) => `${text} ${ANSWER_MARKER}`;
    // Monday 2 March 2026, 09:00: assessment due Tuesday 09:00; decision Wednesday 11 March; first contact Thursday 5 March.
    const open = await submit('lastensuojeluilmoitus', { ...LSI_ANONYMOUS, concernDescription: marked('Huoli.') });
    const handled = await submit('lastensuojeluilmoitus', { ...LSI_ANONYMOUS, concernDescription: marked('Toinen huoli.') });
    const help = await submit('pyyda-apua', { ...PYYDA_APUA, contactName: 'Salainen Sanna', message: marked('Apua.') });
    const contacted = await submit('pyyda-apua', { ...PYYDA_APUA, message: marked('Apua 2.') });
    const closed = await submit('pyyda-apua', { ...PYYDA_APUA, message: marked('Apua 3.') });
    const metMeanwhile = await submit('pyyda-apua', { ...PYYDA_APUA, message: marked('Apua 4.') });
    await act(lsiAuth, handled.id, 'assessment', { result: 'not-urgent' });
    for (const step of ['acknowledged', 'in_progress']) await act(apuAuth, closed.id, 'status', { status: step });
    await act(apuAuth, closed.id, 'status', { status: 'closed', outcome: 'guidance-given' });

    // The arrival notices go out first; the escalations are counted from here on.
    await runJobs();
    const arrivals = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE kind <> 'escalation' AND status = 'sent'`);
    expect(arrivals[0].n).toBeGreaterThan(0);
    expect(sink.received.splice(0)).toHaveLength(arrivals[0].n);

    // Before anything is due: nothing.
    setAll('2026-03-03T08:59:00+02:00');
    await runJobs();
    expect(await rows()).toEqual([]);
    expect(sink.received).toHaveLength(0);

    // Tuesday 09:00: the unassessed notification's assessment is overdue (24 hours; no warning before so short a deadline).
    setAll('2026-03-03T09:00:00+02:00');
    await act(apuAuth, contacted.id, 'first-contact', { channel: 'phone' });
    await runJobs();
    expect((await rows()).map((r: { dedupe_key: string; status: string }) => [r.dedupe_key, r.status])).toEqual([[`escalation:${open.id}:assessment:overdue`, 'sent']]);
    expect(sink.received).toHaveLength(1);
    const overdueMail = sink.received[0].parsed;
    expect(JSON.stringify(overdueMail.to)).toContain(UNIT_EMAIL);
    // In the first language of the unit's handlers (Swedish here).
    expect(overdueMail.subject).toBe(`Tidsfristen har löpt ut: Bedömning av hur brådskande ärendet är, ${open.reference}`);
    expect(overdueMail.text).toContain('Barnskyddsanmälan');
    expect(overdueMail.text).toContain(`https://perhe.example.fi/staff/inbox/${open.id}`);
    expect(overdueMail.text).toContain('tis 3.3.2026 9.00');

    // Wednesday 4 March, start of the day: the help requests' first contact is due tomorrow: warnings for the two open ones.
    setAll('2026-03-04T00:00:00+02:00');
    await Promise.all(apps.map((a) => a.app.get(Escalations).plan()));
    // One is met after its warning is planned and before it is sent: the warning is dropped.
    await act(apuAuth, metMeanwhile.id, 'first-contact', {});
    await runJobs();
    const warnings = (await rows()).filter((r: { dedupe_key: string }) => r.dedupe_key.endsWith(':first-contact:warning'));
    expect(warnings.map((r: { dedupe_key: string; status: string }) => [r.dedupe_key, r.status]).sort()).toEqual(
      [[`escalation:${help.id}:first-contact:warning`, 'sent'], [`escalation:${metMeanwhile.id}:first-contact:warning`, 'cancelled']].sort(),
    );
    expect(sink.received).toHaveLength(2);
    // The help requests' unit has no address: its handlers get it, in the language most of them use first.
    const warningMail = sink.received[1].parsed;
    expect(JSON.stringify(warningMail.to)).toContain('apu.eskalaatio@test.fi');
    expect(JSON.stringify(warningMail.to)).toContain('apu.toinen@test.fi');
    expect(warningMail.subject).toBe(`Määräaika lähestyy: Ensimmäinen yhteydenotto, ${help.reference}`);
    expect(warningMail.text).toContain('Viimeistään: to 5.3.2026 (päivän loppuun)');
    expect(warningMail.text).toContain('Pyydä apua');

    // Friday 6 March: overdue.
    setAll('2026-03-06T00:00:00+02:00');
    await runJobs();
    setAll('2026-03-06T12:00:00+02:00');
    await runJobs();
    expect((await rows()).filter((r: { dedupe_key: string }) => r.dedupe_key.includes(help.id)).map((r: { dedupe_key: string }) => r.dedupe_key)).toEqual([
      `escalation:${help.id}:first-contact:warning`, `escalation:${help.id}:first-contact:overdue`,
    ]);
    expect(sink.received).toHaveLength(3);

    // The decision: the one assessed is decided in time; the other is warned on Tuesday 10 March and overdue on Thursday 12 March.
    setAll('2026-03-09T12:00:00+02:00');
    await act(lsiAuth, handled.id, 'decision', { decision: 'no-case' });
    setAll('2026-03-10T00:00:00+02:00');
    await runJobs();
    setAll('2026-03-11T23:59:00+02:00');
    await runJobs();
    setAll('2026-03-12T00:00:00+02:00');
    await runJobs();
    // Weeks later, nothing new: each stage once.
    setAll('2026-04-30T12:00:00+03:00');
    await runJobs();
    const all = await rows();
    expect(all.map((r: { dedupe_key: string }) => r.dedupe_key)).toEqual([
      `escalation:${open.id}:assessment:overdue`,
      expect.stringMatching(/:first-contact:warning$/),
      expect.stringMatching(/:first-contact:warning$/),
      `escalation:${help.id}:first-contact:overdue`,
      `escalation:${open.id}:decision:warning`,
      `escalation:${open.id}:decision:overdue`,
    ]);
    expect(all.filter((r: { status: string }) => r.status === 'sent')).toHaveLength(5);
    expect(sink.received).toHaveLength(5);
    for (const id of [handled.id, contacted.id, closed.id]) expect(all.filter((r: { dedupe_key: string }) => r.dedupe_key.includes(id))).toEqual([]);
    expect(sink.received[3].parsed.subject).toBe(`Tidsfristen närmar sig: Beslut om att inleda ett barnskyddsärende, ${open.reference}`);
    expect(sink.received[3].parsed.text).toContain('ons 11.3.2026');

    // Content-free: no answer, no name, in any mail or outbox row.
    for (const mail of sink.received) {
      for (const secret of [ANSWER_MARKER, 'Salainen', 'Sanna', PYYDA_APUA.contactPhone, 'Huoli']) {
        expect(`${mail.raw}\n${mail.parsed.text}\n${mail.parsed.html}`).not.toContain(secret);
      }
    }
    expect(JSON.stringify(all)).not.toContain(ANSWER_MARKER);
    expect(JSON.stringify(all)).not.toContain('Salainen');
  });
});
