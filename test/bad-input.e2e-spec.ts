import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { catalogue, hashToken } from '@app/platform';
import { OutboxDispatcher } from '@app/notifications';
import { BookingFixture, WEEKDAYS } from './support/booking-fixture';
import { KOULUTERVEYS, LASTENVALVOJA, LSI_PROFESSIONAL, PYYDA_APUA } from './support/forms-examples';
import { type ReceivedMail, SmtpSink } from './support/smtp-sink';
import { tableChecksums } from './support/table-checksums';
import { type TestApp, startApp } from './support/test-app';

const fi = catalogue('fi');
const sv = catalogue('sv');
const en = catalogue('en');

interface FieldError {
  field: string;
  rule: string;
  message: string;
}

function fieldsOf(res: Response): FieldError[] {
  return (res.body.fields ?? []) as FieldError[];
}

/** A 4xx with the given status and code, never a 5xx, and the field's rule when given. */
function expectRefusal(res: Response, status: number, code: string, field?: string, rule?: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(typeof res.body.message).toBe('string');
  if (field) expect(fieldsOf(res)).toEqual(expect.arrayContaining([expect.objectContaining({ field, ...(rule ? { rule } : {}) })]));
}

/** Every line of an iCalendar object as RFC 5545 §3.1 content lines: name, parameters (quoted values without DQUOTE or controls) and value. */
function parseIcsStrictly(text: string): { name: string; params: Record<string, string>; value: string }[] {
  const unfolded = text.replace(/\r\n[ \t]/g, '');
  expect(unfolded.endsWith('\r\n')).toBe(true);
  const QSAFE = '[^"\\u0000-\\u0008\\u000A-\\u001F\\u007F]';
  const SAFE = '[^";:,\\u0000-\\u0008\\u000A-\\u001F\\u007F]';
  const paramValue = `(?:"${QSAFE}*"|${SAFE}*)`;
  const param = `;([A-Za-z0-9-]+)=(${paramValue}(?:,${paramValue})*)`;
  const line = new RegExp(`^([A-Za-z0-9-]+)((?:${param})*):([^\\u0000-\\u0008\\u000A-\\u001F\\u007F]*)$`);
  return unfolded
    .slice(0, -2)
    .split('\r\n')
    .map((content) => {
      const match = line.exec(content);
      if (!match) throw new Error(`not an RFC 5545 content line: ${content}`);
      const params: Record<string, string> = {};
      for (const p of match[2].matchAll(new RegExp(param, 'g'))) params[p[1]] = p[2];
      return { name: match[1], params, value: match[match.length - 1] };
    });
}

function calendarText(mail: ReceivedMail): string {
  const part = mail.parsed.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  if (!part) throw new Error('no calendar part');
  return part.content.toString('utf8');
}

describe('bad input is a 4xx, never a 500, and nothing is stored', () => {
  let smtp: SmtpSink;
  let t: TestApp;
  let f: BookingFixture;
  let admin: string;
  let unitId: string;
  let staffId: string;
  let serviceId: string;
  let slotIds: string[];
  let nextSlot = 0;
  let booking: { id: string; manageToken: string };

  /** Runs the refusals and checks that every table (but session bookkeeping) is exactly as it was. */
  const nothingStored = async (refusals: () => Promise<void>) => {
    const before = await tableChecksums(t.db);
    await refusals();
    expect(await tableChecksums(t.db)).toEqual(before);
  };
  const slot = () => slotIds[nextSlot++];
  const validBooking = () => ({ slotId: slot(), language: 'fi', contact: { name: 'Maija Meikäläinen', email: 'maija@example.fi' }, childName: 'Matti' });
  const book = (body: object, lang = 'fi') => t.http.post('/api/v1/appointments').set('Accept-Language', lang).send(body);
  const drain = () => t.app.get(OutboxDispatcher).drain();

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    t = await startApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Perhekeskus <ajanvaraus@perhe.test>', DRAFT_MAX_BYTES: '4096' } });
    f = await BookingFixture.create(t);
    admin = await f.admin();
    unitId = await f.unit('syotteet');
    staffId = await f.staff('hoitaja@test.fi', [unitId]);
    serviceId = await f.service(unitId);
    await f.hours(staffId, serviceId, WEEKDAYS, '08:00', '16:00');
    slotIds = (await f.slots(serviceId, '2026-01-12', '2026-01-23', { limit: '500' })).map((s) => s.id);
    const res = await f.book(slot()).expect(201);
    booking = { id: res.body.appointment.id, manageToken: res.body.manageToken };
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
    delete process.env.DRAFT_MAX_BYTES;
  });

  describe('NUL characters', () => {
    it('in any text field of a request is 400 naming the field, localized', async () => {
      const cases: [string, () => Promise<Response>, string][] = [
        ['contact name', () => book({ ...validBooking(), contact: { name: 'Mai\u0000ja', email: 'maija@example.fi' } }), 'contact.name'],
        ['child name', () => book({ ...validBooking(), childName: 'Mat\u0000ti' }), 'childName'],
        ['note', () => book({ ...validBooking(), note: 'Huom\u0000' }), 'note'],
        ['staff booking note', () => t.http.post('/api/v1/staff/appointments').set('Authorization', admin).send({ ...validBooking(), note: '\u0000' }), 'note'],
        ['family cancel reason', () => t.http.post(`/api/v1/appointments/${booking.id}/cancel`).set('X-Manage-Token', booking.manageToken).send({ reason: 'Sairas\u0000' }), 'reason'],
        ['staff cancel reason', () => t.http.post(`/api/v1/staff/appointments/${booking.id}/cancel`).set('Authorization', admin).send({ reason: 'Sairas\u0000' }), 'reason'],
        ['absence reason', () => t.http.post(`/api/v1/staff/${staffId}/absences`).set('Authorization', admin).send({ startsAt: '2026-02-02T08:00:00+02:00', endsAt: '2026-02-02T10:00:00+02:00', reason: 'Koulutus\u0000' }), 'reason'],
        ['unit name', () => t.http.post('/api/v1/units').set('Authorization', admin).send({ code: 'nul-yksikko', name: { fi: 'Yksikkö\u0000', sv: 'Enhet', en: 'Unit' } }), 'name.fi'],
        ['unit address', () => t.http.patch(`/api/v1/units/${unitId}`).set('Authorization', admin).send({ address: 'Koulukatu 1\u0000' }), 'address'],
        ['staff name', () => t.http.post('/api/v1/staff').set('Authorization', admin).send({ email: 'nul@test.fi', name: 'Nul\u0000Nimi', password: 'correct-horse-battery', roles: ['staff'], languages: ['fi'], unitIds: [] }), 'name'],
        ['staff title', () => t.http.patch(`/api/v1/staff/${staffId}`).set('Authorization', admin).send({ title: { fi: 'Hoitaja\u0000', sv: 'Skötare', en: 'Nurse' } }), 'title.fi'],
        ['service description', () => t.http.patch(`/api/v1/services/${serviceId}`).set('Authorization', admin).send({ description: { fi: 'Kuvaus\u0000', sv: 'Beskrivning', en: 'Description' } }), 'description.fi'],
      ];
      await nothingStored(async () => {
        for (const [label, send, field] of cases) {
          const res = await send();
          expect({ label, status: res.status }).toEqual({ label, status: 400 });
          expectRefusal(res, 400, 'validation_failed', field, 'textControl');
        }
        const swedish = await book({ ...validBooking(), note: 'a\u0000b' }, 'sv');
        const english = await book({ ...validBooking(), note: 'a\u0000b' }, 'en');
        expect(fieldsOf(swedish)).toEqual([{ field: 'note', rule: 'textControl', message: sv.validation.textControl }]);
        expect(fieldsOf(english)).toEqual([{ field: 'note', rule: 'textControl', message: en.validation.textControl }]);
      });
      const [row] = await t.db.query(`SELECT status FROM appointment WHERE id = $1`, [booking.id]);
      expect(row.status).toBe('booked');
    });

    it('in form answers is 422 naming the question; in an uploaded form definition 400', async () => {
      await nothingStored(async () => {
        const sent = await t.http.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: { ...PYYDA_APUA, message: 'Apua\u0000' } });
        expectRefusal(sent, 422, 'answers_invalid', '/message', 'textControl');
        expect(fieldsOf(sent)[0].message).toContain(fi.validation.textControl);
        const checked = await t.http.post('/api/v1/forms/pyyda-apua/validate').send({ answers: { ...PYYDA_APUA, safeContactNotes: '\u0000' } });
        expectRefusal(checked, 422, 'answers_invalid', '/safeContactNotes', 'textControl');
        const draft = await t.http.post('/api/v1/forms/pyyda-apua/drafts').send({ answers: { message: 'a\u0000' } });
        expectRefusal(draft, 422, 'answers_invalid', '/message', 'textControl');
        const key = await t.http.post('/api/v1/forms/pyyda-apua/drafts').send({ answers: { 'mes\u0000sage': 'x' } });
        expectRefusal(key, 422, 'answers_invalid');
        const definition = { id: 'nul-lomake', version: 1, title: { fi: 'Otsikko\u0000', sv: 'Rubrik', en: 'Title' } };
        expectRefusal(await t.http.post('/api/v1/admin/forms').set('Authorization', admin).send(definition), 400, 'validation_failed', '/title/fi', 'textControl');
      });
    });

    it('in a form id or any other string in the path is 404', async () => {
      await nothingStored(async () => {
        for (const path of [
          '/api/v1/forms/%00', '/api/v1/forms/pyyda%00apua', `/api/v1/forms/${'a'.repeat(5000)}`, '/api/v1/forms/%C3%A4%C3%B6', '/api/v1/forms/..%2F..%2Fetc',
          '/api/v1/staff/%00/calendar-setup', '/api/v1/appointments/%00', '/api/v1/services/%00/slots?from=2026-01-12&to=2026-01-13', '/api/v1/units/%00',
        ]) {
          expect({ path, status: (await t.http.get(path).set('Authorization', admin)).status }).toEqual({ path, status: 404 });
        }
        for (const path of ['/api/v1/forms/%00/submissions', '/api/v1/forms/%00/validate', '/api/v1/forms/%00/drafts']) {
          expectRefusal(await t.http.post(path).send({ language: 'fi', answers: {} }), 404, 'not_found');
        }
        for (const path of ['/api/v1/admin/forms/%00/1', '/api/v1/admin/forms/%00/1/publish', '/api/v1/admin/forms/pyyda-apua%00/1/retire']) {
          const res = path.endsWith('/1') ? await t.http.get(path).set('Authorization', admin) : await t.http.post(path).set('Authorization', admin);
          expectRefusal(res, 404, 'not_found');
        }
      });
    });
  });

  describe('form versions out of range', () => {
    it('in a query is 400 naming version, in the path 404, in a body 400', async () => {
      await nothingStored(async () => {
        for (const version of ['99999999999', '3e9', '1e20', '-1', '0', '1.5', 'NaN', 'Infinity']) {
          expectRefusal(await t.http.get('/api/v1/forms/pyyda-apua').query({ version }), 400, 'validation_failed', 'version');
        }
        for (const version of ['99999999999', '3e9', '1e20', '0', '-1', '100001']) {
          expectRefusal(await t.http.get(`/api/v1/admin/forms/pyyda-apua/${version}`).set('Authorization', admin), 404, 'not_found');
          expectRefusal(await t.http.post(`/api/v1/admin/forms/pyyda-apua/${version}/publish`).set('Authorization', admin), 404, 'not_found');
        }
        for (const version of [99999999999, 3e9, 1e20, 2 ** 31, 100001]) {
          expectRefusal(await t.http.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: PYYDA_APUA, version }), 400, 'validation_failed', 'version', 'max');
          expectRefusal(await t.http.post('/api/v1/forms/pyyda-apua/validate').send({ answers: PYYDA_APUA, version }), 400, 'validation_failed', 'version', 'max');
        }
        const upload = await t.http.post('/api/v1/admin/forms').set('Authorization', admin).send({ id: 'pyyda-apua', version: 3e9 });
        expect(upload.status).toBe(422);
        expect(upload.body.code).toBe('form_lint_failed');
      });
      expect((await t.http.get('/api/v1/forms/pyyda-apua').query({ version: '1' }).expect(200)).body.version).toBe(1);
    });
  });

  describe('deeply nested JSON', () => {
    /** JSON text nested `depth` levels deep; built as text, since JSON.stringify itself runs out of stack on such values. */
    const nested = (depth: number, leaf = '"x"', array = false): string => (array ? '['.repeat(depth) + leaf + ']'.repeat(depth) : '{"a":'.repeat(depth) + leaf + '}'.repeat(depth));
    const post = (path: string, json: string, lang = 'fi') => t.http.post(path).set('Content-Type', 'application/json').set('Accept-Language', lang).send(json);
    const bookingWith = (field: string, json: string) => `{"slotId":"${slot()}","language":"fi","contact":{"name":"Maija","email":"maija@example.fi"},"${field}":${json}}`;

    it('5,000 levels deep is 400 json_too_deep, localized, on every parser', async () => {
      await nothingStored(async () => {
        const requests: [string, () => Promise<Response>][] = [
          ['answers', () => post('/api/v1/forms/pyyda-apua/validate', `{"answers":{"message":${nested(5000)}}}`)],
          ['arrays in answers', () => post('/api/v1/forms/pyyda-apua/drafts', `{"answers":{"message":${nested(5000, '1', true)}}}`)],
          ['contact', () => post('/api/v1/appointments', `{"slotId":"${slot()}","language":"fi","contact":${nested(5000)}}`)],
          ['top-level array', () => post('/api/v1/appointments', nested(5000, '1', true))],
          ['arrays of 2,500', () => post('/api/v1/appointments', `{"contact":${nested(2500, '1', true)}}`)],
          ['form definition', () => t.http.post('/api/v1/admin/forms').set('Authorization', admin).set('Content-Type', 'application/json').send(`{"id":"syva","answers":${nested(5000)}}`)],
        ];
        for (const [label, send] of requests) {
          const res = await send();
          expect({ label, status: res.status, code: res.body.code }).toEqual({ label, status: 400, code: 'json_too_deep' });
        }
        const swedish = await post('/api/v1/appointments', nested(5000), 'sv');
        expect(swedish.body.message).toBe(sv.errors.json_too_deep.replace('{maxDepth}', '32'));
        const english = await post('/api/v1/appointments', nested(5000), 'en');
        expect(english.body.message).toBe('The JSON of the request is nested too deeply (at most 32 levels).');
      });
    });

    it('is found in UTF-16 bodies too; a charset that cannot be read is 400', async () => {
      const utf16 = (text: string) => Buffer.from(text, 'utf16le');
      // Sent as bytes: superagent would serialise a Buffer as JSON.
      const send = (charset: string, body: Buffer) =>
        t.http.post('/api/v1/appointments').set('Content-Type', `application/json; charset=${charset}`).serialize(() => body as unknown as string).send({});
      await nothingStored(async () => {
        expectRefusal(await send('utf-16le', utf16(nested(1000))), 400, 'json_too_deep');
        expectRefusal(await send('utf-32', Buffer.from(nested(3))), 400, 'malformed_request');
      });
      // U+7B5B is the bytes of "[" and "{" in UTF-16LE: characters are counted, not bytes.
      const booked = await send('utf-16le', utf16(bookingWith('note', JSON.stringify('\u7b5b'.repeat(40))))).expect(201);
      expect(booked.body.appointment.note).toBe('\u7b5b'.repeat(40));
    });

    it('the limit is 32 levels; brackets inside strings do not count', async () => {
      // 32 levels: parsed and validated as usual (an unknown field); 33 are refused before parsing.
      expectRefusal(await post('/api/v1/appointments', bookingWith('extra', nested(31))), 400, 'validation_failed', 'extra', 'whitelistValidation');
      expectRefusal(await post('/api/v1/appointments', bookingWith('extra', nested(32))), 400, 'json_too_deep');
      expectRefusal(await post('/api/v1/appointments', bookingWith('extra', nested(32, '1', true))), 400, 'json_too_deep');
      const withBrackets = await book({ ...validBooking(), note: '[[[[{{{{'.repeat(100) + '"\\' }).expect(201);
      expect(withBrackets.body.appointment.note).toBe('[[[[{{{{'.repeat(100) + '"\\');
    });
  });

  describe('shapes and ranges', () => {
    it('an array where an object belongs is 400 isObject, never stored', async () => {
      await nothingStored(async () => {
        const texts = [{ fi: 'Nimi', sv: 'Namn', en: 'Name' }];
        const cases: [() => Promise<Response>, string][] = [
          [() => book({ ...validBooking(), contact: [{ name: 'Maija', email: 'maija@example.fi' }] }), 'contact'],
          [() => t.http.post('/api/v1/units').set('Authorization', admin).send({ code: 'taulukko', name: texts }), 'name'],
          [() => t.http.patch(`/api/v1/staff/${staffId}`).set('Authorization', admin).send({ title: texts }), 'title'],
          [() => t.http.post('/api/v1/services').set('Authorization', admin).send({ code: 'taulukko', unitId, name: texts, durationMinutes: 20, channels: ['phone'] }), 'name'],
          [() => t.http.patch(`/api/v1/services/${serviceId}`).set('Authorization', admin).send({ description: texts }), 'description'],
        ];
        for (const [send, field] of cases) expectRefusal(await send(), 400, 'validation_failed', field, 'isObject');
      });
    });

    it('text that is not well-formed Unicode is refused, also where a library would throw on it', async () => {
      await nothingStored(async () => {
        expectRefusal(await t.http.post('/api/v1/auth/login').send({ email: '\udff8@example.fi', password: 'correct-horse-battery' }), 400, 'validation_failed', 'email', 'isEmail');
        expectRefusal(await book({ ...validBooking(), contact: { name: 'Maija', email: 'maija\ud800@example.fi' } }), 400, 'validation_failed', 'contact.email', 'isEmail');
      });
    });

    it('dates and instants outside the years 1900–2199 are 400 naming the field', async () => {
      await nothingStored(async () => {
        const staff = (path: string, body: object) => t.http.post(`/api/v1/staff/${staffId}/${path}`).set('Authorization', admin).send(body);
        expectRefusal(await staff('working-hours', { serviceId, weekday: 1, startTime: '08:00', endTime: '09:00', validFrom: '0000-01-01' }), 400, 'validation_failed', 'validFrom', 'isDate');
        expectRefusal(await staff('extra-hours', { serviceId, date: '9999-12-31', startTime: '08:00', endTime: '09:00' }), 400, 'validation_failed', 'date', 'isDate');
        expectRefusal(await staff('absences', { startsAt: '0000-01-01T08:00:00+02:00', endsAt: '2026-01-01T08:00:00+02:00' }), 400, 'validation_failed', 'startsAt', 'isDateTime');
        expectRefusal(await staff('slots', { serviceId, startsAt: '2200-01-01T08:00:00+02:00' }), 400, 'validation_failed', 'startsAt', 'isDateTime');
        expectRefusal(await t.http.get(`/api/v1/services/${serviceId}/slots`).query({ from: '0000-01-01', to: '0000-01-05' }), 400, 'validation_failed', 'from', 'isDateTime');
        expectRefusal(await t.http.get('/api/v1/staff/me/calendar').set('Authorization', admin).query({ from: '2026-01-01T00:00:00+99:99', to: '2026-01-02' }), 400, 'validation_failed', 'from');
      });
    });
  });

  describe('the one text rule', () => {
    it('refuses control characters, line breaks in one-line fields, bidirectional controls and invisible text', async () => {
      const cases: [object, string, string][] = [
        [{ note: 'Soita \u0007 kello' }, 'note', 'textControl'],
        [{ note: 'escape \u001b[31m' }, 'note', 'textControl'],
        [{ note: 'C1 \u0085 merkki' }, 'note', 'textControl'],
        [{ note: 'pariton \ud800 puolikas' }, 'note', 'textControl'],
        [{ note: 'txt.exe\u202Egpj' }, 'note', 'textBidi'],
        [{ note: 'isolaatti \u2066x\u2069' }, 'note', 'textBidi'],
        [{ note: '   \n\t  ' }, 'note', 'textBlank'],
        [{ note: '\u200B\u200B' }, 'note', 'textBlank'],
        [{ childName: 'Matti\nMeikäläinen' }, 'childName', 'textLineBreak'],
        [{ childName: 'Matti\tMeikäläinen' }, 'childName', 'textControl'],
        [{ contact: { name: '', email: 'maija@example.fi' } }, 'contact.name', 'textBlank'],
      ];
      await nothingStored(async () => {
        for (const [change, field, rule] of cases) {
          const res = await book({ ...validBooking(), ...change });
          expect({ change, status: res.status, fields: fieldsOf(res).map((e) => `${e.field}:${e.rule}`) }).toEqual({ change, status: 400, fields: [`${field}:${rule}`] });
        }
        const absence = await t.http.post(`/api/v1/staff/${staffId}/absences`).set('Authorization', admin).set('Accept-Language', 'sv')
          .send({ startsAt: '2026-02-02T08:00:00+02:00', endsAt: '2026-02-02T10:00:00+02:00', reason: 'Koulutus\r\nBcc: x@example.fi' });
        expect(fieldsOf(absence)).toEqual([{ field: 'reason', rule: 'textLineBreak', message: sv.validation.textLineBreak }]);
        const unit = await t.http.post('/api/v1/units').set('Authorization', admin).set('Accept-Language', 'en').send({ code: 'bidi', name: { fi: '\u202Eabc', sv: 'x', en: 'y' } });
        expect(fieldsOf(unit)).toEqual([{ field: 'name.fi', rule: 'textBidi', message: en.validation.textBidi }]);
        const blank = await t.http.post('/api/v1/units').set('Authorization', admin).send({ code: 'tyhja', name: { fi: '  ', sv: 'x', en: 'y' } });
        expect(fieldsOf(blank)).toEqual([{ field: 'name.fi', rule: 'textBlank', message: fi.validation.textBlank }]);
      });
    });

    it('keeps newlines and tabs in multi-line text, stores text trimmed, in NFC, with \\n line breaks', async () => {
      const res = await book({ ...validBooking(), contact: { name: '  Zoe\u0308 Meika\u0308la\u0308inen ', email: 'zoe@example.fi' }, note: '\r\n Rivi 1\r\n\tRivi 2\rRivi 3\u2028  \n' }).expect(201);
      expect(res.body.appointment.note).toBe('Rivi 1\n\tRivi 2\nRivi 3');
      expect(res.body.appointment.contact.name).toBe('Zoë Meikäläinen');
      const [row] = await t.db.query(`SELECT contact_name, note FROM appointment WHERE id = $1`, [res.body.appointment.id]);
      expect(row).toEqual({ contact_name: 'Zoë Meikäläinen', note: 'Rivi 1\n\tRivi 2\nRivi 3' });
    });

    it('applies to form answers: text is one line, a textarea several; the same messages as the API', async () => {
      await nothingStored(async () => {
        const oneLine = await t.http.post('/api/v1/forms/pyyda-apua/submissions').set('Accept-Language', 'sv').send({ language: 'sv', answers: { ...PYYDA_APUA, safeContactNotes: 'rad ett\nrad två' } });
        expectRefusal(oneLine, 422, 'answers_invalid', '/safeContactNotes', 'textLineBreak');
        expect(fieldsOf(oneLine)[0].message).toMatch(new RegExp(`: ${sv.validation.textLineBreak}$`));
        const bidi = await t.http.post('/api/v1/forms/lastensuojeluilmoitus/submissions').send({ language: 'fi', answers: { ...LSI_PROFESSIONAL, guardians: [{ guardianName: 'Sanna \u202EMäkinen' }] } });
        expectRefusal(bidi, 422, 'answers_invalid', '/guardians/0/guardianName', 'textBidi');
        const blank = await t.http.post('/api/v1/forms/pyyda-apua/validate').send({ answers: { ...PYYDA_APUA, message: '\u200B' } });
        expectRefusal(blank, 422, 'answers_invalid', '/message', 'textBlank');
        // Only spaces is no answer at all.
        const spaces = await t.http.post('/api/v1/forms/pyyda-apua/validate').send({ answers: { ...PYYDA_APUA, message: '   \n ' } });
        expectRefusal(spaces, 422, 'answers_invalid', '/message', 'answerRequired');
      });
      const saved = await t.http.post('/api/v1/forms/pyyda-apua/drafts').send({ answers: { contactMethod: 'phone', message: ' Ensimmäinen rivi\r\n\ttoinen rivi \r\n', safeContactNotes: '  Arkisin  ' } }).expect(201);
      const resumed = await t.http.get('/api/v1/form-drafts').set('X-Resume-Token', saved.body.resumeToken).expect(200);
      expect(resumed.body.answers).toEqual({ contactMethod: 'phone', message: 'Ensimmäinen rivi\n\ttoinen rivi', safeContactNotes: 'Arkisin' });
    });
  });

  describe('names are names', () => {
    it('refuses a long name with a web address and CR/LF, which would reach an e-mail greeting, and sends nothing', async () => {
      const attack = `Maija https://evil.example/login?x=${'a'.repeat(120)}\r\nBcc: everyone@example.fi\r\n`;
      await drain();
      await nothingStored(async () => {
        const res = await book({ ...validBooking(), contact: { name: attack, email: 'victim@example.fi' } }, 'en');
        expectRefusal(res, 400, 'validation_failed', 'contact.name');
        await drain();
      });
      expect(smtp.to('victim@example.fi')).toHaveLength(0);
    });

    it.each([
      ['a web address', 'www.example.fi'],
      ['a web address with a scheme', 'https://example.fi'],
      ['digits only', '12345'],
      ['digits', 'Maija 2'],
      ['an e-mail address', 'maija@example.fi'],
      ['a line break', 'Maija\nMeikäläinen'],
      ['brackets', '<b>Maija</b>'],
      ['only punctuation', "-'."],
      ['a leading hyphen', '-Maija'],
    ])('refuses %s as a contact name, child name and staff name', async (_label, name) => {
      await nothingStored(async () => {
        const contact = await book({ ...validBooking(), contact: { name, email: 'maija@example.fi' } });
        expect(contact.status).toBe(400);
        expect(fieldsOf(contact).map((e) => e.field)).toEqual(['contact.name']);
        expect(['personName', 'textLineBreak']).toContain(fieldsOf(contact)[0].rule);
        expect(fieldsOf(await book({ ...validBooking(), childName: name })).map((e) => e.field)).toEqual(['childName']);
        const staff = await t.http.post('/api/v1/staff').set('Authorization', admin).send({ email: 'uusi@test.fi', name, password: 'correct-horse-battery', roles: ['staff'], languages: ['fi'], unitIds: [] });
        expect(fieldsOf(staff).map((e) => e.field)).toEqual(['name']);
      });
    });

    it.each([
      ['Åsa Öhman'], ['Jean-Luc O’Brien'], ["D'Angelo Zoë"], ['J. R. R. Tolkien'], ['Nguyễn Văn An'], ['محمد الأحمد'], ['Юлия Петрова'], ['李小龍'], ["'t Hooft"],
    ])('accepts %s', async (name) => {
      const res = await book({ ...validBooking(), contact: { name, email: 'nimi@example.fi' }, childName: name }).expect(201);
      expect(res.body.appointment.contact.name).toBe(name);
    });

    it('gives the name message in Finnish, Swedish and English', async () => {
      for (const [lang, texts] of [['fi', fi], ['sv', sv], ['en', en]] as const) {
        const res = await book({ ...validBooking(), childName: 'Matti 3' }, lang);
        expect(fieldsOf(res)).toEqual([{ field: 'childName', rule: 'personName', message: texts.validation.personName }]);
      }
    });

    it('applies to form answers that ask for a name', async () => {
      await nothingStored(async () => {
        const contact = await t.http.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: { ...PYYDA_APUA, contactName: 'www.example.fi' } });
        expectRefusal(contact, 422, 'answers_invalid', '/contactName', 'personName');
        const professional = await t.http.post('/api/v1/forms/lastensuojeluilmoitus/submissions').send({ language: 'fi', answers: { ...LSI_PROFESSIONAL, professionalName: 'Liisa\r\nLehtonen' } });
        expectRefusal(professional, 422, 'answers_invalid', '/professionalName', 'textLineBreak');
        const filler = await t.http.post('/api/v1/forms/esitiedot-lastenvalvoja/validate').send({ answers: { ...LASTENVALVOJA, fillerName: '0401234567' } });
        expectRefusal(filler, 422, 'answers_invalid', '/fillerName', 'personName');
      });
    });
  });

  describe('a form version that says an answer is a person\'s name', () => {
    it('the shipped version 2 checks the pupil\'s name as a name (the linter took it as the same answer); version 1 keeps a one-line text', async () => {
      const shipped = JSON.parse(readFileSync(join(__dirname, '..', 'form-definitions', 'esitiedot-kouluterveydenhuolto', '2.json'), 'utf8'));
      expect(shipped.answers.properties.pupilName.format).toBe('person-name');
      await nothingStored(async () => {
        for (const pupilName of ['www.example.fi', 'Oppilas 7', 'Åsa\nÖhman']) {
          const res = await t.http.post('/api/v1/forms/esitiedot-kouluterveydenhuolto/validate').send({ answers: { ...KOULUTERVEYS, pupilName } });
          expect({ pupilName, status: res.status, rules: fieldsOf(res).map((e) => `${e.field}:${e.rule}`) }).toEqual({
            pupilName, status: 422, rules: [`/pupilName:${pupilName.includes('\n') ? 'textLineBreak' : 'personName'}`],
          });
        }
        const draft = await t.http.post('/api/v1/forms/esitiedot-kouluterveydenhuolto/drafts').send({ answers: { pupilName: 'Oppilas 7' } });
        expectRefusal(draft, 422, 'answers_invalid', '/pupilName', 'personName');
      });
      await t.http.post('/api/v1/forms/esitiedot-kouluterveydenhuolto/validate').send({ answers: KOULUTERVEYS }).expect(200);
      await t.http.post('/api/v1/forms/esitiedot-kouluterveydenhuolto/validate').send({ version: 1, answers: { ...KOULUTERVEYS, pupilName: 'Oppilas 7' } }).expect(200);
    });
  });

  describe('e-mail addresses', () => {
    const unsendable = ['üser@exämple.fi', 'user@exämple.fi', '"quoted"@example.fi', 'a..b@example.fi', '.a@example.fi', 'user@localhost', 'user@[127.0.0.1]', 'user@example.fi.', `${'x'.repeat(65)}@example.fi`, 'a b@example.fi', 'maija@example.fi, muu@example.fi'];

    it('refuses what the mailer or the calendar file cannot send: contact, staff and unit e-mail, form answers', async () => {
      await nothingStored(async () => {
        for (const email of unsendable) {
          const contact = await book({ ...validBooking(), contact: { name: 'Maija', email } }, 'en');
          expect({ email, fields: fieldsOf(contact) }).toEqual({ email, fields: [{ field: 'contact.email', rule: 'isEmail', message: en.validation.isEmail }] });
          const staff = await t.http.post('/api/v1/staff').set('Authorization', admin).send({ email, name: 'Uusi Hoitaja', password: 'correct-horse-battery', roles: ['staff'], languages: ['fi'], unitIds: [] });
          expect({ email, fields: fieldsOf(staff).map((e) => `${e.field}:${e.rule}`) }).toEqual({ email, fields: ['email:isEmail'] });
          const unit = await t.http.patch(`/api/v1/units/${unitId}`).set('Authorization', admin).send({ email });
          expect({ email, fields: fieldsOf(unit).map((e) => `${e.field}:${e.rule}`) }).toEqual({ email, fields: ['email:isEmail'] });
          const answer = await t.http.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: { ...PYYDA_APUA, contactMethod: 'email', contactEmail: email } });
          expect({ email, fields: fieldsOf(answer).map((e) => `${e.field}:${e.rule}`) }).toEqual({ email, fields: ['/contactEmail:formatEmail'] });
        }
      });
      const [unit] = await t.db.query(`SELECT email FROM unit WHERE id = $1`, [unitId]);
      expect(unit.email).toBeNull();
    });

    it('accepts unusual but sendable addresses, and the family gets the confirmation with its calendar file', async () => {
      for (const email of ["o'brien+lapset@example.fi", 'a!b#c$d%e&f*g=h?i^j_k`l{m|n}o~p@sub-domain.example.fi', 'user@xn--exmple-cua.fi']) {
        await book({ ...validBooking(), contact: { name: 'Maija', email } }).expect(201);
        await drain();
        const [mail] = smtp.received.filter((m) => m.raw.includes(`To: ${email}`));
        expect({ email, sent: Boolean(mail) }).toEqual({ email, sent: true });
        const attendee = parseIcsStrictly(calendarText(mail)).find((l) => l.name === 'ATTENDEE');
        // A mailto URI (RFC 6068): the characters a URI may not hold are percent-encoded.
        expect(decodeURIComponent(attendee!.value)).toBe(`mailto:${email}`);
      }
      await t.http.patch(`/api/v1/units/${unitId}`).set('Authorization', admin).send({ email: 'yksikko+info@example.fi' }).expect(200);
    });
  });

  describe('the calendar file', () => {
    it('is valid RFC 5545 when the unit name and the family name hold quotes', async () => {
      const name = { fi: 'Perhekeskus "Aurinko"; "Kuu", tila 3:2', sv: 'Familjecentret "Solen"', en: 'Family centre "Sun"' };
      await t.http.patch(`/api/v1/units/${unitId}`).set('Authorization', admin).send({ name }).expect(200);
      try {
        await book({ ...validBooking(), contact: { name: "Åsa O'Brien-Öhman", email: 'ics@example.fi' } }).expect(201);
        await drain();
        const [mail] = smtp.to('ics@example.fi');
        const lines = parseIcsStrictly(calendarText(mail));
        const organizer = lines.find((l) => l.name === 'ORGANIZER')!;
        const attendee = lines.find((l) => l.name === 'ATTENDEE')!;
        // Quotes inside a quoted parameter value as RFC 6868 writes them (^'), which calendar applications turn back into quotes.
        expect(organizer.params.CN).toBe(`"Perhekeskus ^'Aurinko^'; ^'Kuu^', tila 3:2"`);
        expect(organizer.value).toBe('mailto:ajanvaraus@perhe.test');
        expect(attendee.params.CN).toBe('"Åsa O\'Brien-Öhman"');
        expect(lines.find((l) => l.name === 'LOCATION')?.value).toContain('Perhekeskus "Aurinko"\\; "Kuu"\\, tila 3:2');
        // The e-mail itself keeps the name as it was given.
        expect(mail.parsed.text).toContain('Perhekeskus "Aurinko"; "Kuu", tila 3:2');
      } finally {
        await t.http.patch(`/api/v1/units/${unitId}`).set('Authorization', admin).send({ name: { fi: 'Yksikkö syotteet', sv: 'Enhet syotteet', en: 'Unit syotteet' } }).expect(200);
      }
    });
  });

  describe('drafts are checked like answers', () => {
    it('refuses a 60 KB message where the form allows 4,000 characters, wrong types, bad formats and unknown answers; stores nothing', async () => {
      await nothingStored(async () => {
        const long = await t.http.post('/api/v1/forms/pyyda-apua/drafts').set('Content-Type', 'application/json')
          .send(JSON.stringify({ answers: { message: 'x'.repeat(60 * 1000) } }));
        expectRefusal(long, 422, 'answers_invalid', '/message', 'answerMaxLength');
        expect(fieldsOf(long)[0].message).toContain('4000');
        const types = await t.http.post('/api/v1/forms/pyyda-apua/drafts').send({ answers: { topic: 'parenting', contactMethod: 'email', contactEmail: 42, municipality: ['091'] } });
        expectRefusal(types, 422, 'answers_invalid', '/contactEmail', 'answerType');
        expectRefusal(types, 422, 'answers_invalid', '/municipality', 'answerType');
        const formats = await t.http.post('/api/v1/forms/pyyda-apua/drafts').send({ answers: { topic: 'parenting', contactMethod: 'email', contactEmail: 'üser@exämple.fi', municipality: '999' } });
        expect(fieldsOf(formats).map((e) => `${e.field}:${e.rule}`).sort()).toEqual(['/contactEmail:formatEmail', '/municipality:formatMunicipality']);
        const enums = await t.http.post('/api/v1/forms/pyyda-apua/drafts').send({ answers: { topic: 'hacking' } });
        expectRefusal(enums, 422, 'answers_invalid', '/topic', 'answerEnum');
        const unknown = await t.http.post('/api/v1/forms/pyyda-apua/drafts').send({ answers: { topic: 'parenting', shoeSize: 42 } });
        expectRefusal(unknown, 422, 'answers_invalid', '/shoeSize', 'answerUnknown');
        const group = await t.http.post('/api/v1/forms/esitiedot-lastenvalvoja/drafts').send({ answers: { children: [{ childName: 'x'.repeat(201) }] } });
        expectRefusal(group, 422, 'answers_invalid', '/children/0/childName', 'answerMaxLength');
      });
    });

    it('requires nothing yet: an empty or partial draft is saved', async () => {
      await t.http.post('/api/v1/forms/pyyda-apua/drafts').send({ answers: {} }).expect(201);
      // Required answers, an empty group and a checkbox with none chosen yet are fine in a draft.
      await t.http.post('/api/v1/forms/esitiedot-lastenvalvoja/drafts').send({ answers: { children: [{ childBirthDate: '2018-01-01' }], agreementTopics: [] } }).expect(201);
      await t.http.post('/api/v1/forms/esitiedot-kouluterveydenhuolto/drafts').send({ answers: { pupilName: KOULUTERVEYS.pupilName } }).expect(201);
    });

    it('checks an update the same way and keeps the stored draft when refused', async () => {
      const saved = await t.http.post('/api/v1/forms/pyyda-apua/drafts').send({ answers: { message: 'Alku' } }).expect(201);
      const token = saved.body.resumeToken;
      await nothingStored(async () => {
        const refused = await t.http.put('/api/v1/form-drafts').set('X-Resume-Token', token).send({ answers: { message: 'x'.repeat(4001) } });
        expectRefusal(refused, 422, 'answers_invalid', '/message', 'answerMaxLength');
      });
      const stored = async () => (await t.db.query(`SELECT payload, updated_at FROM form_draft WHERE token_hash = $1`, [hashToken(token)]))[0];
      const before = await stored();
      t.clock.advanceMinutes(5);
      await t.http.put('/api/v1/form-drafts').set('X-Resume-Token', token).send({ answers: { message: 'a\u0000' } }).expect(422);
      const after = await stored();
      expect(after).toEqual(before);
      expect((await t.http.get('/api/v1/form-drafts').set('X-Resume-Token', token).expect(200)).body.answers).toEqual({ message: 'Alku' });
    });

    it('has a size limit (DRAFT_MAX_BYTES, here 4 KiB): over it is 413 draft_too_large, localized, nothing stored', async () => {
      const answers = { agreementTopics: ['residence'], residenceDetails: 'ä'.repeat(1500), anythingElse: 'ö'.repeat(1500) };
      await nothingStored(async () => {
        const finnish = await t.http.post('/api/v1/forms/esitiedot-lastenvalvoja/drafts').send({ answers });
        expectRefusal(finnish, 413, 'draft_too_large');
        expect(finnish.body.message).toBe(fi.errors.draft_too_large.replace('{maxKb}', '4'));
        const english = await t.http.post('/api/v1/forms/esitiedot-lastenvalvoja/drafts').set('Accept-Language', 'en').send({ answers });
        expect(english.body.message).toBe('The draft is too large to save (at most 4 kB).');
      });
      // The same answers fit when the limit allows: it is the size, not the content.
      await t.http.post('/api/v1/forms/esitiedot-lastenvalvoja/drafts').send({ answers: { anythingElse: answers.anythingElse } }).expect(201);
    });
  });
});
