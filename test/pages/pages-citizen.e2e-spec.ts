import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from '../support/booking-fixture';
import { type TestApp, startApp } from '../support/test-app';
import { formToken, setCookie, text } from './page-helpers';

/** Monday 2 March 2026, 07:00 in Helsinki. */
const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';

describe('citizen pages: layout, front page, manage link', () => {
  let t: TestApp;
  let f: BookingFixture;
  let service: string;

  beforeAll(async () => {
    t = await startApp({
      clock: new TestClock(MONDAY_MORNING),
      env: { ORG_NAME: 'Länsi-Uudenmaan perhekeskus|Västra Nylands familjecenter|West Uusimaa family centre', ORG_COLOR: '#00704a' },
    });
    f = await BookingFixture.create(t);
    const unit = (await t.http.post('/api/v1/units').set('Authorization', await f.admin())
      .send({ code: 'neuvola', name: { fi: 'Neuvola Keskusta', sv: 'Rådgivningen Centrum', en: 'Clinic Centre' }, phone: '+358 9 123 4567', address: 'Koulukatu 1, Helsinki' })
      .expect(201)).body.id;
    const staff = await f.staff('hoitaja@test.fi', [unit], ['fi', 'sv']);
    service = await f.service(unit);
    await f.hours(staff, service, WEEKDAYS, '08:00', '12:00');
  });
  afterAll(() => t?.close());
  beforeEach(() => t.clock.set(MONDAY_MORNING));

  async function booking(language = 'fi') {
    const [slot] = await f.slots(service, '2026-03-04', '2026-03-06');
    const res = await f.book(slot.id, { language }).expect(201);
    return { id: res.body.appointment.id as string, token: res.body.manageToken as string, reference: res.body.appointment.reference as string };
  }

  /** Opens the manage link; returns the Cookie header the browser would then hold. */
  async function open(id: string, token: string): Promise<string> {
    const res = await t.http.get(`/appointments/${id}/manage`).query({ token }).expect(303);
    return `manage=${setCookie(res, 'manage')!.value}`;
  }

  it('the front page lists the bookable services, help, the child-welfare notification and 112, in the organisation\'s name', async () => {
    const res = await t.http.get('/').expect(200).expect('Content-Type', /text\/html; charset=utf-8/);
    expect(res.text.startsWith('<!DOCTYPE html><html lang="fi">')).toBe(true);
    const page = text(res);
    expect(page).toContain('Länsi-Uudenmaan perhekeskus');
    expect(page).toContain('Kouluterveydenhoitajan vastaanotto');
    expect(page).toContain('soita hätänumeroon 112');
    expect(res.text).toContain(`href="/varaa/${service}"`);
    expect(res.text).toContain('href="/lomake/lastensuojeluilmoitus"');
    // Skip link first, "ask for help" and the accessibility statement on the page.
    expect(res.text).toMatch(/<body><a class="skip-link" href="#main">Siirry sisältöön<\/a>/);
    expect(res.text).toContain('<a class="help-link" href="/lomake/pyyda-apua">Pyydä apua</a>');
    expect(res.text).toContain('href="/saavutettavuusseloste"');
    expect(res.text).not.toContain('noindex');
    expect(res.headers['cache-control']).toBe('no-store');
    // No inline script or style anywhere in the policy of pages.
    const csp = res.headers['content-security-policy'];
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    expect(res.text).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
  });

  it('switches language on the same page and remembers it; the browser\'s preference counts until then', async () => {
    const sv = await t.http.get('/saavutettavuusseloste?lang=sv').expect(200);
    expect(sv.text).toContain('<html lang="sv">');
    expect(text(sv)).toContain('Tillgänglighetsutlåtande');
    expect(text(sv)).toContain('Västra Nylands familjecenter');
    // The switch points at the same page.
    expect(sv.text).toContain('href="/saavutettavuusseloste?lang=fi"');
    expect(sv.text).toContain('href="/saavutettavuusseloste?lang=en"');
    const remembered = setCookie(sv, 'lang')!;
    expect(remembered.value).toBe('sv');
    const again = await t.http.get('/').set('Cookie', 'lang=sv').expect(200);
    expect(text(again)).toContain('Boka tid');
    const en = await t.http.get('/').set('Accept-Language', 'en-GB,en;q=0.9').expect(200);
    expect(en.text).toContain('<html lang="en">');
    expect(text(en)).toContain('Book an appointment');
    expect(text(en)).toContain('Ask for help');
  });

  it('serves its style sheet from the app (hds-core and the organisation\'s colour), cacheable, and nothing from elsewhere', async () => {
    const page = await t.http.get('/').expect(200);
    const href = /<link rel="stylesheet" href="(\/assets\/site\.[0-9a-f]{12}\.css)"/.exec(page.text)![1];
    const css = await t.http.get(href).expect(200).expect('Content-Type', /text\/css/);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.text).toContain('--org-color:#00704a');
    expect(css.text).toContain('.hds-button--primary');
    expect(css.text).toContain('--font-default:HelsinkiGrotesk,Arial,sans-serif');
    expect(css.text).not.toMatch(/@font-face|@import|url\(["']?(https?:)?\/\//);
    expect(page.text).not.toMatch(/(src|href)="https?:/);
    await t.http.get('/assets/site.000000000000.css').expect(404);
  });

  it('sends the style sheet gzipped to browsers that accept it (a sixth of the bytes on a phone), plain to those that do not', async () => {
    const page = await t.http.get('/').expect(200);
    const href = /<link rel="stylesheet" href="(\/assets\/site\.[0-9a-f]{12}\.css)"/.exec(page.text)![1];
    const plain = await t.http.get(href).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gzipped = await t.http.get(href).set('Accept-Encoding', 'gzip, deflate, br').expect(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toContain('Accept-Encoding');
    expect(gzipped.text).toBe(plain.text); // decoded by the client
    expect(Number(gzipped.headers['content-length'])).toBeLessThan(Number(plain.headers['content-length']) / 4);
  });

  it('the manage link moves the token into a short-lived cookie for that appointment and redirects to a clean address', async () => {
    const { id, token, reference } = await booking();
    const res = await t.http.get(`/appointments/${id}/manage`).query({ token }).expect(303);
    expect(res.headers.location).toBe(`/appointments/${id}/manage`);
    const cookie = setCookie(res, 'manage')!;
    expect(cookie.value).toBe(token);
    expect(cookie.attributes).toContain(`Path=/appointments/${id}`);
    expect(cookie.attributes).toContain('Max-Age=1800');
    expect(cookie.attributes).toContain('HttpOnly');
    expect(cookie.attributes).toContain('SameSite=Lax');

    const page = await t.http.get(`/appointments/${id}/manage`).set('Cookie', `manage=${token}`).expect(200);
    expect(page.text).toContain('<meta name="robots" content="noindex, nofollow"/>');
    expect(page.headers['cache-control']).toBe('no-store');
    const shown = text(page);
    expect(shown).toContain(reference);
    expect(shown).toContain('ke 4.3.2026 klo 8.00–8.20');
    expect(shown).toContain('Voit muuttaa tai perua ajan verkossa ti 3.3.2026 klo 8.00 asti.');
    expect(page.text).not.toContain(token);

    const sv = await t.http.get(`/appointments/${id}/manage?lang=sv`).set('Cookie', `manage=${token}`).expect(200);
    expect(text(sv)).toContain('on 4.3.2026 kl. 8.00–8.20');
    const en = await t.http.get(`/appointments/${id}/manage?lang=en`).set('Cookie', `manage=${token}`).expect(200);
    expect(text(en)).toContain('Wed 4 March 2026 at 8:00–8:20');
  });

  it('an invalid or foreign link, or an expired cookie, says so in plain language and what to do', async () => {
    const { id, token } = await booking();
    const other = await booking();
    const wrong = await t.http.get(`/appointments/${id}/manage`).query({ token: other.token }).expect(404);
    expect(text(wrong)).toContain('Linkki ei ole voimassa');
    expect(setCookie(wrong, 'manage')).toBeUndefined();
    const garbage = await t.http.get(`/appointments/${id}/manage`).query({ token: '<script>' }).expect(404);
    expect(garbage.text).not.toContain('<script>');
    const expired = await t.http.get(`/appointments/${id}/manage`).expect(403);
    expect(text(expired)).toContain('Avaa linkki uudelleen varausvahvistuksesta');
    await t.http.get(`/appointments/${id}/manage`).set('Cookie', `manage=${other.token}`).expect(404);
    await t.http.get(`/appointments/not-a-uuid/manage`).query({ token }).expect(404).expect('Content-Type', /html/);
  });

  it('cancels after a confirmation step, with the form token; a forged post changes nothing', async () => {
    const { id, token } = await booking();
    const cookie = await open(id, token);
    const confirm = await t.http.get(`/appointments/${id}/cancel`).set('Cookie', cookie).expect(200);
    expect(text(confirm)).toContain('Haluatko perua ajan?');
    const { csrf, cookie: withCsrf } = formToken(confirm, [cookie]);

    // No token, a wrong token, or another site's origin: refused, still booked.
    await t.http.post(`/appointments/${id}/cancel`).set('Cookie', cookie).type('form').send({ reason: 'x' }).expect(403);
    await t.http.post(`/appointments/${id}/cancel`).set('Cookie', withCsrf).type('form').send({ _csrf: 'A'.repeat(43) }).expect(403);
    await t.http.post(`/appointments/${id}/cancel`).set('Cookie', withCsrf).set('Origin', 'https://evil.example').type('form').send({ _csrf: csrf }).expect(403);
    expect((await t.db.query(`SELECT status FROM appointment WHERE id = $1`, [id]))[0].status).toBe('booked');

    // A reason that cannot be stored: the page says which field, nothing changes.
    const bad = await t.http.post(`/appointments/${id}/cancel`).set('Cookie', withCsrf).type('form').send({ _csrf: csrf, reason: 'a\u0007b' }).expect(422);
    expect(bad.text).toMatch(/<title>Virhe: /);
    expect(bad.text).toContain('<a href="#reason">');
    expect((await t.db.query(`SELECT status FROM appointment WHERE id = $1`, [id]))[0].status).toBe('booked');

    const done = await t.http.post(`/appointments/${id}/cancel`).set('Cookie', withCsrf).set('Origin', 'null').type('form')
      .send({ _csrf: csrf, reason: 'Lapsi on kipeänä' }).expect(303);
    expect(done.headers.location).toBe(`/appointments/${id}/manage?done=cancelled`);
    const [row] = await t.db.query(`SELECT status, cancel_reason FROM appointment WHERE id = $1`, [id]);
    expect(row).toEqual({ status: 'cancelled', cancel_reason: 'Lapsi on kipeänä' });
    const after = await t.http.get(done.headers.location).set('Cookie', cookie).expect(200);
    expect(text(after)).toContain('Aika on peruttu.');
    expect(text(after)).toContain('Peruttu');
    expect(after.text).not.toContain(`/appointments/${id}/cancel"`);
  });

  it('after the change deadline, says whom to call and refuses to cancel', async () => {
    const { id, token } = await booking();
    const cookie = await open(id, token);
    const confirm = await t.http.get(`/appointments/${id}/cancel`).set('Cookie', cookie).expect(200);
    const { csrf, cookie: withCsrf } = formToken(confirm, [cookie]);
    t.clock.set('2026-03-03T09:00:00+02:00');
    const page = await t.http.get(`/appointments/${id}/manage`).set('Cookie', cookie).expect(200);
    expect(text(page)).toMatch(/Aikaa ei voi enää muuttaa tai perua verkossa\. Soita toimipisteeseen Neuvola Keskusta: \+358 9 123 4567 ?\./);
    expect(page.text).toContain('href="tel:+35891234567"');
    expect(page.text).not.toContain(`/appointments/${id}/cancel"`);
    const refused = await t.http.post(`/appointments/${id}/cancel`).set('Cookie', withCsrf).type('form').send({ _csrf: csrf }).expect(409);
    expect(text(refused)).toContain('Soita toimipisteeseen');
    expect((await t.db.query(`SELECT status FROM appointment WHERE id = $1`, [id]))[0].status).toBe('booked');
  });

  it('unknown pages are an HTML page; the API keeps its JSON errors and refuses form bodies', async () => {
    const missing = await t.http.get('/no-such-page').expect(404).expect('Content-Type', /html/);
    expect(text(missing)).toContain('Sivua ei löytynyt');
    const api = await t.http.get('/api/v1/no-such-thing').expect(404).expect('Content-Type', /json/);
    expect(api.body.code).toBe('not_found');
    await t.http.post('/api/v1/appointments').type('form').send({ slotId: 'x' }).expect(415);
  });
});
