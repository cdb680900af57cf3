import { BookingFixture } from '../support/booking-fixture';
import { type TestApp, startApp } from '../support/test-app';
import { formToken, text } from './page-helpers';
import type { Response } from 'supertest';

describe('form pages: one renderer for every published form', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
    const f = await BookingFixture.create(t);
    await f.unit('perheneuvonta');
  });
  afterAll(() => t?.close());

  /** Posts the form on the page with these fields; the page's hidden fields go along. */
  function post(page: Response, cookie: string, fields: Record<string, string | string[]>) {
    const hidden = Object.fromEntries([...page.text.matchAll(/<input type="hidden" name="(_state|_page|_last)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const { csrf, cookie: withCsrf } = formToken(page, [cookie]);
    return t.http.post('/lomake/pyyda-apua').set('Cookie', withCsrf).type('form').send({ ...hidden, _csrf: csrf, ...fields });
  }

  it('an anonymous help request: page by page, errors summarised and answers kept, hidden questions skipped, checked, sent', async () => {
    const first = await t.http.get('/lomake/pyyda-apua').expect(200);
    const cookie = `csrf=${/csrf=([^;]+)/.exec((first.headers['set-cookie'] as unknown as string[]).join(';'))![1]}`;
    // Sensitive: quick exit, a neutral title, not indexed, advice on browsing safely on the first page.
    expect(first.text).toContain('<a href="https://www.google.com/" rel="nofollow noreferrer" id="quick-exit">Poistu sivulta</a>');
    expect(first.text).toMatch(/<title>Lomake – /);
    expect(first.text).toContain('noindex');
    expect(text(first)).toContain('Selaimen yksityinen tila');
    expect(first.headers['cache-control']).toBe('no-store');

    // Nothing chosen: the error summary links to the first option, the title says there is an error.
    const missing = await post(first, cookie, { _go: 'next' }).expect(422);
    expect(missing.text).toMatch(/<title>Virhe: Lomake – /);
    expect(missing.text).toMatch(/<div class="error-summary" role="alert"[^>]*>.*<a href="#q-topic-0">[^<]+<\/a>/);
    expect(missing.text).toContain('id="q-topic-0"');

    const contact = await post(missing, cookie, { _go: 'next', topic: 'parenting' }).expect(200);
    expect(contact.text).toContain('name="contactMethod"');
    // The phone question shows only once "phone" is the answer.
    expect(contact.text).not.toContain('name="contactPhone"');
    const needsPhone = await post(contact, cookie, { _go: 'next', contactMethod: 'phone' }).expect(422);
    expect(needsPhone.text).toContain('href="#q-contactPhone"');
    expect(needsPhone.text).toMatch(/value="phone" checked/); // the answer is kept
    // Changing to anonymous hides the phone question again; its answer is not required.
    const message = await post(needsPhone, cookie, { _go: 'next', contactMethod: 'anonymous' }).expect(200);
    expect(message.text).toContain('name="message"');
    const back = await post(message, cookie, { _go: 'back', message: 'Tarvitsen tukea arkeen.' }).expect(200);
    expect(back.text).toMatch(/value="anonymous" checked/);
    const again = await post(back, cookie, { _go: 'next', contactMethod: 'anonymous' }).expect(200);
    expect(again.text).toContain('Tarvitsen tukea arkeen.');
    const last = await post(again, cookie, { _go: 'next', message: 'Tarvitsen tukea arkeen.' }).expect(200);
    expect(last.text).toContain('<optgroup label="Helsingin kaupunki"><option value="091">Helsinki</option></optgroup>');
    expect(last.text).toContain('<option value="ratherNotSay">En halua kertoa</option>');
    const check = await post(last, cookie, { _go: 'next', municipality: '091', contactLanguage: 'fi' }).expect(200);
    expect(text(check)).toContain('Tarkista vastauksesi');
    expect(text(check)).toContain('Tarvitsen tukea arkeen.');
    expect(check.text).toContain('value="page:message"');

    // A change link goes back to that page with the answers.
    const change = await post(check, cookie, { _go: 'page:message' }).expect(200);
    expect(change.text).toContain('Tarvitsen tukea arkeen.');

    const before = Number((await t.db.query(`SELECT count(*) FROM submission`))[0].count);
    const sent = await post(check, cookie, { _go: 'send' }).expect(201);
    const reference = /<p class="reference">([A-Z]+-\d{4}-[A-Za-z0-9]+)<\/p>/.exec(sent.text)?.[1];
    expect(reference).toBeDefined();
    expect(text(sent)).toContain('Kirjoita kuittauskoodi muistiin');
    const [row] = await t.db.query(`SELECT reference, language FROM submission ORDER BY submitted_at DESC LIMIT 1`);
    expect(row).toEqual({ reference, language: 'fi' });
    expect(Number((await t.db.query(`SELECT count(*) FROM submission`))[0].count)).toBe(before + 1);

    // The confirmation's language buttons post the reference and the code: the page comes back in Swedish with both.
    const code = /<p class="reference">([A-Z0-9]{4}(?:-[A-Z0-9]{4})+)<\/p>/.exec(sent.text)![1];
    expect(sent.text).toContain('<button type="submit" form="answers" name="_lang" value="sv"');
    expect(sent.text).toContain(`<input type="hidden" name="receiptCode" value="${code}"/>`);
    const switched = formToken(sent, [cookie]);
    const swedish = await t.http.post('/lomake/pyyda-apua/lahetetty').set('Cookie', switched.cookie).type('form')
      .send({ _csrf: switched.csrf, reference: reference!, receiptCode: code, _lang: 'sv' }).expect(200);
    expect(swedish.text).toContain('<html lang="sv">');
    expect(swedish.text).toContain(`<p class="reference">${reference}</p>`);
    expect(swedish.text).toContain(`<p class="reference">${code}</p>`);
    expect(text(swedish)).toContain('kvittokod');
    // A wrong code, a reference of another form, or no form token shows no code and changes nothing.
    const wrong = await t.http.post('/lomake/pyyda-apua/lahetetty').set('Cookie', switched.cookie).type('form')
      .send({ _csrf: switched.csrf, reference: reference!, receiptCode: 'AAAA-BBBB-CCCC', _lang: 'sv' }).expect(404);
    expect(wrong.text).not.toContain('AAAA-BBBB-CCCC');
    await t.http.post('/lomake/lastensuojeluilmoitus/lahetetty').set('Cookie', switched.cookie).type('form')
      .send({ _csrf: switched.csrf, reference: reference!, receiptCode: code, _lang: 'sv' }).expect(404);
    await t.http.post('/lomake/pyyda-apua/lahetetty').type('form').send({ reference: reference!, receiptCode: code, _lang: 'sv' }).expect(403);
    expect(Number((await t.db.query(`SELECT count(*) FROM submission`))[0].count)).toBe(before + 1);
  });

  it('a forged or tampered post stores nothing; unknown forms and pre-information forms are pages saying so', async () => {
    const first = await t.http.get('/lomake/pyyda-apua').expect(200);
    const before = Number((await t.db.query(`SELECT count(*) FROM submission`))[0].count);
    await t.http.post('/lomake/pyyda-apua').type('form').send({ _go: 'send' }).expect(403);
    const cookie = `csrf=${/csrf=([^;]+)/.exec((first.headers['set-cookie'] as unknown as string[]).join(';'))![1]}`;
    // A state carrying answers the form does not have, sent straight away: refused by the runtime, not stored.
    const forged = Buffer.from(JSON.stringify({ v: 2, a: { topic: 'parenting', notAQuestion: 'x' } })).toString('base64url');
    const { csrf, cookie: withCsrf } = formToken(first, [cookie]);
    await t.http.post('/lomake/pyyda-apua').set('Cookie', withCsrf).type('form').send({ _csrf: csrf, _state: forged, _go: 'send' }).expect(422);
    expect(Number((await t.db.query(`SELECT count(*) FROM submission`))[0].count)).toBe(before);
    await t.http.get('/lomake/no-such-form').expect(404).expect('Content-Type', /html/);
    const pre = await t.http.get('/lomake/esitiedot-kouluterveydenhuolto').expect(403);
    expect(text(pre)).toContain('Esitietolomake lähetetään ajanvarauksen vahvistuksessa olevan linkin kautta');
    await t.http.get('/blankett/pyyda-apua').expect(301).expect('Location', '/lomake/pyyda-apua');
  });
});
