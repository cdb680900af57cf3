import { TestClock } from '@app/platform';
import { BookingFixture } from '../support/booking-fixture';
import { LSI_ANONYMOUS, PYYDA_APUA } from '../support/forms-examples';
import { PASSWORD, type TestApp, startApp } from '../support/test-app';
import { formToken, setCookie, text } from './page-helpers';

const ORIGIN = 'http://perhe.test';

/** The hidden return path of a login page, or undefined. */
function hiddenNext(html: string): string | undefined {
  const value = /<input type="hidden" name="next" value="([^"]*)"/.exec(html)?.[1];
  return value?.replace(/&amp;/g, '&');
}

/** The account's behaviour on the staff pages: back to the page asked for after signing in, signing out everywhere, the inbox's form filter. */
describe('staff pages: return after login, sign out everywhere, inbox form filter', () => {
  let t: TestApp;
  let f: BookingFixture;
  let lsiSubmission: { id: string; reference: string };
  let helpRequest: { id: string; reference: string };

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock('2026-03-02T09:00:00+02:00'), env: { PUBLIC_URL: ORIGIN, SESSION_TTL_MINUTES: '120', STAFF_IDLE_MINUTES: '15' } });
    f = await BookingFixture.create(t);
    const lsi = await f.unit('lastensuojelu-ilmoitukset');
    const help = await f.unit('perheneuvonta');
    await f.staff('kasittelija@test.fi', [], ['fi'], [lsi, help]);
    await f.staff('toinen@test.fi', [], ['fi'], [lsi]);
    lsiSubmission = (await t.http.post('/api/v1/forms/lastensuojeluilmoitus/submissions').send({ language: 'fi', answers: LSI_ANONYMOUS }).expect(201)).body;
    helpRequest = (await t.http.post('/api/v1/forms/pyyda-apua/submissions').send({ language: 'fi', answers: PYYDA_APUA }).expect(201)).body;
  });
  afterAll(() => t.close());

  /** The login page at `path` and a sign-in from it (with its hidden fields as the browser sends them). */
  async function signInAt(path: string, email = 'kasittelija@test.fi', extra: Record<string, string> = {}) {
    const page = await t.http.get(path).expect(200);
    const { csrf, cookie } = formToken(page);
    const next = hiddenNext(page.text);
    const res = await t.http.post('/staff/login').set('Cookie', cookie).set('Origin', ORIGIN).type('form')
      .send({ _csrf: csrf, email, password: PASSWORD, ...(next !== undefined ? { next } : {}), ...extra });
    const session = setCookie(res, 'session');
    const seen = setCookie(res, 'staff_seen');
    const cookies = [cookie, ...(session ? [`session=${session.value}`] : []), ...(seen ? [`staff_seen=${seen.value}`] : [])].join('; ');
    return { page, res, cookies, csrf, session };
  }

  it('an e-mail link to an inbox item leads through the login to that item, which still asks the purpose', async () => {
    const link = `/staff/inbox/${lsiSubmission.id}`;
    const asked = await t.http.get(link).expect(303);
    expect(asked.headers.location).toBe(`/staff/login?next=${encodeURIComponent(link)}`);
    const { page, res, cookies } = await signInAt(asked.headers.location);
    expect(hiddenNext(page.text)).toBe(link);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(link);
    const item = await t.http.get(link).set('Cookie', cookies).expect(200);
    expect(text(item)).toContain(`Miksi avaat lähetyksen ${lsiSubmission.reference}?`);

    // A stated purpose in the link is not carried through the login: the handler chooses it here.
    const withPurpose = await t.http.get(`${link}?purpose=handling&purposeText=x&done=note`).expect(303);
    expect(withPurpose.headers.location).toBe(`/staff/login?next=${encodeURIComponent(`${link}?done=note`)}`);
    const again = await signInAt(withPurpose.headers.location);
    expect(again.res.headers.location).toBe(`${link}?done=note`);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM access_log WHERE submission_id = $1`, [lsiSubmission.id]))[0].n).toBe(0);

    // A page with a query keeps it; a form post is never repeated after the login.
    const filtered = await t.http.get('/staff/inbox?priority=urgent').expect(303);
    expect((await signInAt(filtered.headers.location)).res.headers.location).toBe('/staff/inbox?priority=urgent');
    const token = formToken(await t.http.get('/staff/login').expect(200));
    const posted = await t.http.post(`${link}/note`).set('Cookie', token.cookie).set('Origin', ORIGIN).type('form').send({ _csrf: token.csrf, text: 'x' }).expect(303);
    expect(posted.headers.location).toBe('/staff/login');
    // Already signed in: the login page goes straight to the page.
    const signedIn = await t.http.get(`/staff/login?next=${encodeURIComponent(link)}`).set('Cookie', cookies).expect(303);
    expect(signedIn.headers.location).toBe(link);
  });

  it('refuses open redirects: only this site\'s staff and admin pages are returned to, anything else goes to the start page', async () => {
    const attacks = [
      '//evil.example', 'https://evil.example', 'https://evil.example/staff/inbox', '//evil.example/staff', '/\\evil.example', '\\\\evil.example',
      '/\t/evil.example', 'javascript:alert(1)', 'http:/evil.example', '/staff/../../evil', '/staffing', '/', '/lomake/pyyda-apua', '/staff/login', '/staff/logout',
      ` /staff/inbox`, '%2F%2Fevil.example',
    ];
    const { cookies } = await signInAt('/staff/login');
    for (const next of attacks) {
      // Neither on the login page's form …
      const page = await t.http.get(`/staff/login?next=${encodeURIComponent(next)}`).expect(200);
      expect({ next, kept: hiddenNext(page.text) }).toEqual({ next, kept: undefined });
      // … nor posted to the login directly.
      const { res } = await signInAt('/staff/login', 'kasittelija@test.fi', { next });
      expect({ next, location: res.headers.location }).toEqual({ next, location: '/staff' });
      // Nor when already signed in.
      const signedIn = await t.http.get(`/staff/login?next=${encodeURIComponent(next)}`).set('Cookie', cookies).expect(303);
      expect({ next, location: signedIn.headers.location }).toEqual({ next, location: '/staff' });
    }
    // Paths are normalized before they are checked.
    expect((await signInAt('/staff/login', 'kasittelija@test.fi', { next: '/staff/x/../inbox' })).res.headers.location).toBe('/staff/inbox');
    expect((await signInAt('/staff/login', 'kasittelija@test.fi', { next: '/admin/units#x' })).res.headers.location).toBe('/admin/units');
  });

  it('the idle timeout forgets the page: back to the login without a return path; a session that ended while in use remembers it', async () => {
    const { cookies } = await signInAt('/staff/login');
    const link = `/staff/inbox/${lsiSubmission.id}`;
    t.clock.advanceMinutes(16);
    const idle = await t.http.get(link).set('Cookie', cookies).expect(303);
    expect(idle.headers.location).toBe('/staff/login?reason=idle');
    // The page's script goes to `?timeout=1`; a return path added there is dropped too.
    const leave = await t.http.get(`/staff/login?timeout=1&next=${encodeURIComponent(link)}`).set('Cookie', cookies).expect(200);
    expect(hiddenNext(leave.text)).toBeUndefined();
    const idleWithNext = await t.http.get(`/staff/login?reason=idle&next=${encodeURIComponent(link)}`).expect(200);
    expect(hiddenNext(idleWithNext.text)).toBeUndefined();
    expect((await signInAt('/staff/login?reason=idle')).res.headers.location).toBe('/staff');

    // A session that reached its end (not idle) returns to the page asked for.
    const fresh = await signInAt('/staff/login');
    let current = fresh.cookies;
    for (let i = 0; i < 8; i++) {
      t.clock.advanceMinutes(14);
      const kept = await t.http.get('/staff/inbox').set('Cookie', current).expect(200);
      current = `${current.replace(/; staff_seen=[^;]+/, '')}; staff_seen=${setCookie(kept, 'staff_seen')!.value}`;
    }
    // 122 minutes after signing in, 10 after the last request: past SESSION_TTL_MINUTES, not idle.
    t.clock.advanceMinutes(10);
    const expired = await t.http.get(link).set('Cookie', current).expect(303);
    expect(expired.headers.location).toBe(`/staff/login?reason=expired&next=${encodeURIComponent(link)}`);

    // Ended and left alone as well (a shared workstation the next morning): the page is forgotten.
    const left = await signInAt('/staff/login');
    t.clock.advanceMinutes(121);
    expect((await t.http.get(link).set('Cookie', left.cookies).expect(303)).headers.location).toBe('/staff/login?reason=expired');
  });

  it('signing out everywhere ends every session of the account (this browser, another browser, a bearer token) and no one else\'s', async () => {
    const here = await signInAt('/staff/login');
    const elsewhere = await signInAt('/staff/login');
    const bearer = (await t.http.post('/api/v1/auth/login').send({ email: 'kasittelija@test.fi', password: PASSWORD }).expect(200)).body.token;
    const colleague = await signInAt('/staff/login', 'toinen@test.fi');
    const account = await t.http.get('/staff/account?lang=en').set('Cookie', here.cookies).expect(200);
    expect(text(account)).toContain('Sign out everywhere');
    expect(text(account)).toContain('kasittelija@test.fi');
    expect(account.text).toContain('action="/staff/logout-everywhere"');
    const sessions = async (email: string) => (await t.db.query(`SELECT count(*)::int AS n FROM session s JOIN staff st ON st.id = s.staff_id WHERE st.email = $1`, [email]))[0].n;
    const before = await sessions('kasittelija@test.fi');
    expect(before).toBeGreaterThanOrEqual(3);

    // Another site cannot do it, nor a post without the form token.
    expect((await t.http.post('/staff/logout-everywhere').set('Cookie', here.cookies).set('Origin', 'https://evil.example').type('form').send({ _csrf: here.csrf })).status).toBe(403);
    expect((await t.http.post('/staff/logout-everywhere').set('Cookie', here.cookies).set('Origin', ORIGIN).type('form').send({})).status).toBe(403);
    expect(await sessions('kasittelija@test.fi')).toBe(before);

    const out = await t.http.post('/staff/logout-everywhere').set('Cookie', here.cookies).set('Origin', ORIGIN).type('form').send({ _csrf: here.csrf }).expect(303);
    expect(out.headers.location).toBe('/staff/login?reason=signed-out-everywhere');
    expect(setCookie(out, 'session')!.value).toBe('');
    expect(await sessions('kasittelija@test.fi')).toBe(0);
    expect((await t.http.get('/staff/inbox').set('Cookie', elsewhere.cookies).expect(303)).headers.location).toMatch(/^\/staff\/login\?reason=expired/);
    await t.http.get('/api/v1/staff/me').set('Authorization', `Bearer ${bearer}`).expect(401);
    await t.http.get('/staff/inbox').set('Cookie', colleague.cookies).expect(200);
    const login = await t.http.get('/staff/login?reason=signed-out-everywhere&lang=sv').expect(200);
    expect(text(login)).toContain('Du har loggat ut på alla enheter.');
  });

  it('the inbox list filters by form', async () => {
    const { cookies } = await signInAt('/staff/login');
    const all = await t.http.get('/staff/inbox').set('Cookie', cookies).expect(200);
    expect(text(all)).toContain(lsiSubmission.reference);
    expect(text(all)).toContain(helpRequest.reference);
    expect(all.text).toMatch(/<select id="form" name="form"><option value>Kaikki<\/option>.*<option value="pyyda-apua">Pyydä apua<\/option>/);
    expect(all.text).not.toContain('<option value="esitiedot-kouluterveydenhuolto"');
    const help = await t.http.get('/staff/inbox?form=pyyda-apua').set('Cookie', cookies).expect(200);
    expect(text(help)).toContain(helpRequest.reference);
    expect(text(help)).not.toContain(lsiSubmission.reference);
    expect(help.text).toContain('<option value="pyyda-apua" selected>');
    const lsi = await t.http.get('/staff/inbox?form=lastensuojeluilmoitus').set('Cookie', cookies).expect(200);
    expect(text(lsi)).toContain(lsiSubmission.reference);
    expect(text(lsi)).not.toContain(helpRequest.reference);
    // A malformed form id is refused, not searched for.
    expect((await t.http.get('/staff/inbox?form=%3Cscript%3E').set('Cookie', cookies)).status).toBe(400);
  });
});
