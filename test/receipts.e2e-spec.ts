import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { AppConfig, TestClock } from '@app/platform';
import { DEMO_PASSWORD } from '@app/booking';
import { OutboxDispatcher } from '@app/notifications';
import { BookingFixture, WEEKDAYS } from './support/booking-fixture';
import { KOULUTERVEYS, LSI_ANONYMOUS, LSI_PROFESSIONAL, PYYDA_APUA } from './support/forms-examples';
import { freePort } from './support/free-port';
import { type ReceivedMail, SmtpSink } from './support/smtp-sink';
import { CLI_MAIN, SERVER_MAIN, Spawned, cleanEnv, runToEnd } from './support/spawned';
import { GENEROUS_RATE_LIMITS, type TestApp, createTestDatabase, login, startApp } from './support/test-app';

const MONDAY_MORNING = '2026-03-02T09:00:00+02:00';
const PUBLIC_URL = 'https://perhe.example.fi';
const CODE_CHARACTERS = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

type Lang = 'fi' | 'sv' | 'en';
interface Sent {
  id: string;
  reference: string;
  receiptCode: string;
  form: { id: string; version: number };
}

/** A help request for the default unit (`perheneuvonta`: no unit serves "rather not say"). */
const helpRequest = (overrides: Record<string, unknown> = {}) => ({ ...PYYDA_APUA, municipality: 'ratherNotSay', ...overrides });
/** Violence: urgent. */
const urgentHelpRequest = (overrides: Record<string, unknown> = {}) => helpRequest({ topic: 'violence', ...overrides });

const randomCode = () => Array.from({ length: 16 }, () => CODE_CHARACTERS[randomInt(32)]).join('').match(/.{4}/g)!.join('-');
const randomReference = () => `APU-2026-${Array.from({ length: 8 }, () => CODE_CHARACTERS[randomInt(32)]).join('')}`;

/** Everything of a message as it left: headers and every part. */
const rawOf = (mails: ReceivedMail[]) => mails.map((m) => m.raw).join('\n');
const subjects = (mails: ReceivedMail[]) => mails.map((m) => m.parsed.subject ?? '');

describe('receipts, replies and content-free notices', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let f: BookingFixture;
  let apu: string;
  let lsi: string;
  type Account = { id: string; email: string; auth: string };
  /** Handlers of apu: Finnish and Swedish speakers who want notices, one who does not; a calendar-only member; the LSI handler. */
  let fiHandler: Account;
  let svHandler: Account;
  let enHandler: Account;
  let quietHandler: Account;
  let calendarOnly: Account;
  let lsiHandler: Account;

  const unit = async (code: string, email: string) =>
    (await t.http.post('/api/v1/units').set('Authorization', await f.admin())
      .send({ code, name: { fi: `Yksikkö ${code}`, sv: `Enhet ${code}`, en: `Unit ${code}` }, email }).expect(201)).body.id as string;
  const account = async (email: string, languages: Lang[], handlerUnitIds: string[], notify = true, unitIds: string[] = []): Promise<Account> => {
    const res = await t.http.post('/api/v1/staff').set('Authorization', await f.admin()).send({
      email, name: `Käsittelijä ${email.split('.')[0].replace(/[^a-z]/g, '')}`, password: 'correct-horse-battery', roles: ['staff'], languages,
      unitIds, handlerUnitIds, notifyNewSubmissions: notify,
    }).expect(201);
    return { id: res.body.id, email, auth: await login(t, email) };
  };
  const submit = async (form: string, answers: object, language: Lang = 'fi'): Promise<Sent> => {
    t.clock.advanceMinutes(1);
    return (await t.http.post(`/api/v1/forms/${form}/submissions`).send({ language, answers }).expect(201)).body;
  };
  const drain = () => t.app.get(OutboxDispatcher).drain();
  /** Mails received since `mark`. */
  const since = (mark: number) => smtp.received.slice(mark);
  const lookup = (reference: string, receiptCode: string, extra: Record<string, unknown> = {}) =>
    t.http.post('/api/v1/receipts/lookup').send({ reference, receiptCode, ...extra });
  const reply = (who: Account, id: string, text: string) => t.http.post(`/api/v1/inbox/${id}/messages`).set('Authorization', who.auth).send({ text });
  const senderMessage = (sent: Sent, text: string, extra: Record<string, unknown> = {}) =>
    t.http.post('/api/v1/receipts/messages').send({ reference: sent.reference, receiptCode: sent.receiptCode, text, ...extra });
  const mailsAbout = (mails: ReceivedMail[], reference: string) => mails.filter((m) => (m.parsed.subject ?? '').includes(reference));

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    t = await startApp({ clock: new TestClock(MONDAY_MORNING), env: { SMTP_URL: smtp.url, PUBLIC_URL } });
    f = await BookingFixture.create(t);
    apu = await unit('perheneuvonta', 'perheneuvonta@kunta.example.fi');
    lsi = await unit('lastensuojelu-ilmoitukset', 'lastensuojelu@kunta.example.fi');
    fiHandler = await account('fi.kasittelija@test.fi', ['fi', 'sv'], [apu]);
    svHandler = await account('sv.handlaggare@test.fi', ['sv', 'fi'], [apu]);
    enHandler = await account('en.handler@test.fi', ['en'], [apu]);
    quietHandler = await account('hiljainen.kasittelija@test.fi', ['fi'], [apu], false);
    calendarOnly = await account('kalenteri.hoitaja@test.fi', ['fi'], [], true, [apu]);
    lsiHandler = await account('lsi.kasittelija@test.fi', ['fi'], [lsi]);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });
  beforeEach(async () => {
    // Nothing left over from the previous test.
    await drain();
  });

  describe('telling a unit of an arrival, without content', () => {
    it('e-mails the unit\'s address and its handlers who want it, in their language; not those who do not, nor calendar-only members', async () => {
      const mark = smtp.received.length;
      const sent = await submit('pyyda-apua', helpRequest());
      const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM outbox WHERE facts->>'submissionId' = $1 AND status = 'pending' AND NOT urgent`, [sent.id]);
      expect(count).toBe(4);
      await drain();
      const mails = mailsAbout(since(mark), sent.reference);
      const to = (address: string) => mails.filter((m) => JSON.stringify(m.parsed.to).includes(address));
      expect(mails).toHaveLength(4);
      expect(to(quietHandler.email)).toEqual([]);
      expect(to(calendarOnly.email)).toEqual([]);
      expect(to(lsiHandler.email)).toEqual([]);

      const link = `${PUBLIC_URL}/staff/inbox/${sent.id}`;
      const [fi] = to(fiHandler.email);
      expect(fi.parsed.subject).toBe(`Saapunut: Pyydä apua ${sent.reference}`);
      expect(fi.parsed.text).toContain('Yksikkönne saapuneisiin on tullut uusi asia.');
      expect(fi.parsed.text).toContain(`Viitenumero: ${sent.reference}`);
      expect(fi.parsed.text).toContain('Lomake: Pyydä apua');
      expect(fi.parsed.text).toContain('Kiireellisyys: tavallinen');
      expect(fi.parsed.text).toContain(link);
      expect(fi.parsed.html).toContain(`<a href="${link}">`);
      const [sv] = to(svHandler.email);
      expect(sv.parsed.subject).toBe(`Inkommen: Be om hjälp ${sent.reference}`);
      expect(sv.parsed.text).toContain('Prioritet: normal');
      expect(sv.parsed.text).toContain(link);
      const [en] = to(enHandler.email);
      expect(en.parsed.subject).toBe(`Received: Ask for help ${sent.reference}`);

      // The shared address: Finnish, Swedish and English, the subject in Finnish and Swedish.
      const [shared] = to('perheneuvonta@kunta.example.fi');
      expect(shared.parsed.subject).toBe(`Saapunut: Pyydä apua ${sent.reference} / Inkommen: Be om hjälp ${sent.reference}`);
      for (const line of ['Lomake: Pyydä apua', 'Blankett: Be om hjälp', 'Form: Ask for help', link]) expect(shared.parsed.text).toContain(line);
      expect(shared.parsed.html).toMatch(/<div lang="fi">[\s\S]*<div lang="sv">[\s\S]*<div lang="en">/);

      // Nothing the sender wrote, not even the municipality or the topic.
      for (const secret of [PYYDA_APUA.message, PYYDA_APUA.contactName, PYYDA_APUA.contactPhone, PYYDA_APUA.safeContactNotes, 'Vanhemmuus', 'uhmaikä']) {
        expect(rawOf(mails)).not.toContain(secret);
      }
    });

    it('an urgent one says so in every language and is sent before the normal ones already waiting', async () => {
      // More normal messages waiting than the dispatcher claims at once (at least 50, four per SMTP connection).
      const waiting: Sent[] = [];
      for (let i = 0; i < 20; i++) waiting.push(await submit('pyyda-apua', helpRequest()));
      const urgent = await submit('pyyda-apua', urgentHelpRequest());
      const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM outbox WHERE status = 'pending'`);
      expect(count).toBeGreaterThan(Math.max(50, 4 * t.app.get(AppConfig).smtpConnections));
      expect(await t.db.query(`SELECT DISTINCT urgent FROM outbox WHERE facts->>'submissionId' = $1`, [urgent.id])).toEqual([{ urgent: true }]);

      const mark = smtp.received.length;
      // One claim: the urgent ones, planned last, are in it; what is left waiting is all normal.
      expect((await t.app.get(OutboxDispatcher).dispatchDue()).sent).toBeLessThan(count);
      expect(subjects(since(mark)).filter((s) => s.includes(urgent.reference))).toHaveLength(4);
      const left = await t.db.query(`SELECT urgent, facts->>'submissionId' AS id FROM outbox WHERE status = 'pending'`);
      expect(left.length).toBeGreaterThan(0);
      expect(left.every((r: { urgent: boolean; id: string }) => !r.urgent && r.id !== urgent.id)).toBe(true);
      await drain();
      const all = since(mark);
      expect(all).toHaveLength(21 * 4);
      const to = (address: string) => mailsAbout(all, urgent.reference).filter((m) => JSON.stringify(m.parsed.to).includes(address))[0];
      expect(to(fiHandler.email).parsed.subject).toBe(`KIIREELLINEN – Saapunut: Pyydä apua ${urgent.reference}`);
      expect(to(fiHandler.email).parsed.text).toContain('Kiireellisyys: kiireellinen');
      expect(to(svHandler.email).parsed.subject).toBe(`BRÅDSKANDE – Inkommen: Be om hjälp ${urgent.reference}`);
      expect(to(enHandler.email).parsed.subject).toBe(`URGENT – Received: Ask for help ${urgent.reference}`);
      expect(to('perheneuvonta@kunta.example.fi').parsed.subject).toMatch(/^KIIREELLINEN – .* \/ BRÅDSKANDE – /);
      // Not even the topic that made it urgent.
      expect(rawOf(mailsAbout(all, urgent.reference))).not.toMatch(/väkivalta|violence|våld/i);
    });

    it('a forward tells the receiving unit the same way; a notice the old unit had not yet got is withdrawn', async () => {
      const sent = await submit('pyyda-apua', helpRequest());
      const mark = smtp.received.length;
      await t.http.post(`/api/v1/inbox/${sent.id}/forward`).set('Authorization', fiHandler.auth)
        .send({ unitId: lsi, reason: 'Kuuluu lastensuojelulle.' }).expect(200);
      const result = await drain();
      const mails = mailsAbout(since(mark), sent.reference);
      expect(result.skipped).toBe(4);
      expect(mails.map((m) => (m.parsed.to as { text: string }).text).sort()).toEqual(['lastensuojelu@kunta.example.fi', lsiHandler.email].sort());
      const handlerMail = mails.find((m) => JSON.stringify(m.parsed.to).includes(lsiHandler.email))!;
      expect(handlerMail.parsed.subject).toBe(`Siirretty yksikköönne: Pyydä apua ${sent.reference}`);
      expect(handlerMail.parsed.text).toContain(`${PUBLIC_URL}/staff/inbox/${sent.id}`);
      expect(rawOf(mails)).not.toContain('Kuuluu lastensuojelulle');
    });

    it('the command line sends them too (outbox:drain)', async () => {
      const sent = await submit('pyyda-apua', urgentHelpRequest());
      const mark = smtp.received.length;
      const run = await runToEnd(CLI_MAIN, ['outbox:drain'], cleanEnv({ DATABASE_URL: t.databaseUrl, DATA_DIR: process.env.DATA_DIR!, SMTP_URL: smtp.url, PUBLIC_URL, LOG_LEVEL: 'silent' }));
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 0, stdout: expect.stringMatching(/^sent 4, skipped 0, retrying 0, failed 0 in /) });
      expect(subjects(since(mark)).filter((s) => s.includes(sent.reference))).toHaveLength(4);
    });

    it('pre-information is not announced to the unit: it is read with its appointment', async () => {
      const service = await f.service(apu, { preInformationForm: 'esitiedot-kouluterveydenhuolto' });
      await f.hours(calendarOnly.id, service, WEEKDAYS, '08:00', '12:00');
      const [slot] = await f.slots(service, '2026-03-03', '2026-03-03');
      const booked = (await f.book(slot.id).expect(201)).body;
      const sent = await t.http.post(`/api/v1/appointments/${booked.appointment.id}/pre-information`).set('X-Pre-Information-Token', booked.preInformation.token)
        .send({ language: 'fi', answers: KOULUTERVEYS }).expect(201);
      expect(await t.db.query(`SELECT kind FROM outbox WHERE facts->>'submissionId' = $1`, [sent.body.id])).toEqual([]);
      // A public submission right after is announced as usual.
      const help = await submit('pyyda-apua', helpRequest());
      expect(await t.db.query(`SELECT count(*)::int AS count FROM outbox WHERE facts->>'submissionId' = $1`, [help.id])).toEqual([{ count: 4 }]);
    });
  });

  describe('looking up a submission with its receipt code', () => {
    it('shows the status in words, the dates and the messages; the code may be typed in any case, with spaces or without dashes', async () => {
      const sent = await submit('pyyda-apua', helpRequest({ contactMethod: 'anonymous', contactPhone: undefined, contactName: undefined, safeContactNotes: undefined }));
      const res = await lookup(sent.reference, sent.receiptCode).expect(200);
      expect(res.body).toEqual({
        reference: sent.reference,
        form: { id: 'pyyda-apua', version: sent.form.version, title: 'Pyydä apua' },
        status: 'received',
        statusText: 'Vastaanotettu',
        submittedAt: expect.stringMatching(/^2026-03-02T09:\d\d:00\+02:00$/),
        lastChangedAt: res.body.submittedAt,
        closedAt: null,
        canReply: true,
        messages: [],
      });
      const typed = ` ${sent.receiptCode.replace(/-/g, '').toLowerCase().replace(/(.{4})/g, '$1 ')} `;
      expect((await lookup(` ${sent.reference.toLowerCase()} `, typed).expect(200)).body.reference).toBe(sent.reference);
      expect((await lookup(sent.reference, sent.receiptCode.replace(/-/g, '–')).expect(200)).body.reference).toBe(sent.reference);
      // The status in the language asked for, in the body or by Accept-Language.
      expect((await lookup(sent.reference, sent.receiptCode, { language: 'sv' }).expect(200)).body).toMatchObject({ statusText: 'Mottagen', form: { title: 'Be om hjälp' } });
      expect((await lookup(sent.reference, sent.receiptCode).set('Accept-Language', 'en').expect(200)).body.statusText).toBe('Received');

      t.clock.advanceMinutes(30);
      await t.http.post(`/api/v1/inbox/${sent.id}/status`).set('Authorization', fiHandler.auth).send({ status: 'acknowledged' }).expect(200);
      const acknowledged = (await lookup(sent.reference, sent.receiptCode).expect(200)).body;
      expect(acknowledged).toMatchObject({ status: 'acknowledged', statusText: 'Kuitattu vastaanotetuksi', submittedAt: res.body.submittedAt });
      expect(acknowledged.lastChangedAt > res.body.submittedAt).toBe(true);
    });

    it('answers a wrong reference and a wrong code with the same 404; a code that cannot be one is a 400 that says what a code looks like', async () => {
      const sent = await submit('pyyda-apua', helpRequest());
      const wrongCode = await lookup(sent.reference, randomCode()).expect(404);
      const wrongReference = await lookup(randomReference(), sent.receiptCode).expect(404);
      const otherForms = await lookup(sent.reference.replace(/^APU/, 'LSI'), sent.receiptCode).expect(404);
      expect(wrongCode.body).toEqual({
        status: 404, code: 'receipt_not_found',
        message: 'Viitenumerolla ja kuittauskoodilla ei löytynyt lähetettyä lomaketta. Tarkista, että kirjoitit molemmat oikein.',
      });
      expect(wrongReference.body).toEqual(wrongCode.body);
      expect(otherForms.body).toEqual(wrongCode.body);
      expect((await lookup(sent.reference, randomCode(), { language: 'sv' }).expect(404)).body.message).toMatch(/^Ingen skickad blankett hittades/);

      const malformed = await lookup(sent.reference, 'ABCD-EFGH').set('Accept-Language', 'en').expect(400);
      expect(malformed.body).toMatchObject({ code: 'validation_failed', fields: [{ field: 'receiptCode', rule: 'receiptCode' }] });
      expect(malformed.body.fields[0].message).toMatch(/^Check the receipt code\. It has 16 characters/);
      // Letters that never occur in codes (O, I, 0, 1) are not silently read as others.
      await lookup(sent.reference, 'OOOO-IIII-0000-1111').expect(400);
      await lookup('APU 2026', sent.receiptCode).expect(400);
      await t.http.post('/api/v1/receipts/lookup').send({ reference: sent.reference, receiptCode: sent.receiptCode, extra: 1 }).expect(400);
      await t.http.post('/api/v1/receipts/lookup').send({ reference: 7, receiptCode: [sent.receiptCode] }).expect(400);
    });

    it('1,000 random guesses find nothing: each is the same 404', async () => {
      const sent = await submit('pyyda-apua', helpRequest());
      // Half of them know a real reference and guess its code; half guess both.
      const guesses = Array.from({ length: 1000 }, (_, i) => ({ reference: i % 2 ? sent.reference : randomReference(), receiptCode: randomCode() }));
      const bodies = new Set<string>();
      let notFound = 0;
      for (let i = 0; i < guesses.length; i += 50) {
        const answers = await Promise.all(guesses.slice(i, i + 50).map((g) => t.http.post('/api/v1/receipts/lookup').send(g)));
        for (const res of answers) {
          if (res.status === 404) notFound++;
          bodies.add(JSON.stringify(res.body));
        }
      }
      expect(notFound).toBe(1000);
      // One and the same body for all of them: nothing tells a known reference from an unknown one.
      expect(bodies.size).toBe(1);
      expect(JSON.parse([...bodies][0]).code).toBe('receipt_not_found');
    });
  });

  describe('the conversation between a handler and an anonymous sender', () => {
    it('sender opts in → handler replies → one content-free notice → the sender reads the reply and answers → the handlers are told → the handler reads it', async () => {
      const noticeTo = 'nimeton.lahettaja@example.fi';
      const sent = await submit('pyyda-apua', helpRequest({
        contactMethod: 'anonymous', contactPhone: undefined, contactName: undefined, safeContactNotes: undefined, replyNotice: true, replyNoticeEmail: noticeTo,
      }));
      // The address is kept sealed in its own column, never in clear.
      const [stored] = await t.db.query(`SELECT row_to_json(s)::text AS row, reply_notice_to FROM submission s WHERE id = $1`, [sent.id]);
      expect(stored.reply_notice_to).toEqual({ keyId: expect.any(String), wrappedKey: expect.any(String), payload: expect.any(String) });
      expect(stored.row).not.toContain(noticeTo);
      await drain();

      const mark = smtp.received.length;
      t.clock.advanceMinutes(60);
      const replyText = 'Hei, kiitos viestistäsi. Voit soittaa meille arkisin numeroon 09 123 4567.';
      const replied = await reply(fiHandler, sent.id, replyText).expect(201);
      expect(replied.body).toMatchObject({ direction: 'handler', text: replyText, staff: { id: fiHandler.id } });
      expect(await t.db.query(`SELECT staff_id, unit_id, action, purpose FROM access_log WHERE submission_id = $1`, [sent.id])).toEqual([
        { staff_id: fiHandler.id, unit_id: apu, action: 'reply', purpose: 'handling' },
      ]);
      expect(await t.db.query(`SELECT actor_type, action, detail FROM submission_event WHERE submission_id = $1 ORDER BY id`, [sent.id])).toEqual([
        { actor_type: 'staff', action: 'message', detail: { messageId: replied.body.id, direction: 'handler' } },
      ]);
      await drain();
      const notices = since(mark).filter((m) => JSON.stringify(m.parsed.to).includes(noticeTo));
      expect(notices).toHaveLength(1);
      const [notice] = notices;
      expect(notice.parsed.subject).toBe(`Vastaus viestiisi ${sent.reference}`);
      expect(notice.parsed.text).toContain(`Viestiisi ${sent.reference} on tullut vastaus.`);
      expect(notice.parsed.text).toContain(`${PUBLIC_URL}/receipts`);
      // Nothing of the reply, the form or the unit; the outbox does not keep the address.
      for (const secret of ['Voit soittaa', 'Pyydä apua', 'perheneuvonta', 'Käsittelijä']) expect(notice.raw).not.toContain(secret);
      const [row] = await t.db.query(`SELECT row_to_json(o)::text AS row, recipient, status FROM outbox o WHERE kind = 'reply-notice' AND facts->>'submissionId' = $1`, [sent.id]);
      expect(row).toMatchObject({ recipient: null, status: 'sent' });
      expect(row.row).not.toContain(noticeTo);
      // Only the handlers' own notices: nobody else was told of the reply.
      expect(since(mark)).toHaveLength(1);

      t.clock.advanceMinutes(60);
      const seen = (await lookup(sent.reference, sent.receiptCode).expect(200)).body;
      expect(seen.messages).toEqual([{ direction: 'handler', at: replied.body.at, text: replyText }]);
      expect(seen.lastChangedAt).toBe(replied.body.at);
      expect(JSON.stringify(seen)).not.toMatch(/Käsittelijä|fi\.kasittelija|staff/);

      const answerText = 'Kiitos, soitan huomenna aamupäivällä.';
      const mark2 = smtp.received.length;
      const answered = await senderMessage(sent, answerText).expect(201);
      expect(answered.body).toEqual({ direction: 'sender', at: expect.any(String), text: answerText });
      const events = await t.db.query(`SELECT actor_type, actor_id, action, unit_id, detail FROM submission_event WHERE submission_id = $1 ORDER BY id`, [sent.id]);
      expect(events[1]).toEqual({ actor_type: 'sender', actor_id: null, action: 'message', unit_id: apu, detail: { messageId: expect.any(String), direction: 'sender' } });
      await drain();
      const told = since(mark2);
      expect(told.map((m) => (m.parsed.to as { text: string }).text).sort()).toEqual(
        [enHandler.email, fiHandler.email, 'perheneuvonta@kunta.example.fi', svHandler.email].sort(),
      );
      expect(told.find((m) => JSON.stringify(m.parsed.to).includes(fiHandler.email))!.parsed.subject).toBe(`Uusi viesti lähettäjältä: Pyydä apua ${sent.reference}`);
      expect(told.find((m) => JSON.stringify(m.parsed.to).includes(fiHandler.email))!.parsed.text).toContain(`${PUBLIC_URL}/staff/inbox/${sent.id}`);
      expect(told.find((m) => JSON.stringify(m.parsed.to).includes(enHandler.email))!.parsed.subject).toBe(`New message from the sender: Ask for help ${sent.reference}`);
      expect(rawOf(told)).not.toContain('soitan huomenna');
      // The sender is not told of their own message.
      expect(told.filter((m) => JSON.stringify(m.parsed.to).includes(noticeTo))).toEqual([]);

      const detail = (await t.http.get(`/api/v1/inbox/${sent.id}`).query({ purpose: 'handling' }).set('Authorization', svHandler.auth).expect(200)).body;
      expect(detail.messages.map((m: { direction: string; text: string }) => [m.direction, m.text])).toEqual([['handler', replyText], ['sender', answerText]]);
      expect(detail.messages[1].staff).toBeNull();

      // At rest, messages are sealed.
      const rows = await t.db.query(`SELECT row_to_json(m)::text AS row FROM submission_message m WHERE submission_id = $1`, [sent.id]);
      expect(rows).toHaveLength(2);
      for (const { row } of rows) {
        expect(row).not.toContain('Voit soittaa');
        expect(row).not.toContain('soitan huomenna');
      }

      // A second reply, a second notice: one per reply.
      const mark3 = smtp.received.length;
      t.clock.advanceMinutes(5);
      await reply(svHandler, sent.id, 'Hej! Vi ringer dig.').expect(201);
      await drain();
      expect(since(mark3).filter((m) => JSON.stringify(m.parsed.to).includes(noticeTo))).toHaveLength(1);
    });

    it('a closed submission still shows its status and messages, and refuses new messages from the sender (409, localized); a handler may still write a last word', async () => {
      const sent = await submit('pyyda-apua', helpRequest({ contactMethod: 'anonymous', contactPhone: undefined, contactName: undefined, safeContactNotes: undefined }));
      await reply(fiHandler, sent.id, 'Ohjaamme sinut perheneuvolan ajanvaraukseen.').expect(201);
      for (const step of [{ status: 'acknowledged' }, { status: 'in_progress' }, { status: 'closed', outcome: 'referred' }]) {
        t.clock.advanceMinutes(10);
        await t.http.post(`/api/v1/inbox/${sent.id}/status`).set('Authorization', fiHandler.auth).send(step).expect(200);
      }
      const closed = (await lookup(sent.reference, sent.receiptCode).expect(200)).body;
      expect(closed).toMatchObject({ status: 'closed', statusText: 'Käsittely päättynyt', canReply: false, closedAt: expect.any(String), lastChangedAt: closed.closedAt });
      expect(closed.messages).toHaveLength(1);
      // The outcome is the unit's business, not the sender's.
      expect(JSON.stringify(closed)).not.toContain('referred');

      const refused = await senderMessage(sent, 'Vielä yksi kysymys.').set('Accept-Language', 'sv').expect(409);
      expect(refused.body).toMatchObject({ code: 'conversation_closed', message: expect.stringMatching(/^Behandlingen av ärendet är avslutad/) });
      expect((await senderMessage(sent, 'Vielä yksi kysymys.', { language: 'en' }).expect(409)).body.message).toMatch(/^This matter has been closed/);
      expect(await t.db.query(`SELECT count(*)::int AS count FROM submission_message WHERE submission_id = $1`, [sent.id])).toEqual([{ count: 1 }]);

      await reply(fiHandler, sent.id, 'Hyvää jatkoa!').expect(201);
      expect((await lookup(sent.reference, sent.receiptCode).expect(200)).body.messages).toHaveLength(2);
    });

    it('sends nothing to a sender who did not ask, whatever address they gave; uses the contact address of one who did', async () => {
      const contact = 'yhteys.sahkoposti@example.fi';
      // E-mail as the way of contact, no notice asked: nothing.
      const quiet = await submit('pyyda-apua', helpRequest({ contactMethod: 'email', contactPhone: undefined, contactEmail: contact }));
      // Said no, and an address for the notice that the form did not show (contact by e-mail): nothing kept.
      const no = await submit('pyyda-apua', helpRequest({ contactMethod: 'email', contactPhone: undefined, contactEmail: contact, replyNotice: false }));
      // Contact by e-mail and yes: the contact address; a notice address given anyway is not shown, so not taken.
      const yes = await submit('pyyda-apua', helpRequest({
        contactMethod: 'email', contactPhone: undefined, contactEmail: 'kayta.tata@example.fi', replyNotice: true, replyNoticeEmail: 'ei.tata@example.fi',
      }));
      expect(await t.db.query(`SELECT id, reply_notice_to IS NOT NULL AS kept FROM submission WHERE id = ANY($1) ORDER BY submitted_at`, [[quiet.id, no.id, yes.id]])).toEqual([
        { id: quiet.id, kept: false }, { id: no.id, kept: false }, { id: yes.id, kept: true },
      ]);
      // Asked for, but no address where the form asks for one: refused, nothing stored.
      const missing = await t.http.post('/api/v1/forms/pyyda-apua/submissions')
        .send({ language: 'fi', answers: helpRequest({ contactMethod: 'anonymous', contactPhone: undefined, replyNotice: true }) }).expect(422);
      expect(missing.body.fields).toEqual([expect.objectContaining({ field: '/replyNoticeEmail', rule: 'answerRequired' })]);
      await drain();

      const mark = smtp.received.length;
      for (const s of [quiet, no, yes]) await reply(fiHandler, s.id, 'Vastaus.').expect(201);
      await drain();
      const mails = since(mark);
      expect(mails.map((m) => (m.parsed.to as { text: string }).text)).toEqual(['kayta.tata@example.fi']);
      expect(mails[0].parsed.subject).toBe(`Vastaus viestiisi ${yes.reference}`);
      expect(await t.db.query(`SELECT count(*)::int AS count FROM outbox WHERE kind = 'reply-notice' AND facts->>'submissionId' = ANY($1)`, [[quiet.id, no.id]])).toEqual([{ count: 0 }]);
    });

    it('a notice the mail server refuses keeps no trace of the address in the outbox, not even in the error', async () => {
      const refused = 'ei.toimi@example.fi';
      smtp.refused.add(refused);
      try {
        const sent = await submit('pyyda-apua', helpRequest({ contactMethod: 'anonymous', contactPhone: undefined, replyNotice: true, replyNoticeEmail: refused }));
        await drain();
        await reply(fiHandler, sent.id, 'Vastaus.').expect(201);
        // Refused for good by the server (5xx): failed at once, not retried.
        expect(await drain()).toMatchObject({ sent: 0, retrying: 0, failed: 1 });
        const [row] = await t.db.query(`SELECT row_to_json(o)::text AS row, recipient, last_error FROM outbox o WHERE kind = 'reply-notice' AND facts->>'submissionId' = $1`, [sent.id]);
        expect(row.recipient).toBeNull();
        expect(row.last_error).toMatch(/550 5\.1\.1 <\[recipient\]>: Recipient address rejected/);
        expect(row.row).not.toContain(refused);
        // Withdrawn so later tests find nothing waiting.
        await t.db.query(`UPDATE outbox SET status = 'cancelled' WHERE kind = 'reply-notice' AND facts->>'submissionId' = $1`, [sent.id]);
      } finally {
        smtp.refused.delete(refused);
      }
    });

    it('a child-welfare notifier may ask for the notice too, in their language', async () => {
      const noticeTo = 'ilmoittaja@example.fi';
      const sent = await submit('lastensuojeluilmoitus', { ...LSI_ANONYMOUS, replyNotice: true, replyNoticeEmail: noticeTo }, 'sv');
      const professional = await submit('lastensuojeluilmoitus', { ...LSI_PROFESSIONAL, replyNotice: false });
      await drain();
      const mark = smtp.received.length;
      await reply(lsiHandler, sent.id, 'Kiitos ilmoituksesta.').expect(201);
      await reply(lsiHandler, professional.id, 'Kiitos ilmoituksesta.').expect(201);
      await drain();
      const mails = since(mark);
      expect(mails.map((m) => (m.parsed.to as { text: string }).text)).toEqual([noticeTo]);
      expect(mails[0].parsed.subject).toBe(`Svar på ditt meddelande ${sent.reference}`);
      expect(mails[0].parsed.text).toContain('med referensnumret och din kvittenskod');
      expect(mails[0].raw).not.toMatch(/Barnskydd|Lastensuojelu|Kiitos ilmoituksesta/i);
    });

    it('a form offers the notice only through a yes/no question and e-mail questions (the linter says where)', async () => {
      const shipped = JSON.parse(readFileSync(join(__dirname, '..', 'form-definitions', 'pyyda-apua', '2.json'), 'utf8'));
      const admin = await f.admin();
      const upload = (replyNotice: object) => t.http.post('/api/v1/admin/forms').set('Authorization', admin)
        .send({ ...shipped, id: 'oma-apupyynto', version: 1, routing: [{ unit: 'perheneuvonta' }], handling: { ...shipped.handling, replyNotice } });
      const res = await upload({ optIn: 'message', email: ['contactEmail', 'contactName'] }).expect(422);
      expect(res.body.fields.map((x: { field: string; message: string }) => `${x.field} ${x.message}`)).toEqual([
        '/handling/replyNotice/optIn reply-notice: "message" is not a question with a yesno control',
        '/handling/replyNotice/email/1 reply-notice: "contactName" is not a question with an email control',
      ]);
      await upload({ optIn: 'replyNotice', email: ['replyNoticeEmail'] }).expect(201);
    });

    it('only handlers of the submission\'s unit reply; bad text is a 400 and stores nothing', async () => {
      const sent = await submit('pyyda-apua', helpRequest());
      await reply(lsiHandler, sent.id, 'Hei').expect(404);
      await reply(calendarOnly, sent.id, 'Hei').expect(404);
      await t.http.post(`/api/v1/inbox/${sent.id}/messages`).set('Authorization', await f.admin()).send({ text: 'Hei' }).expect(404);
      await t.http.post(`/api/v1/inbox/${sent.id}/messages`).send({ text: 'Hei' }).expect(401);
      await reply(fiHandler, sent.id, '').expect(400);
      await reply(fiHandler, sent.id, 'x'.repeat(4001)).expect(400);
      await reply(fiHandler, sent.id, 'Hei\u0000').expect(400);
      await senderMessage(sent, '   ').expect(400);
      expect(await t.db.query(`SELECT count(*)::int AS count FROM submission_message WHERE submission_id = $1`, [sent.id])).toEqual([{ count: 0 }]);
      expect(await t.db.query(`SELECT count(*)::int AS count FROM access_log WHERE submission_id = $1`, [sent.id])).toEqual([{ count: 0 }]);
    });
  });
});

describe('receipt lookups under a low rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING), env: { RATE_LIMIT_RECEIPT: '5/10m per client, 1000/1m total' } });
  });
  afterAll(() => t.close());

  it('gives 429 with Retry-After after the per-client limit, for lookups and messages alike; other clients go on', async () => {
    const guess = () => ({ reference: randomReference(), receiptCode: randomCode() });
    for (let i = 0; i < 4; i++) await t.http.post('/api/v1/receipts/lookup').set('X-Forwarded-For', '198.51.100.7').send(guess()).expect(404);
    await t.http.post('/api/v1/receipts/messages').set('X-Forwarded-For', '198.51.100.7').send({ ...guess(), text: 'Hei' }).expect(404);
    const limited = await t.http.post('/api/v1/receipts/lookup').set('X-Forwarded-For', '198.51.100.7').send(guess()).expect(429);
    expect(limited.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(limited.body).toMatchObject({ code: 'rate_limited' });
    await t.http.post('/api/v1/receipts/messages').set('X-Forwarded-For', '198.51.100.7').send({ ...guess(), text: 'Hei' }).expect(429);
    await t.http.post('/api/v1/receipts/lookup').set('X-Forwarded-For', '198.51.100.8').send(guess()).expect(404);
    t.clock.set(new Date(t.clock.now().getTime() + Number(limited.headers['retry-after']) * 1000));
    await t.http.post('/api/v1/receipts/lookup').set('X-Forwarded-For', '198.51.100.7').send(guess()).expect(404);
  });
});

/**
 * The built server as it runs in production, its log written to stdout:
 * markers planted in every text answer of both shipped public forms, and in
 * the messages, must reach no e-mail, no outbox row, no log line and no
 * error response.
 */
describe('nothing the senders or handlers wrote leaves in mail, the outbox, logs or errors', () => {
  let server: Spawned | undefined;
  let smtp: SmtpSink;
  let databaseUrl: string;
  let http: ReturnType<typeof request>;
  const markers: string[] = [];
  /** A unique word of letters only (valid in names too). */
  const marker = () => {
    const m = `Qz${Array.from(randomBytes(10), (b) => String.fromCharCode(97 + (b % 26))).join('')}`;
    markers.push(m);
    return m;
  };

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    databaseUrl = await createTestDatabase();
    const port = await freePort();
    server = new Spawned(SERVER_MAIN, ['--seed-demo'], cleanEnv({
      ...GENEROUS_RATE_LIMITS,
      DATABASE_URL: databaseUrl, PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), 'perhe-receipts-')),
      JOBS_ENABLED: 'true', OUTBOX_POLL_MS: '100', SMTP_URL: smtp.url, LOG_LEVEL: 'trace', PUBLIC_URL,
    }));
    await server.waitForStdout('is running at', 90_000);
    http = request(`http://127.0.0.1:${port}`);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await smtp.stop();
  });

  it('plants a marker in every text answer and message, and finds none outside', async () => {
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const errors: string[] = [];
      const expectError = async (req: request.Test, status: number) => {
        const res = await req;
        expect([res.status, res.body.code]).toEqual([status, expect.any(String)]);
        errors.push(JSON.stringify(res.body), JSON.stringify(res.headers));
      };
      const guardian = () => ({ guardianName: marker(), guardianPhone: '0401234567', guardianAddress: `${marker()} 1 A 2` });
      const help = {
        topic: 'violence', contactMethod: 'email', contactEmail: 'apua.pyytaja@example.fi', contactName: marker(), safeContactNotes: marker(),
        message: `${marker()} ${marker()}`, municipality: 'ratherNotSay', contactLanguage: 'fi', replyNotice: true,
      };
      const child = () => ({ childName: marker(), childAddress: `${marker()} 3 B 12`, childSchoolOrDaycare: marker(), childBirthDate: '2015-03-15', guardians: [guardian()] });
      const privateReport = {
        reporterType: 'private', anonymous: false, reporterName: marker(), reporterPhone: '040 111 2222', reporterEmail: 'ilmoittaja.yksityinen@example.fi',
        reporterRelation: marker(), ...child(), concernAreas: ['homeConflict'], concernDescription: marker(), immediateDanger: false, madeWithFamily: false,
        replyNotice: true, replyNoticeEmail: 'ilmoitus.osoite@example.fi',
      };
      const professionalReport = {
        reporterType: 'professional', professionalName: marker(), profession: marker(), organisation: marker(), professionalPhone: '+358501112233',
        professionalEmail: 'ammattilainen@example.fi', ...child(), concernAreas: ['schoolAttendance'], concernDescription: marker(), immediateDanger: true,
        madeWithFamily: true, replyNotice: true, replyNoticeEmail: 'ammattilainen.ilmoitus@example.fi',
      };
      const send = async (form: string, answers: object) => (await http.post(`/api/v1/forms/${form}/submissions`).send({ language: 'fi', answers }).expect(201)).body as Sent;
      const sent = [await send('pyyda-apua', help), await send('lastensuojeluilmoitus', privateReport), await send('lastensuojeluilmoitus', professionalReport)];

      // Refused answers with markers in them: the error names the question, never the value.
      await expectError(http.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: { ...help, message: `${marker()} ${'x'.repeat(4000)}` } }), 422);
      await expectError(http.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: { ...help, contactEmail: `${marker()}@`, contactName: `${marker()}1` } }), 422);
      await expectError(http.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: { ...help, municipality: marker(), topic: marker() } }), 422);
      await expectError(http.post('/api/v1/forms/lastensuojeluilmoitus/submissions').send({ language: 'fi', answers: { ...privateReport, concernDescription: `${marker()}\u0000` } }), 422);
      await expectError(http.post('/api/v1/forms/pyyda-apua/validate').send({ language: 'fi', answers: { ...help, safeContactNotes: `${marker()}\n${marker()}` } }), 422);
      await expectError(http.post('/api/v1/receipts/lookup').send({ reference: marker(), receiptCode: marker() }), 400);
      await expectError(http.post('/api/v1/receipts/messages').send({ reference: sent[0].reference, receiptCode: randomCode(), text: marker() }), 404);
      await expectError(http.post('/api/v1/receipts/messages').send({ reference: sent[0].reference, receiptCode: sent[0].receiptCode, text: `${marker()}${'x'.repeat(4000)}` }), 400);

      // Handlers open, reply and note; senders read and write back.
      const auth = async (email: string) => `Bearer ${(await http.post('/api/v1/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200)).body.token}`;
      const counsellor = await auth('perheneuvoja.niemi@demo.perhe.fi');
      const socialWorker = await auth('sosiaalityontekija.lahti@demo.perhe.fi');
      const handlerOf = [counsellor, socialWorker, socialWorker];
      for (const [i, s] of sent.entries()) {
        const opened = await http.get(`/api/v1/inbox/${s.id}`).query({ purpose: 'handling' }).set('Authorization', handlerOf[i]).expect(200);
        expect(markers.some((m) => JSON.stringify(opened.body).includes(m))).toBe(true);
        await http.get(`/api/v1/inbox/${s.id}/pdf`).query({ purpose: 'handling' }).set('Authorization', handlerOf[i]).expect(200);
        await http.post(`/api/v1/inbox/${s.id}/messages`).set('Authorization', handlerOf[i]).send({ text: `Vastaus ${marker()}` }).expect(201);
        await http.post(`/api/v1/inbox/${s.id}/notes`).set('Authorization', handlerOf[i]).send({ text: `Muistiinpano ${marker()}` }).expect(201);
        await expectError(http.post(`/api/v1/inbox/${s.id}/messages`).set('Authorization', handlerOf[i]).send({ text: `${marker()}\u0007` }), 400);
        const read = await http.post('/api/v1/receipts/lookup').send({ reference: s.reference, receiptCode: s.receiptCode }).expect(200);
        expect(read.body.messages).toHaveLength(1);
        await http.post('/api/v1/receipts/messages').send({ reference: s.reference, receiptCode: s.receiptCode, text: `Kiitos ${marker()}` }).expect(201);
      }
      await expectError(http.post(`/api/v1/inbox/${sent[0].id}/forward`).set('Authorization', counsellor).send({ unitId: sent[0].id, reason: marker() }), 422);

      // Every message sent: arrivals (unit address and handlers), replies to the three senders, the senders' messages.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [{ pending }] = (await db.query(`SELECT count(*)::int AS pending FROM outbox WHERE status = 'pending'`)).rows;
        const [{ sent: done }] = (await db.query(`SELECT count(*)::int AS sent FROM outbox WHERE status = 'sent'`)).rows;
        if (pending === 0 && smtp.received.length >= done) break;
        if (Date.now() > deadline) throw new Error(`${pending} messages still pending`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const kinds = (await db.query(`SELECT kind, status, count(*)::int AS count FROM outbox WHERE kind IN ('inbox-notice', 'reply-notice') GROUP BY 1, 2 ORDER BY 1, 2`)).rows;
      expect(kinds).toEqual([{ kind: 'inbox-notice', status: 'sent', count: expect.any(Number) }, { kind: 'reply-notice', status: 'sent', count: 3 }]);
      expect(kinds[0].count).toBeGreaterThanOrEqual(12);
      for (const address of ['apua.pyytaja@example.fi', 'ilmoitus.osoite@example.fi', 'ammattilainen.ilmoitus@example.fi']) expect(smtp.to(address)).toHaveLength(1);
      expect(smtp.to('perheneuvonta@demo.perhe.fi').map((m) => m.parsed.subject)).toEqual([
        expect.stringMatching(/^KIIREELLINEN – Saapunut: Pyydä apua APU-/), expect.stringMatching(/^KIIREELLINEN – Uusi viesti lähettäjältä: Pyydä apua APU-/),
      ]);

      expect(markers.length).toBeGreaterThan(40);
      const outbox = (await db.query(`SELECT o::text AS row FROM outbox o`)).rows.map((r) => r.row as string).join('\n');
      const atRest = (await db.query(`SELECT m::text AS row FROM submission_message m UNION ALL SELECT s::text FROM submission s UNION ALL SELECT n::text FROM submission_note n`)).rows
        .map((r) => r.row as string).join('\n');
      const mail = rawOf(smtp.received);
      await server!.stop();
      await server!.closed;
      const logs = server!.stdout + server!.stderr;
      // The log is real and detailed: every request is in it.
      expect(logs).toContain('"path":"/api/v1/receipts/messages"');
      expect(logs).toContain('"path":"/api/v1/forms/lastensuojeluilmoitus/submissions"');
      const found = (where: string, text: string) => markers.filter((m) => text.includes(m)).map((m) => `${m} in ${where}`);
      expect([...found('an e-mail', mail), ...found('the outbox', outbox), ...found('the log', logs), ...found('an error response', errors.join('\n')),
        ...found('a stored row', atRest)]).toEqual([]);
    } finally {
      await db.end();
    }
  }, 120_000);
});
