import type { Response } from 'supertest';
import { AppConfig, type Lang, catalogue, interpolate } from '@app/platform';
import { LOGIN_THROTTLE } from '@app/identity';
import { CLI_MAIN, cleanEnv, runToEnd } from './support/spawned';
import { type TestApp, PASSWORD, createAccount, login, startApp } from './support/test-app';

const LANGS: Lang[] = ['fi', 'sv', 'en'];
const WRONG = 'not-the-right-password';

/** The session cookie (`session=…`) a response sets, if any. */
function sessionCookieOf(res: Response): string | undefined {
  return ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('session='));
}

describe('login and sessions', () => {
  let t: TestApp;
  let admin: string;
  let origin: string;

  /** A login attempt from a client address (the server trusts X-Forwarded-For from loopback only). */
  const attempt = (email: string, password: string, address: string, extra: Record<string, unknown> = {}) =>
    t.http.post('/api/v1/auth/login').set('X-Forwarded-For', address).set('Accept-Language', 'en').send({ email, password, ...extra });

  /** A cookie session of the account. */
  const cookieLogin = async (email: string, password = PASSWORD) => {
    const res = await t.http.post('/api/v1/auth/login').send({ email, password, session: 'cookie' }).expect(200);
    return sessionCookieOf(res)!.split(';')[0];
  };

  const count = async (sql: string, params: unknown[] = []) => ((await t.db.query(sql, params)) as { n: number }[])[0].n;

  beforeAll(async () => {
    t = await startApp();
    await createAccount(t, 'admin@test.fi', ['admin']);
    admin = await login(t, 'admin@test.fi');
    origin = new URL(t.app.get(AppConfig).publicUrl).origin;
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('throttling', () => {
    it('200 parallel wrong passwords from one address: exactly the strict limit is checked (401), the rest are 429 with Retry-After', async () => {
      await createAccount(t, 'rinnakkain@test.fi', ['staff']);
      const results = await Promise.all(Array.from({ length: 200 }, () => attempt('rinnakkain@test.fi', WRONG, '198.51.100.10')));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_THROTTLE.CLIENT_FREE_ATTEMPTS);
      expect(statuses.filter((s) => s === 429)).toHaveLength(200 - LOGIN_THROTTLE.CLIENT_FREE_ATTEMPTS);
      for (const refused of results.filter((r) => r.status === 429)) {
        expect(refused.body.code).toBe('too_many_attempts');
        expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
      // Refused attempts were not counted as checks: the row holds the 5 that were.
      expect(await count(`SELECT sum(attempts)::int AS n FROM login_attempt_client`)).toBe(LOGIN_THROTTLE.CLIENT_FREE_ATTEMPTS);
      // The right password from that address waits too.
      const right = await attempt('rinnakkain@test.fi', PASSWORD, '198.51.100.10');
      expect(right.status).toBe(429);
      expect(right.body.token).toBeUndefined();
    });

    it('client addresses and e-mails are stored only as keyed hashes', async () => {
      const rows: { account_hash: string; client_hash: string }[] = await t.db.query(`SELECT account_hash, client_hash FROM login_attempt_client`);
      expect(rows.length).toBeGreaterThan(0);
      const stored = JSON.stringify(rows) + JSON.stringify(await t.db.query(`SELECT * FROM login_attempt_account`));
      expect(stored).not.toContain('198.51.100.10');
      expect(stored).not.toContain('rinnakkain');
      for (const row of rows) expect(row.client_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('an attacker elsewhere does not lock the owner out; the loose account limit slows every address but lets the owner in within 10 s', async () => {
      const email = 'kohde@test.fi';
      await createAccount(t, email, ['admin']);
      const owner = '192.0.2.50';
      const attacker = '203.0.113.66';

      // 50 failures from X: 5 are checked, 45 refused.
      const fromX = (await Promise.all(Array.from({ length: 50 }, (_, i) => attempt(email, `${WRONG}-${i}`, attacker)))).map((r) => r.status);
      expect(fromX.filter((s) => s === 401)).toHaveLength(5);
      expect(fromX.filter((s) => s === 429)).toHaveLength(45);

      // The owner, from their own address, signs in at once; X gets 429 even with the right password.
      const signedIn = await attempt(email, PASSWORD, owner).expect(200);
      await t.http.get('/api/v1/staff/me').set('Authorization', `Bearer ${signedIn.body.token}`).expect(200);
      await attempt(email, PASSWORD, attacker).expect(429);

      // Many addresses: each gets its 5 checks until the account has seen 50 attempts in 15 minutes.
      const botnet = Array.from({ length: 10 }, (_, i) => `203.0.113.${100 + i}`);
      await Promise.all(botnet.flatMap((address) => Array.from({ length: 5 }, (_, i) => attempt(email, `${WRONG}-${i}`, address))));
      const [{ attempts }] = await t.db.query(`SELECT attempts FROM login_attempt_account`).then((rows: { attempts: number }[]) => [
        { attempts: Math.max(...rows.map((r) => r.attempts)) },
      ]);
      expect(attempts).toBeGreaterThanOrEqual(LOGIN_THROTTLE.ACCOUNT_ATTEMPTS_UNDER_ATTACK);

      // Now a fresh address gets one check, then must wait (without the account limit it would have 5 free).
      const fresh = '203.0.113.200';
      await attempt(email, WRONG, fresh).expect(401);
      const slowed = await attempt(email, WRONG, fresh).expect(429);
      const wait = Number(slowed.headers['retry-after']);
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(LOGIN_THROTTLE.ACCOUNT_WAIT_SECONDS);

      // The owner still signs in at once from their own address …
      await attempt(email, PASSWORD, owner).expect(200);
      // … and after a typo, within the documented bound.
      await attempt(email, WRONG, owner).expect(401);
      const afterTypo = await attempt(email, PASSWORD, owner).expect(429);
      expect(Number(afterTypo.headers['retry-after'])).toBeLessThanOrEqual(LOGIN_THROTTLE.ACCOUNT_WAIT_SECONDS);
      t.clock.set(new Date(t.clock.now().getTime() + LOGIN_THROTTLE.ACCOUNT_WAIT_SECONDS * 1000));
      await attempt(email, PASSWORD, owner).expect(200);
      // X's own strict wait (2 s by now) has passed, so it gets one more check, then waits the account's 10 s again.
      await attempt(email, WRONG, attacker).expect(401);
      const attackerWait = await attempt(email, WRONG, attacker).expect(429);
      expect(Number(attackerWait.headers['retry-after'])).toBe(LOGIN_THROTTLE.ACCOUNT_WAIT_SECONDS);

      // A quiet window later the account is back to normal: a new address has its free attempts again.
      t.clock.advanceMinutes(LOGIN_THROTTLE.ACCOUNT_WINDOW_MINUTES + 1);
      await attempt(email, WRONG, '203.0.113.201').expect(401);
      await attempt(email, WRONG, '203.0.113.201').expect(401);
      admin = await login(t, 'admin@test.fi');
    });

    it('the same address is throttled per account: its failures at one account do not slow it at another', async () => {
      await createAccount(t, 'toinen@test.fi', ['staff']);
      const shared = '198.51.100.77';
      for (let i = 0; i < 6; i++) await attempt('admin@test.fi', WRONG, shared);
      await attempt('admin@test.fi', PASSWORD, shared).expect(429);
      await attempt('toinen@test.fi', PASSWORD, shared).expect(200);
    });
  });

  describe('a new password or deactivation ends the account\'s sessions', () => {
    const me = (auth: { bearer?: string; cookie?: string }) => {
      const req = t.http.get('/api/v1/staff/me');
      if (auth.bearer) req.set('Authorization', auth.bearer);
      if (auth.cookie) req.set('Cookie', auth.cookie);
      return req;
    };

    it('an admin resetting the password ends every session of that account, bearer and cookie; other accounts keep theirs', async () => {
      const id = await createAccount(t, 'nollaus@test.fi', ['staff']);
      const bearer = await login(t, 'nollaus@test.fi');
      const cookie = await cookieLogin('nollaus@test.fi');
      await me({ bearer }).expect(200);
      await me({ cookie }).expect(200);

      // A change that is not a password or deactivation keeps sessions.
      await t.http.patch(`/api/v1/staff/${id}`).set('Authorization', admin).send({ name: 'Nollattava' }).expect(200);
      await me({ bearer }).expect(200);

      await t.http.patch(`/api/v1/staff/${id}`).set('Authorization', admin).send({ password: 'uusi-pitkä-salasana-42' }).expect(200);
      await me({ bearer }).expect(401);
      await me({ cookie }).expect(401);
      expect(await count(`SELECT count(*)::int AS n FROM session WHERE staff_id = $1`, [id])).toBe(0);
      await me({ bearer: admin }).expect(200);

      const again = await t.http.post('/api/v1/auth/login').send({ email: 'nollaus@test.fi', password: 'uusi-pitkä-salasana-42' }).expect(200);
      await me({ bearer: `Bearer ${again.body.token}` }).expect(200);
    });

    it('deactivation ends every session for good: reactivating the account does not bring them back', async () => {
      const id = await createAccount(t, 'lopettaja@test.fi', ['staff']);
      const bearer = await login(t, 'lopettaja@test.fi');
      const cookie = await cookieLogin('lopettaja@test.fi');
      await t.http.patch(`/api/v1/staff/${id}`).set('Authorization', admin).send({ active: false }).expect(200);
      expect(await count(`SELECT count(*)::int AS n FROM session WHERE staff_id = $1`, [id])).toBe(0);
      await t.http.patch(`/api/v1/staff/${id}`).set('Authorization', admin).send({ active: true }).expect(200);
      await me({ bearer }).expect(401);
      await me({ cookie }).expect(401);
      await login(t, 'lopettaja@test.fi');
    });
  });

  describe('password rules', () => {
    const weak: [string, string, string][] = [
      ['11 characters', 'lyhyt-sana1', 'passwordLength'],
      ['12 spaces', ' '.repeat(12), 'passwordBlank'],
      ['a common password in other letter case', 'PassWord1234', 'passwordCommon'],
      ['a common password with spaces around it', '  qwerty123456  ', 'passwordCommon'],
    ];
    const message = (lang: Lang, rule: string) =>
      interpolate(catalogue(lang).validation[rule as keyof ReturnType<typeof catalogue>['validation']], { min: 12 });

    it.each(weak)('%s is refused on staff creation in fi, sv and en, and nothing is stored', async (_, password, rule) => {
      for (const lang of LANGS) {
        const res = await t.http
          .post('/api/v1/staff')
          .set('Authorization', admin)
          .set('Accept-Language', lang)
          .send({ email: 'heikko@test.fi', name: 'Heikko Salasana', password, roles: ['staff'], languages: ['fi'], unitIds: [] });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('validation_failed');
        expect(res.body.fields).toEqual([{ field: 'password', rule, message: message(lang, rule) }]);
        expect(res.body.message).toContain(message(lang, rule));
      }
      expect(await count(`SELECT count(*)::int AS n FROM staff WHERE email = 'heikko@test.fi'`)).toBe(0);
    });

    it.each(weak)('%s is refused as a new password; the old one keeps working and sessions stay', async (_, password, rule) => {
      const id = await createAccount(t, `vaihto-${rule}-${password.length}@test.fi`, ['staff']);
      const bearer = await login(t, `vaihto-${rule}-${password.length}@test.fi`);
      const res = await t.http.patch(`/api/v1/staff/${id}`).set('Authorization', admin).set('Accept-Language', 'sv').send({ password });
      expect(res.status).toBe(400);
      expect(res.body.fields).toEqual([{ field: 'password', rule, message: message('sv', rule) }]);
      await t.http.get('/api/v1/staff/me').set('Authorization', bearer).expect(200);
      await login(t, `vaihto-${rule}-${password.length}@test.fi`);
    });

    it('the demo and test passwords, and a long uncommon one, are accepted', async () => {
      for (const [i, password] of ['demo-salasana-2026', PASSWORD, 'Kolme kissaa kiipesi puuhun'].entries()) {
        await t.http
          .post('/api/v1/staff')
          .set('Authorization', admin)
          .send({ email: `hyva-${i}@test.fi`, name: 'Hyvä Salasana', password, roles: ['staff'], languages: ['fi'], unitIds: [] })
          .expect(201);
        await t.http.post('/api/v1/auth/login').send({ email: `hyva-${i}@test.fi`, password }).expect(200);
      }
    });

    it('staff:create on the command line refuses weak passwords in the locale\'s language, stores nothing, and accepts a good one', async () => {
      const run = (lang: string, email: string, password: string) =>
        runToEnd(
          CLI_MAIN,
          ['staff:create', '--email', email, '--name', 'Komento Rivi', '--password', password],
          cleanEnv({ DATABASE_URL: t.databaseUrl, DATA_DIR: process.env.DATA_DIR!, LOG_LEVEL: 'silent', LANG: lang }),
          90_000,
        );
      const cases: [string, Lang, string, string][] = [
        ['fi_FI.UTF-8', 'fi', 'lyhyt-sana1', 'passwordLength'],
        ['sv_FI.UTF-8', 'sv', ' '.repeat(12), 'passwordBlank'],
        ['en_GB.UTF-8', 'en', 'QWERTY123456', 'passwordCommon'],
      ];
      const refused = await Promise.all(cases.map(([locale, , password]) => run(locale, 'komento@test.fi', password)));
      refused.forEach((result, i) => {
        const [, lang, , rule] = cases[i];
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(catalogue(lang).errors.validation_failed);
        expect(result.stderr).toContain(`password: ${message(lang, rule)}`);
      });
      expect(await count(`SELECT count(*)::int AS n FROM staff WHERE email = 'komento@test.fi'`)).toBe(0);

      const created = await run('fi_FI.UTF-8', 'komento@test.fi', 'Kolme kissaa kiipesi puuhun');
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/^created staff [0-9a-f-]{36} <komento@test\.fi>/m);
      await t.http.post('/api/v1/auth/login').send({ email: 'komento@test.fi', password: 'Kolme kissaa kiipesi puuhun' }).expect(200);
    }, 200_000);
  });

  describe('cross-site request forgery', () => {
    const UNIT = (code: string) => ({ code, name: { fi: 'Yksikkö', sv: 'Enhet', en: 'Unit' } });
    let cookie: string;

    beforeAll(async () => {
      cookie = await cookieLogin('admin@test.fi');
    });

    it('a cookie-authenticated POST without Origin or Referer, or from another origin, is 403 in fi/sv/en and stores nothing', async () => {
      const refusals: [string, Record<string, string>][] = [
        ['no Origin', {}],
        ['foreign Origin', { Origin: 'https://hyokkaaja.example' }],
        ['Origin null', { Origin: 'null' }],
        ['same host, other scheme', { Origin: origin.replace(/^http:/, 'https:') }],
        ['foreign Referer', { Referer: 'https://hyokkaaja.example/lomake.html' }],
        ['foreign Origin with own Referer', { Origin: 'https://hyokkaaja.example', Referer: `${origin}/` }],
      ];
      for (const [, headers] of refusals) {
        for (const lang of LANGS) {
          const res = await t.http.post('/api/v1/units').set('Cookie', cookie).set(headers).set('Accept-Language', lang).send(UNIT('vaarennetty'));
          expect({ headers, status: res.status, code: res.body.code }).toEqual({ headers, status: 403, code: 'cross_site_request' });
          expect(res.body.message).toBe(catalogue(lang).errors.cross_site_request);
        }
      }
      expect(await count(`SELECT count(*)::int AS n FROM unit WHERE code = 'vaarennetty'`)).toBe(0);
    });

    it('with the own Origin, or only an own Referer, a cookie-authenticated POST works; GET needs neither', async () => {
      await t.http.post('/api/v1/units').set('Cookie', cookie).set('Origin', origin).send(UNIT('oma-origin')).expect(201);
      await t.http.post('/api/v1/units').set('Cookie', cookie).set('Referer', `${origin}/yllapito/yksikot?x=1`).send(UNIT('oma-referer')).expect(201);
      await t.http.get('/api/v1/units').set('Cookie', cookie).set('Origin', 'https://hyokkaaja.example').expect(200);
    });

    it('PATCH and DELETE by cookie need the own origin too; nothing changes without it', async () => {
      const [unit] = await t.db.query(`SELECT id FROM unit WHERE code = 'oma-origin'`);
      await t.http.patch(`/api/v1/units/${unit.id}`).set('Cookie', cookie).set('Origin', 'https://hyokkaaja.example').send({ phone: '09 666 6666' }).expect(403);
      await t.http.patch(`/api/v1/units/${unit.id}`).set('Cookie', cookie).send({ phone: '09 666 6666' }).expect(403);
      expect((await t.db.query(`SELECT phone FROM unit WHERE id = $1`, [unit.id]))[0].phone).toBeNull();
      await t.http.patch(`/api/v1/units/${unit.id}`).set('Cookie', cookie).set('Origin', origin).send({ phone: '09 123 4567' }).expect(200);
      expect((await t.db.query(`SELECT phone FROM unit WHERE id = $1`, [unit.id]))[0].phone).toBe('09 123 4567');

      const staffCookie = await cookieLogin('toinen@test.fi');
      const from = new Date(t.clock.now().getTime() + 7 * 86_400_000);
      const absence = { startsAt: from.toISOString(), endsAt: new Date(from.getTime() + 3_600_000).toISOString(), reason: 'Koulutus' };
      await t.http.post('/api/v1/staff/me/absences').set('Cookie', staffCookie).send(absence).expect(403);
      await t.http.post('/api/v1/staff/me/absences').set('Cookie', staffCookie).set('Origin', origin).send(absence).expect(201);
      const [{ id: absenceId }] = await t.db.query(`SELECT a.id FROM absence a JOIN staff s ON s.id = a.staff_id WHERE s.email = 'toinen@test.fi'`);
      await t.http.delete(`/api/v1/staff/me/absences/${absenceId}`).set('Cookie', staffCookie).expect(403);
      await t.http.delete(`/api/v1/staff/me/absences/${absenceId}`).set('Cookie', staffCookie).set('Origin', 'https://hyokkaaja.example').expect(403);
      expect(await count(`SELECT count(*)::int AS n FROM absence WHERE id = $1`, [absenceId])).toBe(1);
      await t.http.delete(`/api/v1/staff/me/absences/${absenceId}`).set('Cookie', staffCookie).set('Origin', origin).expect(200);
      expect(await count(`SELECT count(*)::int AS n FROM absence WHERE id = $1`, [absenceId])).toBe(0);
    });

    it('logout by cookie needs the own origin: without it the session stays', async () => {
      const own = await cookieLogin('toinen@test.fi');
      await t.http.post('/api/v1/auth/logout').set('Cookie', own).expect(403);
      await t.http.post('/api/v1/auth/logout').set('Cookie', own).set('Origin', 'https://hyokkaaja.example').expect(403);
      await t.http.get('/api/v1/staff/me').set('Cookie', own).expect(200);
      await t.http.post('/api/v1/auth/logout').set('Cookie', own).set('Origin', origin).expect(204);
      await t.http.get('/api/v1/staff/me').set('Cookie', own).expect(401);
    });

    it('bearer requests are not affected by Origin', async () => {
      await t.http.post('/api/v1/units').set('Authorization', admin).send(UNIT('bearer-ilman-originia')).expect(201);
      await t.http.post('/api/v1/units').set('Authorization', admin).set('Origin', 'https://muu.example').send(UNIT('bearer-muu-origin')).expect(201);
      const bearer = await login(t, 'toinen@test.fi');
      await t.http.post('/api/v1/auth/logout').set('Authorization', bearer).set('Origin', 'https://muu.example').expect(204);
    });

    it('a malformed session cookie is 401, not an error', async () => {
      await t.http.get('/api/v1/staff/me').set('Cookie', 'session=%E0%A4%A').expect(401);
    });
  });

  describe('the JSON API takes only JSON bodies', () => {
    const totals = async () => ({
      units: await count(`SELECT count(*)::int AS n FROM unit`),
      staff: await count(`SELECT count(*)::int AS n FROM staff`),
      sessions: await count(`SELECT count(*)::int AS n FROM session`),
      appointments: await count(`SELECT count(*)::int AS n FROM appointment`),
      submissions: await count(`SELECT count(*)::int AS n FROM submission`),
    });

    it('url-encoded, text/plain and multipart bodies are 415 in fi/sv/en, and nothing is stored', async () => {
      const before = await totals();
      const sends: [string, string, string, string?][] = [
        ['/api/v1/units', 'application/x-www-form-urlencoded', 'code=lomakkeelta&name[fi]=Yksikko', admin],
        ['/api/v1/units', 'text/plain', JSON.stringify({ code: 'tekstina', name: { fi: 'a', sv: 'b', en: 'c' } }), admin],
        ['/api/v1/auth/login', 'application/x-www-form-urlencoded', `email=admin%40test.fi&password=${PASSWORD}&session=cookie`],
        ['/api/v1/auth/login', 'text/plain', JSON.stringify({ email: 'admin@test.fi', password: PASSWORD, session: 'cookie' })],
        ['/api/v1/appointments', 'application/x-www-form-urlencoded', 'slotId=00000000-0000-4000-8000-000000000000&language=fi'],
        ['/api/v1/forms/pyyda-apua/submissions', 'text/plain', '{"language":"fi","answers":{}}'],
        ['/api/v1/units', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="code"\r\n\r\nmonio\r\n--x--\r\n', admin],
        ['/api/v1/units', 'application/json; charset=iso-8859-1', JSON.stringify({ code: 'latin', name: { fi: 'a', sv: 'b', en: 'c' } }), admin],
      ];
      for (const [path, type, body, auth] of sends) {
        for (const lang of LANGS) {
          const req = t.http.post(path).set('Content-Type', type).set('Accept-Language', lang);
          if (auth) req.set('Authorization', auth);
          const res = await req.send(body);
          expect({ path, type, status: res.status, code: res.body.code }).toEqual({ path, type, status: 415, code: 'unsupported_media_type' });
          expect(res.body.message).toBe(catalogue(lang).errors.unsupported_media_type);
          expect(sessionCookieOf(res)).toBeUndefined();
        }
      }
      expect(await totals()).toEqual(before);
    });

    it('application/json with a charset, and bodiless requests, still work', async () => {
      await t.http.post('/api/v1/units').set('Authorization', admin).set('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify({ code: 'utf8', name: { fi: 'a', sv: 'b', en: 'c' } })).expect(201);
      const bearer = await login(t, 'toinen@test.fi');
      await t.http.post('/api/v1/auth/logout').set('Authorization', bearer).set('Content-Type', 'text/plain').expect(204);
    });
  });
});

describe('session cookie with an https PUBLIC_URL', () => {
  let t: TestApp;
  const PUBLIC_URL = 'https://ajanvaraus.example.fi';

  beforeAll(async () => {
    t = await startApp({ env: { PUBLIC_URL } });
    await createAccount(t, 'hoitaja@test.fi', ['staff']);
  });

  afterAll(async () => {
    await t?.close();
    delete process.env.PUBLIC_URL;
  });

  it('is Secure, HttpOnly and SameSite=Lax; the body carries no token; state changes need the https origin', async () => {
    const res = await t.http.post('/api/v1/auth/login').send({ email: 'hoitaja@test.fi', password: PASSWORD, session: 'cookie' }).expect(200);
    expect(res.body.token).toBeUndefined();
    const cookie = sessionCookieOf(res)!;
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    const value = cookie.split(';')[0];
    expect(JSON.stringify(res.body)).not.toContain(decodeURIComponent(value.slice('session='.length)));

    await t.http.post('/api/v1/auth/logout').set('Cookie', value).set('Origin', 'http://ajanvaraus.example.fi').expect(403);
    const out = await t.http.post('/api/v1/auth/logout').set('Cookie', value).set('Origin', PUBLIC_URL).expect(204);
    expect(sessionCookieOf(out)).toMatch(/^session=;.*;\s*Secure/i);
  });

  it('a bearer login sets no cookie at all', async () => {
    const res = await t.http.post('/api/v1/auth/login').send({ email: 'hoitaja@test.fi', password: PASSWORD }).expect(200);
    expect(typeof res.body.token).toBe('string');
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});
