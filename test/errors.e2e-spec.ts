import type { Response } from 'supertest';
import { catalogue } from '@app/platform';
import { BookingFixture, WEEKDAYS } from './support/booking-fixture';
import { type TestApp, startApp } from './support/test-app';

const fi = catalogue('fi');
const sv = catalogue('sv');
const en = catalogue('en');

interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/** A refusal: the given 4xx status and code, never a 5xx, with a message. */
function expectRefusal(res: Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.status).toBeLessThan(500);
  expect(res.body.status).toBe(status);
  expect(typeof res.body.message).toBe('string');
  expect(res.body.message.length).toBeGreaterThan(0);
}

function fieldsOf(res: Response): FieldError[] {
  return (res.body.fields ?? []) as FieldError[];
}

function field(res: Response, name: string): FieldError {
  const found = fieldsOf(res).find((f) => f.field === name);
  if (!found) throw new Error(`no error for field ${name} in ${JSON.stringify(res.body)}`);
  return found;
}

describe('refusals: 4xx, localized, naming the field, nothing stored', () => {
  let t: TestApp;
  let f: BookingFixture;
  let serviceId: string;
  let slotId: string;
  let valid: Record<string, unknown>;

  const book = (body: unknown, lang?: string) => {
    const req = t.http.post('/api/v1/appointments');
    if (lang) req.set('Accept-Language', lang);
    return req.send(body as object);
  };

  beforeAll(async () => {
    t = await startApp();
    f = await BookingFixture.create(t);
    const unitId = await f.unit('virheet');
    const staffId = await f.staff('hoitaja@test.fi', [unitId]);
    serviceId = await f.service(unitId);
    await f.hours(staffId, serviceId, WEEKDAYS, '08:00', '10:00');
    const slots = await f.slots(serviceId, '2026-01-05', '2026-01-09');
    expect(slots.length).toBeGreaterThan(0);
    slotId = slots[0].id;
    valid = { slotId, language: 'fi', contact: { name: 'Maija Meikäläinen', email: 'maija@example.fi' }, childName: 'Matti' };
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('POST /api/v1/appointments', () => {
    it('an unknown field is 400 naming the field, in Finnish by default, Swedish and English on request', async () => {
      const body = { ...valid, shoeSize: 42 };
      const byDefault = await book(body);
      const finnish = await book(body, 'fi');
      const swedish = await book(body, 'sv-FI,sv;q=0.9');
      const english = await book(body, 'en-GB,en;q=0.8,fi;q=0.5');
      for (const res of [byDefault, finnish, swedish, english]) {
        expectRefusal(res, 400, 'validation_failed');
        expect(fieldsOf(res)).toHaveLength(1);
        expect(field(res, 'shoeSize').rule).toBe('whitelistValidation');
        expect(res.body.message).toContain('shoeSize');
      }
      expect(field(byDefault, 'shoeSize').message).toBe('Tuntematon kenttä.');
      expect(field(finnish, 'shoeSize').message).toBe('Tuntematon kenttä.');
      expect(field(swedish, 'shoeSize').message).toBe('Okänt fält.');
      expect(field(english, 'shoeSize').message).toBe('Unknown field.');
      expect(finnish.body.message).toBe(`${fi.errors.validation_failed} shoeSize: ${fi.validation.whitelistValidation}`);
      expect(swedish.body.message).toBe(`${sv.errors.validation_failed} shoeSize: ${sv.validation.whitelistValidation}`);
      expect(english.body.message).toBe(`${en.errors.validation_failed} shoeSize: ${en.validation.whitelistValidation}`);
      expect(new Set([finnish.body.message, swedish.body.message, english.body.message]).size).toBe(3);
    });

    it('an unsupported Accept-Language falls back to Finnish', async () => {
      const res = await book({ ...valid, shoeSize: 42 }, 'de-DE,de;q=0.9');
      expectRefusal(res, 400, 'validation_failed');
      expect(field(res, 'shoeSize').message).toBe(fi.validation.whitelistValidation);
    });

    it('an unknown field inside contact is named by its path', async () => {
      const res = await book({ ...valid, contact: { name: 'Maija', email: 'maija@example.fi', hetu: '010101-123N' } }, 'en');
      expectRefusal(res, 400, 'validation_failed');
      expect(field(res, 'contact.hetu')).toEqual({ field: 'contact.hetu', rule: 'whitelistValidation', message: 'Unknown field.' });
    });

    it('wrong types are 400 naming each field', async () => {
      const res = await book({ slotId: 12345, language: 'de', contact: 'Maija, maija@example.fi' }, 'en');
      expectRefusal(res, 400, 'validation_failed');
      expect(field(res, 'slotId')).toMatchObject({ rule: 'isUUID', message: en.validation.isUUID });
      expect(field(res, 'language')).toMatchObject({ rule: 'isIn', message: 'The value is not allowed. Allowed values: fi, sv, en.' });
      expect(field(res, 'contact')).toMatchObject({ rule: 'isObject', message: en.validation.isObject });

      const swedish = await book({ slotId: 12345, language: 'de', contact: 'Maija, maija@example.fi' }, 'sv');
      expect(field(swedish, 'language').message).toBe('Värdet är inte tillåtet. Tillåtna värden: fi, sv, en.');
      expect(field(swedish, 'slotId').message).toBe(sv.validation.isUUID);
    });

    it('a missing required field is 400 naming it', async () => {
      const { language: _language, ...withoutLanguage } = valid;
      const res = await book(withoutLanguage, 'en');
      expectRefusal(res, 400, 'validation_failed');
      expect(fieldsOf(res).map((e) => e.field)).toEqual(expect.arrayContaining(['language']));
      expect(fieldsOf(res).every((e) => e.field === 'language')).toBe(true);
    });

    it('a bad e-mail is 400 naming contact.email', async () => {
      const res = await book({ ...valid, contact: { name: 'Maija', email: 'maija(at)example.fi' } });
      expectRefusal(res, 400, 'validation_failed');
      expect(field(res, 'contact.email')).toEqual({ field: 'contact.email', rule: 'isEmail', message: fi.validation.isEmail });
    });

    it('a bad phone number is 400 naming contact.phone', async () => {
      const res = await book({ ...valid, contact: { name: 'Maija', phone: 'call me maybe' } }, 'sv');
      expectRefusal(res, 400, 'validation_failed');
      expect(field(res, 'contact.phone')).toEqual({ field: 'contact.phone', rule: 'isPhone', message: sv.validation.isPhone });
    });

    it('contact without e-mail and phone is 400 with rule contactRequired, on a real free slot', async () => {
      for (const [lang, texts] of [['fi', fi], ['sv', sv], ['en', en]] as const) {
        const res = await book({ ...valid, contact: { name: 'Maija Meikäläinen' } }, lang);
        expectRefusal(res, 400, 'validation_failed');
        expect(fieldsOf(res)).toEqual([{ field: 'contact', rule: 'contactRequired', message: texts.validation.contactRequired }]);
      }
      const [slot] = await t.db.query(`SELECT booked FROM slot WHERE id = $1`, [slotId]);
      expect(slot.booked).toBe(0);
    });

    it('malformed JSON is 400 malformed_request, localized', async () => {
      const send = (lang: string) =>
        t.http.post('/api/v1/appointments').set('Content-Type', 'application/json').set('Accept-Language', lang).send('{"slotId": "x", "language": ');
      const finnish = await send('fi');
      const english = await send('en');
      expectRefusal(finnish, 400, 'malformed_request');
      expectRefusal(english, 400, 'malformed_request');
      expect(finnish.body.message).toBe(fi.errors.malformed_request);
      expect(english.body.message).toBe(en.errors.malformed_request);
    });

    it('a JSON body that is not an object is refused with a 4xx', async () => {
      for (const raw of ['"just a string"', '42', 'null', '[]', `[${JSON.stringify({ slotId: '00000000-0000-4000-8000-000000000000' })}]`]) {
        const res = await t.http.post('/api/v1/appointments').set('Content-Type', 'application/json').send(raw);
        expect({ raw, status: res.status }).toEqual({ raw, status: 400 });
        expect(['malformed_request', 'validation_failed']).toContain(res.body.code);
      }
    });

    it('a body that is not JSON at all is 415, not stored', async () => {
      const res = await t.http.post('/api/v1/appointments').set('Content-Type', 'text/plain').send(`slotId=${slotId}`);
      expectRefusal(res, 415, 'unsupported_media_type');
      const [slot] = await t.db.query(`SELECT booked FROM slot WHERE id = $1`, [slotId]);
      expect(slot.booked).toBe(0);
    });

    it('a body over 64 kB is 413 payload_too_large, localized', async () => {
      const body = { ...valid, note: 'x'.repeat(70 * 1024) };
      const finnish = await book(body);
      const swedish = await book(body, 'sv');
      expectRefusal(finnish, 413, 'payload_too_large');
      expectRefusal(swedish, 413, 'payload_too_large');
      expect(finnish.body.message).toBe(fi.errors.payload_too_large);
      expect(swedish.body.message).toBe(sv.errors.payload_too_large);
    });

    it('a note just under the body limit but over its own limit is 400 naming note', async () => {
      const res = await book({ ...valid, note: 'x'.repeat(1001) }, 'en');
      expectRefusal(res, 400, 'validation_failed');
      expect(field(res, 'note')).toEqual({ field: 'note', rule: 'maxLength', message: 'The text may be at most 1000 characters.' });
    });

    it('an unknown slot is 404 slot_not_found', async () => {
      const res = await book({ ...valid, slotId: '00000000-0000-4000-8000-000000000000' }, 'en');
      expectRefusal(res, 404, 'slot_not_found');
      expect(res.body.message).toBe(en.errors.slot_not_found);
    });
  });

  describe('ids in the path', () => {
    it.each([
      ['GET', '/api/v1/appointments/not-a-uuid'],
      ['GET', '/api/v1/appointments/1'],
      ['POST', '/api/v1/appointments/not-a-uuid/cancel'],
      ['POST', '/api/v1/appointments/not-a-uuid/reschedule'],
      ['GET', '/api/v1/services/not-a-uuid'],
      ['GET', '/api/v1/services/not-a-uuid/slots?from=2026-01-05&to=2026-01-09'],
      ['GET', '/api/v1/no-such-route'],
    ])('%s %s is 404', async (method, path) => {
      // The body is valid for the route, so only the id is wrong.
      const body = path.endsWith('/reschedule') ? { slotId } : {};
      const res = method === 'GET' ? await t.http.get(path).set('Accept-Language', 'sv') : await t.http.post(path).set('Accept-Language', 'sv').send(body);
      expectRefusal(res, 404, 'not_found');
      expect(res.body.message).toBe(sv.errors.not_found);
    });

    it('a well-formed but unknown appointment id is 404', async () => {
      const res = await t.http.get('/api/v1/appointments/00000000-0000-4000-8000-000000000000').set('X-Manage-Token', 'whatever');
      expect(res.status).toBe(404);
    });
  });

  describe('slot search', () => {
    const search = (query: Record<string, string>, lang = 'en') => t.http.get(`/api/v1/services/${serviceId}/slots`).set('Accept-Language', lang).query(query);

    it('an impossible date is 400 naming from', async () => {
      const res = await search({ from: '2026-13-45', to: '2026-01-09' });
      expectRefusal(res, 400, 'validation_failed');
      expect(fieldsOf(res).map((e) => e.field)).toEqual(['from']);
      expect(field(res, 'from').message).toBe(en.validation.isDateTime);
    });

    it('February 30th is 400', async () => {
      const res = await search({ from: '2026-02-30', to: '2026-03-02' });
      expectRefusal(res, 400, 'validation_failed');
      expect(field(res, 'from').rule).toBe('isDateTime');
    });

    it('missing from and to are 400 naming both', async () => {
      const res = await search({});
      expectRefusal(res, 400, 'validation_failed');
      expect(fieldsOf(res).map((e) => e.field).sort()).toEqual(['from', 'to']);
    });

    it('an unknown query parameter is 400 naming it', async () => {
      const res = await search({ from: '2026-01-05', to: '2026-01-09', sort: 'desc' });
      expectRefusal(res, 400, 'validation_failed');
      expect(field(res, 'sort').rule).toBe('whitelistValidation');
    });

    it('from after to is 400 invalid_range, localized', async () => {
      const english = await search({ from: '2026-01-09', to: '2026-01-05' });
      const finnish = await search({ from: '2026-01-09', to: '2026-01-05' }, 'fi');
      expectRefusal(english, 400, 'invalid_range');
      expect(english.body.message).toBe('The start must be before the end, and the period may be at most 31 days.');
      expect(finnish.body.message).toBe('Aikavälin alun on oltava ennen loppua, ja väli saa olla enintään 31 päivää.');
      const instants = await search({ from: '2026-01-09T10:00:00+02:00', to: '2026-01-09T10:00:00+02:00' });
      expectRefusal(instants, 400, 'invalid_range');
    });

    it('a period over 31 days is 400 invalid_range; 31 days is fine', async () => {
      expectRefusal(await search({ from: '2026-01-05', to: '2026-02-10' }), 400, 'invalid_range');
      expectRefusal(await search({ from: '2026-01-05T00:00:00+02:00', to: '2026-02-06T00:00:00+02:00' }), 400, 'invalid_range');
      await search({ from: '2026-01-05', to: '2026-02-04' }).expect(200);
    });

    it('a bad limit or language is 400 naming it', async () => {
      const res = await search({ from: '2026-01-05', to: '2026-01-09', limit: 'many', language: 'de' });
      expectRefusal(res, 400, 'validation_failed');
      expect([...new Set(fieldsOf(res).map((e) => e.field))].sort()).toEqual(['language', 'limit']);
      expect(fieldsOf(res).filter((e) => e.field === 'limit').map((e) => e.rule)).toContain('isInt');
      expect(fieldsOf(res).find((e) => e.rule === 'isInt')?.message).toBe(en.validation.isInt);
    });
  });

  it('after all the refusals nothing is stored and the slot is still free', async () => {
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM appointment`);
    expect(count).toBe(0);
    const [{ events }] = await t.db.query(`SELECT count(*)::int AS events FROM appointment_event`);
    expect(events).toBe(0);
    const [slot] = await t.db.query(`SELECT booked FROM slot WHERE id = $1`, [slotId]);
    expect(slot.booked).toBe(0);
    const free = await f.slots(serviceId, '2026-01-05', '2026-01-09');
    expect(free.find((s) => s.id === slotId)).toMatchObject({ available: 1 });
    // …and the valid request goes through, so the refusals were about the input, not the slot.
    const ok = await book(valid);
    expect(ok.status).toBe(201);
    const [{ after }] = await t.db.query(`SELECT count(*)::int AS after FROM appointment`);
    expect(after).toBe(1);
  });
});
