import { TestClock } from '@app/platform';
import { OutboxDispatcher, OutboxService } from '@app/notifications';
import { AppointmentNotices } from '@app/booking';
import { BookingFixture, WEEKDAYS, personName } from './support/booking-fixture';
import { SmtpSink, calendarOf } from './support/smtp-sink';
import { CLI_MAIN, cleanEnv, runToEnd } from './support/spawned';
import { type TestApp, createTestDatabase, login, startApp } from './support/test-app';

const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';

describe('e-mail notifications through the outbox', () => {
  let smtp: SmtpSink;
  let t: TestApp;
  let f: BookingFixture;
  let unit: string;
  let staffId: string;
  let service: string;
  const drain = (app: TestApp = t) => app.app.get(OutboxDispatcher).drain();

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    t = await startApp({ clock: new TestClock(MONDAY_MORNING), env: { SMTP_URL: smtp.url, MAIL_FROM: 'Perhekeskus <ajanvaraus@perhe.test>', OUTBOX_MAX_ATTEMPTS: '3' } });
    f = await BookingFixture.create(t);
    unit = await f.unit('kouluterveys');
    staffId = await f.staff('hoitaja@perhe.test', [unit], ['fi', 'sv']);
    service = await f.service(unit, { reminderOffsetsMinutes: [1440] });
    await f.hours(staffId, service, WEEKDAYS, '08:00', '16:00');
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });
  beforeEach(() => t.clock.set(MONDAY_MORNING));

  it('sends one confirmation in the booking language with a calendar event that later moves and cancels', async () => {
    const [slot, later] = await f.slots(service, '2026-03-12', '2026-03-12');
    const res = await f.book(slot.id, { language: 'sv', contact: { name: 'Åsa Berg', email: 'asa@example.fi' } }).expect(201);
    const { appointment, manageToken } = res.body;
    await drain();
    await drain();
    const [confirmation, ...more] = smtp.to('asa@example.fi');
    expect(more).toHaveLength(0);
    expect(confirmation.parsed.subject).toBe('Tid bokad: Mottagning hos skolhälsovårdaren tors 12.3.2026 8.00');
    expect(confirmation.parsed.text).toContain('Hej Åsa Berg,');
    expect(confirmation.parsed.text).toContain(`/appointments/${appointment.id}/manage?token=${manageToken}`);
    expect(confirmation.parsed.messageId).toMatch(/^<[0-9a-f-]{36}@perhe\.test>$/);
    const booked = calendarOf(confirmation);
    expect(booked).toMatchObject({ METHOD: 'REQUEST', UID: `${appointment.id}@perhe-booking`, SEQUENCE: '0', DTSTART: '20260312T060000Z', DTEND: '20260312T062000Z' });

    await t.http.post(`/api/v1/appointments/${appointment.id}/reschedule`).set('X-Manage-Token', manageToken).send({ slotId: later.id }).expect(200);
    await t.http.post(`/api/v1/appointments/${appointment.id}/cancel`).set('X-Manage-Token', manageToken).send({}).expect(200);
    await drain();
    const [, moved, cancelled] = smtp.to('asa@example.fi');
    expect(moved.parsed.subject).toMatch(/^Tid flyttad: /);
    expect(calendarOf(moved)).toMatchObject({ METHOD: 'REQUEST', UID: booked.UID, SEQUENCE: '1', DTSTART: '20260312T062000Z' });
    expect(cancelled.parsed.subject).toMatch(/^Tid avbokad: /);
    expect(calendarOf(cancelled)).toMatchObject({ METHOD: 'CANCEL', UID: booked.UID, SEQUENCE: '2', STATUS: 'CANCELLED' });
    expect(smtp.to('asa@example.fi')).toHaveLength(3);
  });

  it('tells staff, without any content, when a family changes something in the next two working days', async () => {
    const before = smtp.to('hoitaja@perhe.test').length;
    const [soon] = await f.slots(service, '2026-03-04', '2026-03-04'); // Wednesday: within 2 working days of Monday
    const [far] = await f.slots(service, '2026-03-13', '2026-03-13');
    await f.book(soon.id, { contact: { name: 'Salainen Perhe', email: 'salainen@example.fi' }, note: 'Arkaluonteinen asia' }).expect(201);
    await f.book(far.id).expect(201);
    await drain();
    const notices = smtp.to('hoitaja@perhe.test').slice(before);
    expect(notices).toHaveLength(1);
    const [notice] = notices;
    expect(notice.parsed.subject).toBe('Muutos kalenterissasi ke 4.3.2026 klo 8.00');
    for (const secret of ['Salainen', 'Arkaluonteinen', 'Kouluterveydenhoitajan', 'salainen@example.fi']) {
      expect(notice.raw).not.toContain(secret);
    }

    // The window is the service's: with 0 working days, staff get no notice.
    const admin = await f.admin();
    await t.http.patch(`/api/v1/services/${service}`).set('Authorization', admin).send({ staffNoticeWorkingDays: 0 }).expect(200);
    const [another] = await f.slots(service, '2026-03-04', '2026-03-04');
    await f.book(another.id).expect(201);
    await drain();
    expect(smtp.to('hoitaja@perhe.test').slice(before)).toHaveLength(1);
    await t.http.patch(`/api/v1/services/${service}`).set('Authorization', admin).send({ staffNoticeWorkingDays: 2 }).expect(200);
  });

  it('sends what is due from the command line (npm run cli -- outbox:drain)', async () => {
    const [slot] = await f.slots(service, '2026-03-19', '2026-03-19');
    await f.book(slot.id, { contact: { name: 'Komentorivi', email: 'cli@example.fi' } }).expect(201);
    const env = cleanEnv({ DATABASE_URL: t.databaseUrl, DATA_DIR: process.env.DATA_DIR!, SMTP_URL: smtp.url, LOG_LEVEL: 'silent' });
    const run = await runToEnd(CLI_MAIN, ['outbox:drain'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^sent [1-9]\d*, skipped \d+, retrying 0, failed 0 in [\d.]+ s$/m);
    expect(smtp.to('cli@example.fi')).toHaveLength(1);
  });

  it('escapes every user-supplied value in HTML and keeps it intact in text', async () => {
    const admin = await f.admin();
    const unitName = (fi: string) => ({ name: { fi, sv: 'Enhet kouluterveys', en: 'Unit kouluterveys' } });
    await t.http.patch(`/api/v1/units/${unit}`).set('Authorization', admin).send(unitName('<script>alert(1)</script> Perhekeskus "Aurinko" & co')).expect(200);
    try {
      const [slot] = await f.slots(service, '2026-03-16', '2026-03-16');
      await f.book(slot.id, { contact: { name: "Åsa O'Brien", email: 'xss@example.fi' } }).expect(201);
      await drain();
      const [mail] = smtp.to('xss@example.fi');
      expect(mail.parsed.html).toContain('Hei Åsa O&#39;Brien,');
      expect(mail.parsed.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Perhekeskus &quot;Aurinko&quot; &amp; co');
      expect(mail.parsed.html).not.toContain('<script>');
      expect(mail.parsed.text).toContain("Hei Åsa O'Brien,");
      expect(mail.parsed.text).toContain('<script>alert(1)</script> Perhekeskus "Aurinko" & co');
    } finally {
      await t.http.patch(`/api/v1/units/${unit}`).set('Authorization', admin).send(unitName('Yksikkö kouluterveys')).expect(200);
    }
  });

  it('writes no message when the change rolls back', async () => {
    const [slot] = await f.slots(service, '2026-03-17', '2026-03-17');
    await f.book(slot.id).expect(201);
    const [{ count: before }] = await t.db.query(`SELECT count(*)::int AS count FROM outbox`);
    await f.book(slot.id).expect(409);
    const [{ count: after }] = await t.db.query(`SELECT count(*)::int AS count FROM outbox`);
    expect(after).toBe(before);
  });

  it('books while SMTP is down and delivers every confirmation once it is back', async () => {
    await drain();
    const already = smtp.received.length;
    await smtp.stop();
    const slots = await f.slots(service, '2026-03-18', '2026-03-24', { limit: '500' });
    const pendingJobs = async () => (await t.db.query(`SELECT facts::text || coalesce(secrets::text, '') AS job FROM outbox WHERE status = 'pending'`)).map((r: { job: string }) => r.job).join();
    expect(slots.length).toBeGreaterThanOrEqual(100);
    const responses = [];
    for (let i = 0; i < 100; i += 10) {
      responses.push(...(await Promise.all(slots.slice(i, i + 10).map((s, j) => f.book(s.id, { contact: { name: personName('Perhe', i + j), email: `down${i + j}@example.fi` } })))));
    }
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(201));
    expect(await pendingJobs()).not.toContain(responses[0].body.manageToken);
    const whileDown = await drain();
    expect(whileDown.sent).toBe(0);
    expect(whileDown.retrying).toBe(100);

    await smtp.listen();
    t.clock.advanceMinutes(1); // past the first backoff
    await drain();
    await drain();
    const delivered = smtp.received.slice(already).filter((m) => /down\d+@/.test(JSON.stringify(m.parsed.to)));
    expect(delivered).toHaveLength(100);
    expect(new Set(delivered.map((m) => m.parsed.messageId)).size).toBe(100);
    expect(new Set(delivered.map((m) => JSON.stringify(m.parsed.to))).size).toBe(100);
    // Sent messages keep no secrets (they carried the manage token), and those were sealed while they waited.
    const [{ kept }] = await t.db.query(`SELECT count(*)::int AS kept FROM outbox WHERE status = 'sent' AND secrets IS NOT NULL`);
    expect(kept).toBe(0);
    // Sent messages are forgotten after 30 days; failed ones stay for admins.
    t.clock.advanceMinutes(31 * 24 * 60);
    await t.app.get(OutboxService).purgeDone();
    const [{ sent }] = await t.db.query(`SELECT count(*)::int AS sent FROM outbox WHERE status = 'sent'`);
    expect(sent).toBe(0);
    t.clock.set(MONDAY_MORNING);
  });

  it('marks a message failed after the last attempt, shows it to admins and retries it on request', async () => {
    await drain();
    await smtp.stop();
    const [slot] = await f.slots(service, '2026-03-25', '2026-03-25');
    await f.book(slot.id, { contact: { name: 'Epäonni', email: 'failing@example.fi' } }).expect(201);
    for (let attempt = 0; attempt < 3; attempt++) {
      await drain();
      t.clock.advanceMinutes(10);
    }
    const admin = await login(t, 'admin@test.fi');
    const failed = await t.http.get('/api/v1/admin/outbox').query({ status: 'failed' }).set('Authorization', admin).expect(200);
    const entry = failed.body.find((m: { recipient: string }) => m.recipient === 'f***@example.fi');
    expect(entry).toMatchObject({ kind: 'confirmation', status: 'failed', attempts: 3, lastError: expect.any(String) });
    await t.http.get('/api/v1/admin/outbox').set('Authorization', await login(t, 'hoitaja@perhe.test')).expect(403);

    await smtp.listen();
    await t.http.post(`/api/v1/admin/outbox/${entry.id}/retry`).set('Authorization', admin).expect(204);
    await drain();
    expect(smtp.to('failing@example.fi')).toHaveLength(1);
    await t.http.post(`/api/v1/admin/outbox/${entry.id}/retry`).set('Authorization', admin).expect(404);
  });

  it('sends each reminder exactly once across three instances, and none for cancelled or moved-away times', async () => {
    const databaseUrl = t.databaseUrl;
    const clock = t.clock;
    const others = [await startApp({ clock, databaseUrl, env: { SMTP_URL: smtp.url } }), await startApp({ clock, databaseUrl, env: { SMTP_URL: smtp.url } })];
    const instances = [t, ...others];
    try {
      const slots = await f.slots(service, '2026-03-05', '2026-03-05');
      const keep = await Promise.all([0, 1, 2, 3, 4].map((i) => f.book(slots[i].id, { contact: { name: personName('Muistutus', i), email: `remind${i}@example.fi` } }).expect(201)));
      const cancelled = (await f.book(slots[5].id, { contact: { name: 'Peruttu', email: 'cancelled@example.fi' } }).expect(201)).body;
      const moved = (await f.book(slots[6].id, { contact: { name: 'Siirretty', email: 'moved@example.fi' } }).expect(201)).body;
      await t.http.post(`/api/v1/appointments/${cancelled.appointment.id}/cancel`).set('X-Manage-Token', cancelled.manageToken).send({}).expect(200);
      const [friday] = await f.slots(service, '2026-03-06', '2026-03-06');
      await t.http.post(`/api/v1/appointments/${moved.appointment.id}/reschedule`).set('X-Manage-Token', moved.manageToken).send({ slotId: friday.id }).expect(200);
      await drain();
      const sentBefore = smtp.received.length;

      // Wednesday 10:00: Thursday's times up to 10:00 are due for their 24-hour reminder.
      clock.set('2026-03-04T10:00:00+02:00');
      const run = (i: TestApp) => i.app.get(AppointmentNotices).planReminders().then(() => drain(i));
      await Promise.all(instances.flatMap((i) => [run(i), run(i)]));
      await Promise.all(instances.map((i) => run(i)));
      const reminders = smtp.received.slice(sentBefore).filter((m) => m.parsed.subject?.startsWith('Muistutus'));
      expect(reminders.map((m) => (m.parsed.to as { text: string }).text).sort()).toEqual(
        keep.map((_, i) => `remind${i}@example.fi`).sort(),
      );
      expect(reminders.every((m) => !m.parsed.attachments.length)).toBe(true);

      // Thursday: the moved appointment's reminder comes for its new (Friday) time, once.
      clock.set('2026-03-05T08:30:00+02:00');
      await Promise.all(instances.map((i) => run(i)));
      await Promise.all(instances.map((i) => run(i)));
      const movedMails = smtp.to('moved@example.fi').filter((m) => m.parsed.subject?.startsWith('Muistutus'));
      expect(movedMails).toHaveLength(1);
      expect(movedMails[0].parsed.subject).toContain('pe 6.3.2026');
      expect(smtp.to('cancelled@example.fi').filter((m) => m.parsed.subject?.startsWith('Muistutus'))).toHaveLength(0);
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });

  it('writes .eml files when no SMTP server is configured', async () => {
    const local = await startApp({ clock: new TestClock(MONDAY_MORNING), databaseUrl: await createTestDatabase() });
    try {
      const lf = await BookingFixture.create(local);
      const u = await lf.unit('tiedosto');
      const s = await lf.staff('eml@perhe.test', [u]);
      const sv = await lf.service(u);
      await lf.hours(s, sv, WEEKDAYS, '08:00', '10:00');
      const [slot] = await lf.slots(sv, '2026-03-10', '2026-03-10');
      await lf.book(slot.id, { contact: { name: 'Tiedosto', email: 'file@example.fi' } }).expect(201);
      await drain(local);
      const { readdirSync, readFileSync } = await import('node:fs');
      const dir = `${process.env.DATA_DIR}/mail`;
      const file = readdirSync(dir).map((n) => readFileSync(`${dir}/${n}`, 'utf8')).find((c) => c.includes('file@example.fi'));
      expect(file).toContain('Subject: Aika varattu: Kouluterveydenhoitajan vastaanotto');
      expect(file).toContain('BEGIN:VCALENDAR');
    } finally {
      await local.close();
    }
  });
});
