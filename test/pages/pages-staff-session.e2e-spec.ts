import { TestClock } from '@app/platform';
import { BookingFixture } from '../support/booking-fixture';
import { PASSWORD, type TestApp, startApp } from '../support/test-app';
import { formToken, setCookie, text } from './page-helpers';

const ORIGIN = 'http://perhe.test';

/** The staff pages' sign-in, sign-out, session end and idle timeout, as plain HTTP (no browser needed to see redirects and cookies). */
describe('staff pages: login, logout, expiry and idle timeout', () => {
  let t: TestApp;
  let f: BookingFixture;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock('2026-03-02T09:00:00+02:00'), env: { PUBLIC_URL: ORIGIN, SESSION_TTL_MINUTES: '60', STAFF_IDLE_MINUTES: '15' } });
    f = await BookingFixture.create(t);
    const unit = await f.unit('neuvola');
    await f.staff('hoitaja@test.fi', [unit]);
  });
  afterAll(() => t.close());

  /** Signs in through the login page; returns the browser's cookies. */
  async function signIn(email = 'hoitaja@test.fi', password = PASSWORD, lang = 'fi') {
    const page = await t.http.get(`/staff/login?lang=${lang}`).expect(200);
    const { csrf, cookie } = formToken(page, [`lang=${lang}`]);
    const res = await t.http.post('/staff/login').set('Cookie', cookie).set('Origin', ORIGIN).type('form').send({ _csrf: csrf, email, password });
    const session = setCookie(res, 'session');
    const seen = setCookie(res, 'staff_seen');
    const cookies = [cookie, ...(session ? [`session=${session.value}`] : []), ...(seen ? [`staff_seen=${seen.value}`] : [])].join('; ');
    return { res, cookies, csrf, session };
  }

  it('signs in with the session cookie of the API and, with no page asked for, starts at the calendar', async () => {
    const before = await t.http.get('/staff/calendar').expect(303);
    expect(before.headers.location).toBe('/staff/login?next=%2Fstaff%2Fcalendar');
    const { res, cookies, session } = await signIn();
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/staff');
    expect(session!.attributes).toMatch(/HttpOnly/);
    expect(session!.attributes).toMatch(/SameSite=Lax/);
    const [row] = await t.db.query(`SELECT count(*)::int AS n FROM session`);
    expect(row.n).toBeGreaterThanOrEqual(1);
    const home = await t.http.get('/staff').set('Cookie', cookies).expect(303);
    expect(home.headers.location).toBe('/staff/calendar');
    // The same cookie is a session of the API too.
    await t.http.get('/api/v1/staff/me').set('Cookie', `session=${session!.value}`).expect(200);
    // Signed-in pages are never stored.
    const login = await t.http.get('/staff/login').set('Cookie', cookies).expect(303);
    expect(login.headers['cache-control']).toBe('no-store');
  });

  it('a wrong password gives the API\'s message on the page (401), in the page\'s language; a form without the token is refused', async () => {
    const { res } = await signIn('hoitaja@test.fi', 'wrong-password', 'sv');
    expect(res.status).toBe(401);
    expect(text(res)).toContain('E-postadressen eller lösenordet är fel.');
    expect(setCookie(res, 'session')).toBeUndefined();
    const page = await t.http.get('/staff/login').expect(200);
    const { cookie } = formToken(page);
    const forged = await t.http.post('/staff/login').set('Cookie', cookie).type('form').send({ _csrf: 'x'.repeat(43), email: 'hoitaja@test.fi', password: PASSWORD });
    expect(forged.status).toBe(403);
    expect(setCookie(forged, 'session')).toBeUndefined();
  });

  it('throttles like the API: after five failures the sixth attempt waits, with Retry-After and the wait in words', async () => {
    await f.staff('kiire@test.fi', []);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn('kiire@test.fi', 'wrong-password')).res.status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const refused = await signIn('kiire@test.fi', PASSWORD);
    expect(refused.res.status).toBe(429);
    expect(refused.res.headers['retry-after']).toBe('1');
    expect(text(refused.res)).toContain('Liian monta epäonnistunutta yritystä. Yritä uudelleen 1 sekunnin kuluttua.');
    expect(refused.session).toBeUndefined();
    t.clock.advanceMinutes(2 / 60);
    expect((await signIn('kiire@test.fi', PASSWORD)).res.status).toBe(303);
  });

  it('signing out ends the session in the database and says so', async () => {
    const { cookies, csrf, session } = await signIn();
    const out = await t.http.post('/staff/logout').set('Cookie', cookies).set('Origin', ORIGIN).type('form').send({ _csrf: csrf }).expect(303);
    expect(out.headers.location).toBe('/staff/login?reason=signed-out');
    expect(setCookie(out, 'session')!.value).toBe('');
    await t.http.get('/api/v1/staff/me').set('Cookie', `session=${session!.value}`).expect(401);
    const page = await t.http.get('/staff/login?reason=signed-out&lang=en').expect(200);
    expect(text(page)).toContain('You have signed out.');
  });

  it('after the idle time without a request the session ends, and the page tells why; activity keeps it alive', async () => {
    const { cookies, session } = await signIn();
    const page = await t.http.get('/staff/calendar').set('Cookie', cookies).expect(200);
    // The page's script returns it to the login when left alone (tested in the browser).
    expect(page.text).toContain('<meta name="idle-timeout" content="900" data-leave="/staff/login?timeout=1"/>');
    const fresher = `${cookies.replace(/staff_seen=[^;]+/, '')}; staff_seen=${setCookie(page, 'staff_seen')!.value}`;
    t.clock.advanceMinutes(14);
    const later = await t.http.get('/staff/calendar').set('Cookie', fresher).expect(200);
    const latest = `${cookies.replace(/staff_seen=[^;]+/, '')}; staff_seen=${setCookie(later, 'staff_seen')!.value}`;
    t.clock.advanceMinutes(15);
    const idle = await t.http.get('/staff/login?timeout=1').set('Cookie', latest).expect(200);
    expect(text(idle)).toContain('Sinut kirjattiin ulos, koska et käyttänyt palvelua 15 minuuttiin.');
    await t.http.get('/api/v1/staff/me').set('Cookie', `session=${session!.value}`).expect(401);
    // An old idle cookie cannot be replayed for another session, nor edited.
    const again = await signIn();
    const forged = again.cookies.replace(/staff_seen=(\d+)\./, (_, at) => `staff_seen=${Number(at) + 60_000}.`);
    const refused = await t.http.get('/staff/calendar').set('Cookie', forged).expect(303);
    expect(refused.headers.location).toBe('/staff/login?reason=idle');
  });

  it('an expired session shows the expiry message', async () => {
    const { cookies } = await signIn();
    t.clock.advanceMinutes(61);
    const res = await t.http.get('/staff/calendar').set('Cookie', cookies).expect(303);
    expect(res.headers.location).toBe('/staff/login?reason=expired');
    const page = await t.http.get(res.headers.location).expect(200);
    expect(text(page)).toContain('Istuntosi on päättynyt. Kirjaudu uudelleen.');
  });
});
