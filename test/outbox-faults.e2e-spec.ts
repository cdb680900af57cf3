import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { TestClock } from '@app/platform';
import { OutboxDispatcher, OutboxRenderers, OutboxService, renderEach } from '@app/notifications';
import { BookingFixture, WEEKDAYS } from './support/booking-fixture';
import { nameOf } from './support/forms-examples';
import { freePort } from './support/free-port';
import { SmtpSink } from './support/smtp-sink';
import { CLI_MAIN, cleanEnv, runToEnd } from './support/spawned';
import { type TestApp, login, startApp } from './support/test-app';

const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';

interface OutboxRow {
  id: string;
  message_id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  recipient: string | null;
}

const confirmations = (t: TestApp): Promise<OutboxRow[]> =>
  t.db.query(`SELECT id, message_id, status, attempts, last_error, recipient FROM outbox WHERE kind = 'confirmation' ORDER BY seq`);

/** A unit with one nurse and one service, open on weekdays 8–16, booked over HTTP like families do. */
async function bookable(t: TestApp) {
  const f = await BookingFixture.create(t);
  const unit = await f.unit(`vikasieto-${Math.random().toString(36).slice(2, 6)}`);
  const staff = await f.staff(`hoitaja-${Math.random().toString(36).slice(2, 6)}@perhe.test`, [unit]);
  const service = await f.service(unit);
  await f.hours(staff, service, WEEKDAYS, '08:00', '16:00');
  /** Books `count` times in the week of 16 March (far enough that staff get no notice), each family with its own address. */
  const bookMany = async (count: number, prefix: string) => {
    const slots = await f.slots(service, '2026-03-16', '2026-03-20', { limit: '500' });
    for (let i = 0; i < count; i++) {
      await f.book(slots[i].id, { contact: { name: `Perhe ${nameOf(i)}`, email: `${prefix}${i}@example.fi` } }).expect(201);
    }
  };
  return { f, unit, staff, service, bookMany };
}

describe('mail delivery under faults', () => {
  it('sends every message once when two instances send slowly, each batch outliving the lease', async () => {
    const clock = new TestClock(MONDAY_MORNING);
    // A slow server: each message takes 250 ms, and a minute passes on the service's clock. Leases run on the
    // database's clock, 1 s long, so every batch outlives its first lease several times over.
    const smtp = await SmtpSink.start({
      beforeAccept: async () => {
        clock.advanceMinutes(1);
        await sleep(250);
      },
    });
    const env = { SMTP_URL: smtp.url, OUTBOX_LEASE_MS: '1000', SMTP_CONNECTIONS: '2' };
    const a = await startApp({ clock, env });
    const b = await startApp({ clock, databaseUrl: a.databaseUrl, env });
    try {
      const { bookMany } = await bookable(a);
      await bookMany(24, 'hidas');
      expect(await confirmations(a)).toHaveLength(24);

      // Both instances dispatch in a loop, as their timers would, until nothing is pending.
      const deadline = Date.now() + 30_000;
      const loop = async (instance: TestApp) => {
        let sent = 0;
        while (Date.now() < deadline && (await confirmations(instance)).some((m) => m.status === 'pending')) {
          sent += (await instance.app.get(OutboxDispatcher).drain()).sent;
          await sleep(50);
        }
        return sent;
      };
      const [sentByA, sentByB] = await Promise.all([loop(a), loop(b)]);

      const rows = await confirmations(a);
      expect(rows.map((m) => m.status)).toEqual(Array(24).fill('sent'));
      // Claimed once each: no lease ran out while its instance was still sending.
      expect(rows.map((m) => m.attempts)).toEqual(Array(24).fill(1));
      expect(sentByA + sentByB).toBe(24);
      const counts = smtp.countByMessageId();
      expect(rows.map((m) => counts.get(m.message_id))).toEqual(Array(24).fill(1));
      expect(smtp.received).toHaveLength(24);
    } finally {
      await b.close();
      await a.close();
      await smtp.stop();
    }
  });

  it('retries marking a message sent when the database connection drops right after the server accepted it', async () => {
    const admin = new Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
    await admin.connect();
    let accepted = 0;
    let database = '';
    let reopened: Promise<unknown> = Promise.resolve();
    // The third message: the database goes away (every connection of the app is ended and new ones are refused for
    // half a second, as in a restart) just before the server accepts the message.
    const smtp = await SmtpSink.start({
      beforeAccept: async () => {
        if (++accepted !== 3) return;
        await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
        await admin.query(`SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
        reopened = sleep(500).then(() => admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`));
      },
    });
    const t = await startApp({ clock: new TestClock(MONDAY_MORNING), env: { SMTP_URL: smtp.url } });
    database = new URL(t.databaseUrl).pathname.slice(1);
    try {
      const { bookMany } = await bookable(t);
      await bookMany(8, 'katko');

      const result = await t.app.get(OutboxDispatcher).drain();
      await reopened;
      expect(accepted).toBeGreaterThanOrEqual(8);
      expect(result).toMatchObject({ sent: 8, retrying: 0, failed: 0 });
      const rows = await confirmations(t);
      expect(rows.map((m) => [m.status, m.attempts])).toEqual(Array(8).fill(['sent', 1]));

      // Later runs find nothing left to send: every message arrived exactly once.
      t.clock.advanceMinutes(10);
      expect(await t.app.get(OutboxDispatcher).drain()).toMatchObject({ sent: 0 });
      const counts = smtp.countByMessageId();
      expect(rows.map((m) => counts.get(m.message_id))).toEqual(Array(8).fill(1));
      expect(smtp.received).toHaveLength(8);
    } finally {
      await reopened;
      await admin.end();
      await t.close();
      await smtp.stop();
    }
  });

  it('fails a message that can never be sent after one attempt, shows it to admins, and keeps retrying a refused connection', async () => {
    const clock = new TestClock(MONDAY_MORNING);
    const smtp = await SmtpSink.start({ reject: ['hylatty@example.fi'] });
    const t = await startApp({ clock, env: { SMTP_URL: smtp.url } });
    try {
      const { f, unit, service, staff } = await bookable(t);
      const slots = await f.slots(service, '2026-03-16', '2026-03-16');
      await f.book(slots[0].id, { contact: { name: 'Hyvä Osoite', email: 'hyva@example.fi' } }).expect(201);
      await f.book(slots[1].id, { contact: { name: 'Hylätty Osoite', email: 'hylatty@example.fi' } }).expect(201);
      // A message whose renderer throws, and not even an Error (as some libraries do).
      t.app.get(OutboxRenderers).register(['probe'], (jobs) => renderEach(jobs, () => {
        throw { name: 'ValidationError', message: 'attendees[0].email must be a valid email' };
      }));
      await t.app.get(OutboxService).enqueue(t.db.manager, [{ kind: 'probe' }]);
      // Staff addresses that are not one mailbox, each told of a booking tomorrow: nodemailer refuses the empty one
      // outright, the server the one with a header smuggled in (which must reach neither address in it).
      const other = await f.staff('toinen@perhe.test', [unit]);
      await f.hours(other, service, WEEKDAYS, '08:00', '16:00');
      await t.db.query(`UPDATE staff SET email = '' WHERE id = $1`, [staff]);
      await t.db.query(`UPDATE staff SET email = E'toinen@perhe.test\\nBcc: vieras@example.fi' WHERE id = $1`, [other]);
      const tomorrow = await f.slots(service, '2026-03-03', '2026-03-03');
      for (const who of [staff, other]) {
        const slot = tomorrow.find((s) => s.staff.id === who)!;
        await f.book(slot.id, { contact: { name: 'Huomenna', email: `huomenna-${who === staff ? 1 : 2}@example.fi` } }).expect(201);
      }

      const result = await t.app.get(OutboxDispatcher).drain();
      expect(result).toMatchObject({ sent: 3, failed: 4, retrying: 0 });
      expect(smtp.to('hyva@example.fi')).toHaveLength(1);
      expect(smtp.to('huomenna-1@example.fi')).toHaveLength(1);
      expect(smtp.to('huomenna-2@example.fi')).toHaveLength(1);
      expect(smtp.to('vieras@example.fi')).toHaveLength(0);
      expect(smtp.to('toinen@perhe.test')).toHaveLength(0);

      const adminAuth = await login(t, 'admin@test.fi');
      const failed = (await t.http.get('/api/v1/admin/outbox').query({ status: 'failed' }).set('Authorization', adminAuth).expect(200)).body as {
        kind: string; attempts: number; recipient: string | null; lastError: string;
      }[];
      expect(failed).toHaveLength(4);
      const rejected = failed.find((m) => m.recipient === 'h***@example.fi')!;
      expect(rejected).toMatchObject({ kind: 'confirmation', attempts: 1 });
      expect(rejected.lastError).toMatch(/550/);
      expect(rejected.lastError).toContain('<h***@example.fi>: Recipient address rejected');
      expect(rejected.lastError).not.toContain('hylatty');
      expect(failed.find((m) => m.kind === 'probe')).toMatchObject({
        attempts: 1, recipient: null, lastError: 'could not render: attendees[0].email must be a valid email',
      });
      const notices = failed.filter((m) => m.kind === 'staff-notice').sort((x, y) => x.lastError.localeCompare(y.lastError));
      expect(notices.map((m) => [m.attempts, m.lastError])).toEqual([
        [1, expect.stringMatching(/^could not send: Can't send mail - all recipients were rejected: 501 /)],
        [1, 'could not send: No recipients defined'],
      ]);

      // Nothing more is tried for them later.
      clock.advanceMinutes(120);
      expect(await t.app.get(OutboxDispatcher).drain()).toMatchObject({ sent: 0, failed: 0, retrying: 0 });

      // A server that refuses connections is a passing fault: the message waits and is tried again, and again.
      const down = await startApp({ clock, databaseUrl: t.databaseUrl, env: { SMTP_URL: `smtp://127.0.0.1:${await freePort()}` } });
      try {
        const [later] = await f.slots(service, '2026-03-17', '2026-03-17');
        await f.book(later.id, { contact: { name: 'Odottaa', email: 'odottaa@example.fi' } }).expect(201);
        const waiting = async () => (await t.db.query(`SELECT o.status, o.attempts, o.last_error FROM outbox o JOIN appointment a ON a.id = o.appointment_id
                                                        WHERE a.contact_email = 'odottaa@example.fi' AND o.kind = 'confirmation'`))[0];
        expect(await down.app.get(OutboxDispatcher).drain()).toMatchObject({ sent: 0, retrying: 1, failed: 0 });
        expect(await waiting()).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringMatching(/ECONNREFUSED/) });
        expect(await down.app.get(OutboxDispatcher).drain()).toMatchObject({ sent: 0, retrying: 0 }); // not due yet: backoff
        clock.advanceMinutes(1);
        expect(await down.app.get(OutboxDispatcher).drain()).toMatchObject({ retrying: 1 });
        expect(await waiting()).toMatchObject({ status: 'pending', attempts: 2 });
        // Once the server is reachable again, it arrives.
        clock.advanceMinutes(2);
        expect(await t.app.get(OutboxDispatcher).drain()).toMatchObject({ sent: 1 });
        expect(await waiting()).toMatchObject({ status: 'sent', attempts: 3 });
        expect(smtp.to('odottaa@example.fi')).toHaveLength(1);
      } finally {
        await down.close();
      }
    } finally {
      await t.close();
      await smtp.stop();
    }
  });

  it('refuses a lease shorter than a second (OUTBOX_LEASE_MS), naming the setting', async () => {
    const env = cleanEnv({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', OUTBOX_LEASE_MS: '500' });
    const run = await runToEnd(CLI_MAIN, ['outbox:drain'], env);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('Invalid configuration: OUTBOX_LEASE_MS="500" must not be less than 1000');
    const wrong = await runToEnd(CLI_MAIN, ['outbox:drain'], { ...env, OUTBOX_LEASE_MS: 'soon' });
    expect(wrong.stderr.trim()).toMatch(/^Invalid configuration: OUTBOX_LEASE_MS="soon" .*\binteger\b/);
  });

  it('writes a valid calendar file whatever a name holds, folded at 75 octets', async () => {
    const smtp = await SmtpSink.start();
    const t = await startApp({ clock: new TestClock(MONDAY_MORNING), env: { SMTP_URL: smtp.url } });
    try {
      const { f, service } = await bookable(t);
      const [slot] = await f.slots(service, '2026-03-16', '2026-03-16');
      const booked = (await f.book(slot.id, { contact: { name: 'Lyhyt Nimi', email: 'kalenteri@example.fi' } }).expect(201)).body;
      // Names stored before names were checked: quotes, separators, a caret, a line break and more than 75 octets.
      const name = `Åsa "Pikku-Åsa" Berg; Öhman, ^ \\ ${'ä'.repeat(40)}\nrivi`;
      await t.db.query(`UPDATE appointment SET contact_name = $2 WHERE id = $1`, [booked.appointment.id, name]);
      await t.db.query(`UPDATE unit SET name = jsonb_set(name, '{fi}', to_jsonb('Koulu; "Keskusta", 2'::text))`);
      await t.app.get(OutboxDispatcher).drain();

      const [mail] = smtp.to('kalenteri@example.fi');
      const part = mail.parsed.attachments.find((a) => a.contentType.startsWith('text/calendar'))!;
      const ics = part.content.toString('utf8');
      expect(ics.endsWith('\r\n')).toBe(true);
      const physical = ics.slice(0, -2).split('\r\n');
      expect(physical.every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
      const lines = ics.replace(/\r\n /g, '').slice(0, -2).split('\r\n');
      // Every line is NAME[;PARAM=VALUE…]:VALUE, a quoted parameter value holds no quote and no control character.
      const contentLine = /^[A-Z-]+(;[A-Z-]+=("[^"\u0000-\u001f\u007f]*"|[^";:,\u0000-\u001f\u007f]*))*:[^\u0000-\u0008\u000a-\u001f\u007f]*$/;
      expect(lines.filter((line) => !contentLine.test(line))).toEqual([]);
      const attendee = lines.find((line) => line.startsWith('ATTENDEE'))!;
      const cn = /;CN="([^"]*)":mailto:kalenteri@example\.fi$/.exec(attendee)![1];
      expect(cn.replace(/\^(\^|n|')/g, (_, c: string) => ({ '^': '^', n: '\n', "'": '"' })[c]!)).toBe(name);
      expect(lines).toContain('LOCATION:Koulu\\; "Keskusta"\\, 2\\, Koulukatu 1\\, Helsinki');
      expect(lines).toContain('DTSTAMP:20260302T050000Z');
    } finally {
      await t.close();
      await smtp.stop();
    }
  });
});
