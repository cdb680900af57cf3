import type request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import {
  RATE_LIMIT_BUCKETS, RATE_LIMIT_DEFAULTS, type RateLimitBucket, RateLimiter, TestClock, rateLimitVariable, validateEnvironment,
} from '@app/platform';
import { BookingFixture, WEEKDAYS } from './support/booking-fixture';
import { CLI_MAIN, cleanEnv, runToEnd } from './support/spawned';
import { type TestApp, createTestDatabase, startApp } from './support/test-app';

/** Monday 2 March 2026, 07:00 in Helsinki. */
const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/** Low limits for every bucket: 3 a minute per client, 10 a minute in total. */
const LOW: Record<string, string> = Object.fromEntries(RATE_LIMIT_BUCKETS.map((bucket) => [rateLimitVariable(bucket), '3/1m per client, 10/1m total']));

let addresses = 0;
/** A fresh client address (documentation ranges), given in X-Forwarded-For by a proxy on loopback. */
function nextAddress(): string {
  addresses++;
  return `198.51.${100 + Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
}

const TEXTS = {
  fi: (n: string) => `Yhteydestäsi on lähetetty liian monta pyyntöä. Yritä uudelleen ${n} sekunnin kuluttua.`,
  sv: (n: string) => `För många förfrågningar från din anslutning. Försök igen om ${n} sekunder.`,
  en: (n: string) => `Too many requests from your connection. Try again in ${n} seconds.`,
};

let logins = 0;
/** One request of each rate-limited route; whatever it answers, the limiter counts it. */
const ROUTES: [string, RateLimitBucket, (http: TestAgent) => request.Test][] = [
  ['POST /api/v1/appointments', 'booking', (h) => h.post('/api/v1/appointments').send({})],
  ['GET /api/v1/appointments/:id', 'manage', (h) => h.get(`/api/v1/appointments/${NO_SUCH_ID}`).set('X-Manage-Token', 'guess')],
  ['POST /api/v1/appointments/:id/reschedule', 'manage', (h) => h.post(`/api/v1/appointments/${NO_SUCH_ID}/reschedule`).set('X-Manage-Token', 'guess').send({ slotId: NO_SUCH_ID })],
  ['POST /api/v1/appointments/:id/cancel', 'manage', (h) => h.post(`/api/v1/appointments/${NO_SUCH_ID}/cancel`).set('X-Manage-Token', 'guess').send({})],
  [
    'POST /api/v1/appointments/:id/pre-information',
    'manage',
    (h) => h.post(`/api/v1/appointments/${NO_SUCH_ID}/pre-information`).set('X-Pre-Information-Token', 'guess').send({ language: 'fi', answers: {} }),
  ],
  ['POST /api/v1/forms/:id/submissions', 'submission', (h) => h.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: {} })],
  ['POST /api/v1/forms/:id/drafts', 'draft', (h) => h.post('/api/v1/forms/pyyda-apua/drafts').send({ answers: {} })],
  ['GET /api/v1/form-drafts', 'draft', (h) => h.get('/api/v1/form-drafts').set('X-Resume-Token', 'guess')],
  ['PUT /api/v1/form-drafts', 'draft', (h) => h.put('/api/v1/form-drafts').set('X-Resume-Token', 'guess').send({ answers: {} })],
  ['DELETE /api/v1/form-drafts', 'draft', (h) => h.delete('/api/v1/form-drafts').set('X-Resume-Token', 'guess')],
  ['POST /api/v1/forms/:id/validate', 'validation', (h) => h.post('/api/v1/forms/pyyda-apua/validate').send({ answers: {} })],
  ['POST /api/v1/receipts/lookup', 'receipt', (h) => h.post('/api/v1/receipts/lookup').send({ reference: 'APU-2026-22222222', receiptCode: '2222-2222-2222-2222' })],
  ['POST /api/v1/receipts/messages', 'receipt', (h) => h.post('/api/v1/receipts/messages').send({ reference: 'APU-2026-22222222', receiptCode: '2222-2222-2222-2222', text: 'Hei' })],
  // A new (unknown) account each time: the per-account throttle stays out of the way.
  ['POST /api/v1/auth/login', 'login', (h) => h.post('/api/v1/auth/login').send({ email: `nobody-${++logins}@test.fi`, password: 'not-the-password' })],
];

function expectLimited(res: request.Response, lang: keyof typeof TEXTS = 'fi'): number {
  expect({ status: res.status, code: res.body.code }).toEqual({ status: 429, code: 'rate_limited' });
  const retryAfter = res.headers['retry-after'];
  expect(retryAfter).toMatch(/^[1-9]\d*$/);
  expect(res.body.message).toBe(TEXTS[lang](retryAfter));
  return Number(retryAfter);
}

function expectPassed(res: request.Response): void {
  expect(res.status).not.toBe(429);
  expect(res.status).toBeLessThan(500);
}

describe('rate limits per client address and in total', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING), env: LOW });
  });
  afterAll(() => t.close());
  // Each test starts with every window empty.
  beforeEach(() => t.clock.advanceMinutes(60));

  it.each(ROUTES)('%s: a burst from one address gets 429 with Retry-After in fi/sv/en; others pass; it passes again after Retry-After', async (_, __, call) => {
    const a = nextAddress();
    for (let i = 0; i < 3; i++) expectPassed(await call(t.http).set('X-Forwarded-For', a));

    const retryAfter = expectLimited(await call(t.http).set('X-Forwarded-For', a));
    expectLimited(await call(t.http).set('X-Forwarded-For', a).set('Accept-Language', 'sv-FI, sv;q=0.9'), 'sv');
    // Refused requests do not count: the wait stays what it was.
    expect(expectLimited(await call(t.http).set('X-Forwarded-For', a).set('Accept-Language', 'en'), 'en')).toBe(retryAfter);

    expectPassed(await call(t.http).set('X-Forwarded-For', nextAddress()));

    t.clock.set(new Date(t.clock.now().getTime() + retryAfter * 1000));
    expectPassed(await call(t.http).set('X-Forwarded-For', a));
    expectLimited(await call(t.http).set('X-Forwarded-For', a));
  });

  it('routes of one bucket share its allowance (reading, moving and cancelling by token)', async () => {
    const a = nextAddress();
    const manage = ROUTES.filter(([, bucket]) => bucket === 'manage').map(([, , call]) => call);
    for (const call of manage.slice(0, 3)) expectPassed(await call(t.http).set('X-Forwarded-For', a));
    expectLimited(await manage[3](t.http).set('X-Forwarded-For', a));
    // Another bucket is counted apart.
    expectPassed(await t.http.post('/api/v1/forms/pyyda-apua/validate').set('X-Forwarded-For', a).send({ answers: {} }));
  });

  it.each(RATE_LIMIT_BUCKETS)('%s: the total limit stops many addresses', async (bucket) => {
    const call = ROUTES.find(([, b]) => b === bucket)![2];
    for (let i = 0; i < 10; i++) expectPassed(await call(t.http).set('X-Forwarded-For', nextAddress()));
    const retryAfter = expectLimited(await call(t.http).set('X-Forwarded-For', nextAddress()));
    expectLimited(await call(t.http).set('X-Forwarded-For', nextAddress()).set('Accept-Language', 'en'), 'en');

    t.clock.set(new Date(t.clock.now().getTime() + retryAfter * 1000));
    expectPassed(await call(t.http).set('X-Forwarded-For', nextAddress()));
  });

  it('an IPv6 client is one /64 network: changing the address inside it gives no fresh allowance', async () => {
    const validate = (address: string) => t.http.post('/api/v1/forms/pyyda-apua/validate').set('X-Forwarded-For', address).send({ answers: {} });
    expectPassed(await validate('2001:db8:1:2::1'));
    expectPassed(await validate('2001:db8:1:2:aaaa::2'));
    expectPassed(await validate('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'));
    expectLimited(await validate('2001:db8:1:2::7'));
    expectPassed(await validate('2001:db8:1:3::1'));
  });

  it('counts reach PostgreSQL as keyed hashes (no address in clear), and windows that no longer count are purged', async () => {
    const a = '203.0.113.77';
    for (let i = 0; i < 2; i++) expectPassed(await t.http.post('/api/v1/forms/pyyda-apua/validate').set('X-Forwarded-For', a).send({ answers: {} }));
    const limiter = t.app.get(RateLimiter);
    await limiter.sync();
    const rows: { bucket: string; key: string; count: number; window_start: Date }[] = await t.db.query(
      `SELECT bucket, key, count, window_start FROM rate_limit WHERE bucket = 'validation' AND window_start = $1`,
      [new Date(Math.floor(t.clock.now().getTime() / 60_000) * 60_000)],
    );
    expect(rows.map((r) => r.count).sort()).toEqual([2, 2]); // the client and the total
    expect(rows.map((r) => r.key)).toContain('*');
    const [clientKey] = rows.map((r) => r.key).filter((k) => k !== '*');
    expect(clientKey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const all: { key: string }[] = await t.db.query(`SELECT key FROM rate_limit`);
    expect(all.some((r) => r.key.includes('203.0.113') || r.key.includes('198.51'))).toBe(false);

    const [{ before }] = await t.db.query(`SELECT count(*)::int AS before FROM rate_limit`);
    expect(before).toBeGreaterThanOrEqual(2);
    // One window later the current window still counts (as the previous one); older ones are gone.
    t.clock.advanceMinutes(1);
    await limiter.purgeExpired();
    const left: { window_start: Date }[] = await t.db.query(`SELECT window_start FROM rate_limit`);
    expect(left.length).toBeGreaterThanOrEqual(2);
    expect(left.every((r) => r.window_start.getTime() >= rows[0].window_start.getTime())).toBe(true);
    t.clock.advanceMinutes(1);
    await limiter.purgeExpired();
    expect(await t.db.query(`SELECT * FROM rate_limit`)).toEqual([]);
  });
});

describe('a script booking a calendar empty, with the default limits', () => {
  let t: TestApp;
  let f: BookingFixture;
  let service: string;

  beforeAll(async () => {
    const defaults = { ...Object.fromEntries(RATE_LIMIT_BUCKETS.map((b) => [rateLimitVariable(b), RATE_LIMIT_DEFAULTS[b]])), RATE_LIMIT_BOOKING_CONTACT: '10/1d' };
    t = await startApp({ clock: new TestClock(MONDAY_MORNING), env: defaults });
    f = await BookingFixture.create(t);
    const unit = await f.unit('kouluterveys');
    const staff = await f.staff('hoitaja@test.fi', [unit]);
    service = await f.service(unit);
    await f.hours(staff, service, WEEKDAYS, '08:00', '12:00');
  });
  afterAll(() => t.close());

  it('gets only the per-client allowance of appointments, each with one confirmation in the outbox', async () => {
    const slots = await f.slots(service, '2026-03-04', '2026-03-10');
    expect(slots.length).toBe(60);
    const script = '203.0.113.66';
    const started = Date.now();
    const results = await Promise.all(
      slots.map((slot, i) =>
        t.http
          .post('/api/v1/appointments')
          .set('X-Forwarded-For', script)
          .send({ slotId: slot.id, language: 'fi', contact: { name: 'Botti', email: `victim${i}@example.fi` } }),
      ),
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    for (const r of results.filter((x) => x.status === 429)) expect(r.body.code).toBe('rate_limited');

    const [{ appointments }] = await t.db.query(`SELECT count(*)::int AS appointments FROM appointment`);
    expect(appointments).toBe(20);
    const confirmations: { appointment_id: string }[] = await t.db.query(`SELECT appointment_id FROM outbox WHERE kind = 'confirmation'`);
    const booked = results.filter((r) => r.status === 201).map((r) => r.body.appointment.id);
    expect(confirmations.map((c) => c.appointment_id).sort()).toEqual(booked.sort());
    expect(await f.slots(service, '2026-03-04', '2026-03-10')).toHaveLength(40);
  });

  it('a family never meets the defaults: three children booked, read, moved and cancelled from one connection', async () => {
    const family = '203.0.113.10';
    const slots = await f.slots(service, '2026-03-04', '2026-03-10');
    const booked = [];
    for (const [i, child] of ['Aino', 'Eino', 'Leo'].entries()) {
      const res = await t.http
        .post('/api/v1/appointments')
        .set('X-Forwarded-For', family)
        .send({ slotId: slots[i].id, language: 'fi', childName: child, contact: { name: 'Maija Meikäläinen', email: 'maija@example.fi', phone: '040 123 4567' } })
        .expect(201);
      booked.push(res.body);
    }
    for (const { appointment, manageToken } of [...booked, ...booked]) {
      await t.http.get(`/api/v1/appointments/${appointment.id}`).set('X-Forwarded-For', family).set('X-Manage-Token', manageToken).expect(200);
    }
    await t.http
      .post(`/api/v1/appointments/${booked[0].appointment.id}/reschedule`)
      .set('X-Forwarded-For', family)
      .set('X-Manage-Token', booked[0].manageToken)
      .send({ slotId: slots[5].id })
      .expect(200);
    await t.http
      .post(`/api/v1/appointments/${booked[1].appointment.id}/cancel`)
      .set('X-Forwarded-For', family)
      .set('X-Manage-Token', booked[1].manageToken)
      .send({})
      .expect(200);
    const again = await t.http
      .post('/api/v1/appointments')
      .set('X-Forwarded-For', family)
      .send({ slotId: slots[6].id, language: 'fi', childName: 'Eino', contact: { name: 'Maija Meikäläinen', email: 'maija@example.fi' } });
    expect(again.status).toBe(201);
  });
});

describe('anonymous bookings per contact e-mail address and phone number', () => {
  let t: TestApp;
  let f: BookingFixture;
  let service: string;
  let slots: { id: string }[];
  let next = 0;
  const slot = () => slots[next++].id;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING), env: { RATE_LIMIT_BOOKING_CONTACT: '3/1d' } });
    f = await BookingFixture.create(t);
    const unit = await f.unit('kouluterveys');
    const staff = await f.staff('hoitaja@test.fi', [unit]);
    service = await f.service(unit);
    await f.hours(staff, service, WEEKDAYS, '08:00', '16:00');
    slots = await f.slots(service, '2026-03-04', '2026-03-10');
  });
  afterAll(() => t.close());

  const book = (slotId: string, contact: Record<string, string>, headers: Record<string, string> = {}) =>
    t.http
      .post('/api/v1/appointments')
      .set('X-Forwarded-For', nextAddress())
      .set(headers)
      .send({ slotId, language: 'fi', contact: { name: 'Maija Meikäläinen', ...contact } });

  async function confirmationsOf(ids: string[]): Promise<Record<string, number>> {
    const rows: { appointment_id: string; n: number }[] = await t.db.query(
      `SELECT appointment_id, count(*)::int AS n FROM outbox WHERE kind = 'confirmation' AND appointment_id = ANY ($1) GROUP BY appointment_id`,
      [ids],
    );
    return Object.fromEntries(rows.map((r) => [r.appointment_id, r.n]));
  }

  it('stops bookings to one e-mail address from many addresses at the limit; failed attempts do not count; staff are not limited', async () => {
    const taken = slot();
    const first = await book(taken, { email: 'Maija@Example.fi' }).expect(201);
    // Someone else's slot: refused, and the family's allowance is untouched.
    for (let i = 0; i < 5; i++) expect((await book(taken, { email: 'maija@example.fi' })).body.code).toBe('slot_taken');
    const second = await book(slot(), { email: 'maija+eino@example.fi' }).expect(201);
    const third = await book(slot(), { email: 'MAIJA@example.FI' }).expect(201);

    const refusedSlot = slot();
    const refused = await book(refusedSlot, { email: 'maija@example.fi' }, { 'Accept-Language': 'en' });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 429, code: 'booking_limit_reached' });
    expect(refused.body.message).toBe('Too many bookings have been made with this e-mail address or phone number in a short time. Try again later or contact the unit.');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(3600);
    const fi = await book(refusedSlot, { email: 'maija@example.fi' });
    expect(fi.body.message).toBe('Samalla sähköpostiosoitteella tai puhelinnumerolla on tehty lyhyessä ajassa liian monta varausta. Yritä myöhemmin uudelleen tai ota yhteyttä toimipisteeseen.');
    const sv = await book(refusedSlot, { email: 'maija@example.fi' }, { 'Accept-Language': 'sv' });
    expect(sv.body.message).toBe('Det har gjorts för många bokningar med samma e-postadress eller telefonnummer på kort tid. Försök igen senare eller kontakta verksamhetsstället.');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM appointment WHERE slot_id = $1`, [refusedSlot]);
    expect(n).toBe(0);

    // Another family is not affected.
    const other = await book(refusedSlot, { email: 'pekka@example.fi' }).expect(201);
    // Staff booking on a family's behalf are not limited by it.
    const byStaff = await t.http
      .post('/api/v1/staff/appointments')
      .set('Authorization', await f.admin())
      .send({ slotId: slot(), language: 'fi', contact: { name: 'Maija Meikäläinen', email: 'maija@example.fi' } })
      .expect(201);

    // Every booking that was made has its confirmation, once.
    const ids = [first, second, third, other, byStaff].map((r) => r.body.appointment.id);
    expect(await confirmationsOf(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));

    // The counts are shared as keyed hashes: the address is not stored.
    await t.app.get(RateLimiter).sync();
    const rows: { key: string; count: number }[] = await t.db.query(`SELECT key, count FROM rate_limit WHERE bucket = 'booking-contact' ORDER BY count DESC`);
    expect(rows.map((r) => r.count)).toEqual([3, 1]);
    expect(rows.some((r) => /maija|pekka|example/i.test(r.key))).toBe(false);

    // After the wait it says, the family can book again.
    t.clock.set(new Date(t.clock.now().getTime() + retryAfter * 1000));
    await book(slot(), { email: 'maija@example.fi' }).expect(201);
    t.clock.set(MONDAY_MORNING);
  });

  it('limits by phone number whatever its format, and by either contact when both are given', async () => {
    const made = [
      await book(slot(), { phone: '040 123 4567' }).expect(201),
      await book(slot(), { phone: '+358 40 123 4567' }).expect(201),
      await book(slot(), { phone: '00358-40-1234567', email: 'liisa@example.fi' }).expect(201),
    ];
    expect((await book(slot(), { phone: '0401234567' })).body.code).toBe('booking_limit_reached');
    // A new e-mail address does not help while the phone number is at its limit.
    expect((await book(slot(), { phone: '040 1234 567', email: 'uusi@example.fi' })).body.code).toBe('booking_limit_reached');
    // liisa has used one of three.
    made.push(await book(slot(), { email: 'liisa@example.fi' }).expect(201));
    made.push(await book(slot(), { email: 'liisa@example.fi' }).expect(201));
    expect((await book(slot(), { email: 'liisa@example.fi' })).body.code).toBe('booking_limit_reached');
    // Confirmations go by e-mail: each booking with an address has its one.
    const ids = made.slice(2).map((r) => r.body.appointment.id);
    expect(await confirmationsOf(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
  });

  it('a replayed Idempotency-Key does not use the allowance again', async () => {
    const key = 'replay-key-0001';
    const slotId = slot();
    const first = await book(slotId, { email: 'ville@example.fi' }, { 'Idempotency-Key': key }).expect(201);
    for (let i = 0; i < 3; i++) {
      const replay = await book(slotId, { email: 'ville@example.fi' }, { 'Idempotency-Key': key }).expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.appointment.id).toBe(first.body.appointment.id);
    }
    await book(slot(), { email: 'ville@example.fi' }).expect(201);
    await book(slot(), { email: 'ville@example.fi' }).expect(201);
    expect((await book(slot(), { email: 'ville@example.fi' })).body.code).toBe('booking_limit_reached');
  });
});

describe('limits shared by instances through PostgreSQL', () => {
  const clock = new TestClock(MONDAY_MORNING);
  const LIMIT = 6;
  const env = { RATE_LIMIT_VALIDATION: `${LIMIT}/10m per client, 1000/1m total`, RATE_LIMIT_SYNC_MS: '25' };
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    a = await startApp({ clock, databaseUrl, env });
    b = await startApp({ clock, databaseUrl, env });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const validate = (t: TestApp, address: string) => t.http.post('/api/v1/forms/pyyda-apua/validate').set('X-Forwarded-For', address).send({ answers: {} });
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** What PostgreSQL holds for the clients of the validation bucket in the current 10-minute window. */
  async function shared(): Promise<number> {
    const windowStart = new Date(Math.floor(clock.now().getTime() / 600_000) * 600_000);
    const [row] = await a.db.query(`SELECT coalesce(sum(count), 0)::int AS n FROM rate_limit WHERE bucket = 'validation' AND key <> '*' AND window_start = $1`, [windowStart]);
    return row.n;
  }
  /** Waits (for the instances' own reconciliation timers) until PostgreSQL holds the expected count. */
  async function sharedReaches(expected: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    while ((await shared()) !== expected) {
      if (Date.now() > deadline) throw new Error(`rate_limit holds ${await shared()}, not ${expected}`);
      await pause(10);
    }
  }

  beforeEach(() => clock.advanceMinutes(60));

  it('requests split between two instances are limited in total (at most one over: the other instance’s newest request)', async () => {
    const client = nextAddress();
    let passed = 0;
    for (let i = 0; i < 3 * LIMIT; i++) {
      const res = await validate(i % 2 ? b : a, client);
      expect(res.status).toBeLessThan(500);
      if (res.status === 429) continue;
      passed++;
      // The instance that answered sends its count on its next reconciliation.
      await sharedReaches(passed);
    }
    expect(passed).toBeGreaterThanOrEqual(LIMIT);
    expect(passed).toBeLessThanOrEqual(LIMIT + 1);
    // Apart, each instance would have let LIMIT through.
    expect(passed).toBeLessThan(2 * LIMIT);
  });

  it('a client new to an instance is limited there too once the instances have reconciled', async () => {
    const client = nextAddress();
    for (let i = 0; i < LIMIT; i++) expect((await validate(a, client)).status).not.toBe(429);
    await sharedReaches(LIMIT);
    // b has never seen this client: its first request passes (the documented overshoot), then b knows the total.
    expect((await validate(b, client)).status).not.toBe(429);
    await sharedReaches(LIMIT + 1);
    await pause(50);
    expect((await validate(b, client)).status).toBe(429);
    expect((await validate(a, client)).status).toBe(429);
  });

  it('while PostgreSQL cannot take the counts, each instance keeps limiting in memory (never a 500), and sends them once it can', async () => {
    await a.db.query(`ALTER TABLE rate_limit RENAME TO rate_limit_away`);
    try {
      const client = nextAddress();
      for (let i = 0; i < LIMIT; i++) {
        expect((await validate(a, client)).status).not.toBe(429);
        await pause(20);
      }
      for (let i = 0; i < 3; i++) {
        const res = await validate(a, client);
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 429, code: 'rate_limited' });
        await pause(100);
      }
    } finally {
      await a.db.query(`ALTER TABLE rate_limit_away RENAME TO rate_limit`);
    }
    await sharedReaches(LIMIT);
    const [row] = await a.db.query(`SELECT count(*)::int AS n FROM rate_limit WHERE bucket = 'validation' AND key <> '*' AND window_start >= $1`, [
      new Date(clock.now().getTime() - 600_000),
    ]);
    expect(row.n).toBe(1);
  });
});

describe('TRUST_PROXY', () => {
  const validate = (t: TestApp, forwardedFor: string) => t.http.post('/api/v1/forms/pyyda-apua/validate').set('X-Forwarded-For', forwardedFor).send({ answers: {} });

  it.each([['false'], ['10.0.0.0/8, 192.168.0.1']])('with TRUST_PROXY=%s a forged X-Forwarded-For gives no fresh allowance', async (trustProxy) => {
    const t = await startApp({ env: { TRUST_PROXY: trustProxy, RATE_LIMIT_VALIDATION: '2/1m per client, 100/1m total' } });
    try {
      expectPassed(await validate(t, '198.51.100.1'));
      expectPassed(await validate(t, '198.51.100.2'));
      expectLimited(await validate(t, '198.51.100.3'));
      expectLimited(await validate(t, '203.0.113.9, 198.51.100.4'));
    } finally {
      await t.close();
    }
  });

  it('with a hop count, the address the trusted proxy saw is the client', async () => {
    const t = await startApp({ env: { TRUST_PROXY: '1', RATE_LIMIT_VALIDATION: '2/1m per client, 100/1m total' } });
    try {
      // The proxy appends the address it saw; anything before it is the client's own claim.
      for (let i = 0; i < 2; i++) expectPassed(await validate(t, `10.9.9.${i}, 198.51.100.1`));
      expectLimited(await validate(t, '10.9.9.9, 198.51.100.1'));
      expectPassed(await validate(t, '198.51.100.2'));
    } finally {
      await t.close();
    }
  });
});

describe('rate-limit settings', () => {
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
  });

  it.each([
    ['RATE_LIMIT_BOOKING', '20 per 10 minutes'],
    ['TRUST_PROXY', 'true'],
  ])('a bad %s=%j stops the start with one line naming it', async (name, value) => {
    const run = await runToEnd(CLI_MAIN, ['migrate'], cleanEnv({ DATABASE_URL: databaseUrl, [name]: value }));
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n').filter((line) => line.length > 0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${name}=${JSON.stringify(value)}`);
    expect(lines[0]).toMatch(/^Invalid configuration: \S+ .*\bmust\b/);
  });

  it.each([
    ['RATE_LIMIT_BOOKING', '20/10m per client'],
    ['RATE_LIMIT_MANAGE', '20/10m per client, 30/1m per client'],
    ['RATE_LIMIT_LOGIN', '0/1m per client, 10/1m total'],
    ['RATE_LIMIT_RECEIPT', '10/10w per client, 100/1m total'],
    ['RATE_LIMIT_DRAFT', '10/31d per client, 100/1m total'],
    ['RATE_LIMIT_BOOKING_CONTACT', '10/1d per client'],
    ['RATE_LIMIT_BOOKING_CONTACT', '10 a day'],
    ['RATE_LIMIT_SYNC_MS', '5'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', 'loopback, proxy.example.fi'],
  ])('the start-up check (the one the CLI and server run) refuses %s=%j, naming it', (name, value) => {
    let message = '';
    try {
      validateEnvironment({ [name]: value });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.startsWith(`Invalid configuration: ${name}=${JSON.stringify(value)} `)).toBe(true);
    expect(message).toMatch(/\bmust\b/);
    expect(message).not.toContain('\n');
  });

  it('good settings in every accepted shape start', async () => {
    const run = await runToEnd(
      CLI_MAIN,
      ['migrate'],
      cleanEnv({
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'error',
        RATE_LIMIT_BOOKING: '600/m total,  5/30s per client',
        RATE_LIMIT_BOOKING_CONTACT: '4/12h',
        RATE_LIMIT_SYNC_MS: '500',
        TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8',
      }),
    );
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  });
});
