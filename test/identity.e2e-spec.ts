import { AppConfig } from '@app/platform';
import { type TestApp, PASSWORD, createAccount, login, startApp } from './support/test-app';

/** Every key path in a JSON body. */
function keysOf(body: unknown, path = ''): string[] {
  if (Array.isArray(body)) return body.flatMap((item, i) => keysOf(item, `${path}[${i}]`));
  if (body && typeof body === 'object') {
    return Object.entries(body as Record<string, unknown>).flatMap(([key, value]) => [`${path}.${key}`, ...keysOf(value, `${path}.${key}`)]);
  }
  return [];
}

/** A response body has no password field and no scrypt hash (stored as `scrypt$N$r$p$salt$hash`). */
function expectNoPasswordHash(body: unknown): void {
  expect(keysOf(body).filter((k) => /password|hash/i.test(k))).toEqual([]);
  expect(JSON.stringify(body)).not.toContain('scrypt$');
}

const UNIT = { code: 'neuvola-kallio', name: { fi: 'Kallion neuvola', sv: 'Berghälls rådgivning', en: 'Kallio clinic' }, address: 'Viides linja 1, Helsinki' };

describe('identity: login, sessions and the admin API', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startApp();
    await createAccount(t, 'admin@test.fi', ['admin']);
    await createAccount(t, 'hoitaja@test.fi', ['staff']);
    admin = await login(t, 'admin@test.fi');
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('login', () => {
    it('by default returns a bearer token usable on /staff/me, and sets no cookie', async () => {
      const res = await t.http.post('/api/v1/auth/login').send({ email: 'hoitaja@test.fi', password: PASSWORD }).expect(200);
      expect(typeof res.body.token).toBe('string');
      expect(res.body.token.length).toBeGreaterThanOrEqual(20);
      expect(res.body.staff).toMatchObject({ email: 'hoitaja@test.fi', roles: ['staff'] });
      expect(res.body.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+0[23]:00$/);
      expectNoPasswordHash(res.body);
      expect(res.headers['set-cookie']).toBeUndefined();

      const byBearer = await t.http.get('/api/v1/staff/me').set('Authorization', `Bearer ${res.body.token}`).expect(200);
      expect(byBearer.body).toMatchObject({ email: 'hoitaja@test.fi', roles: ['staff'] });
      expectNoPasswordHash(byBearer.body);
    });

    it('with session "cookie" sets an HttpOnly SameSite=Lax cookie usable on /staff/me, and returns no token', async () => {
      const res = await t.http.post('/api/v1/auth/login').send({ email: 'hoitaja@test.fi', password: PASSWORD, session: 'cookie' }).expect(200);
      expect(res.body.token).toBeUndefined();
      expect(Object.keys(res.body).sort()).toEqual(['expiresAt', 'staff']);
      expect(res.body.staff).toMatchObject({ email: 'hoitaja@test.fi', roles: ['staff'] });
      const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      const session = setCookie.find((c) => c.startsWith('session='));
      expect(session).toBeDefined();
      expect(session).toMatch(/;\s*HttpOnly/i);
      expect(session).toMatch(/;\s*Path=\//i);
      expect(session).toMatch(/;\s*SameSite=Lax/i);
      expect(session).not.toMatch(/;\s*Secure/i); // PUBLIC_URL is http here
      const cookieValue = session!.split(';')[0];
      const me = await t.http.get('/api/v1/staff/me').set('Cookie', cookieValue).expect(200);
      expect(me.body).toMatchObject({ email: 'hoitaja@test.fi' });

      await t.http.post('/api/v1/auth/login').send({ email: 'hoitaja@test.fi', password: PASSWORD, session: 'both' }).expect(400);
    });

    it('gives the same 401 for a wrong password and an unknown e-mail', async () => {
      const wrongPassword = await t.http.post('/api/v1/auth/login').set('Accept-Language', 'en').send({ email: 'hoitaja@test.fi', password: 'wrong-password-1' });
      const unknownEmail = await t.http.post('/api/v1/auth/login').set('Accept-Language', 'en').send({ email: 'nobody@test.fi', password: PASSWORD });
      expect(wrongPassword.status).toBe(401);
      expect(unknownEmail.status).toBe(401);
      expect(wrongPassword.body.code).toBe('invalid_credentials');
      expect(unknownEmail.body).toEqual(wrongPassword.body);
      expect(wrongPassword.body.message).toBe('The e-mail address or password is wrong.');
      expect(wrongPassword.body.token).toBeUndefined();
      expect(wrongPassword.headers['set-cookie']).toBeUndefined();
    });

    it('without a session, /staff/me is 401', async () => {
      const res = await t.http.get('/api/v1/staff/me').expect(401);
      expect(res.body.code).toBe('unauthenticated');
      await t.http.get('/api/v1/staff/me').set('Authorization', 'Bearer not-a-real-token').expect(401);
      await t.http.get('/api/v1/staff/me').set('Cookie', 'session=not-a-real-token').expect(401);
    });

    it('slows down after 5 failures: 429 with Retry-After even for the right password, until the wait has passed', async () => {
      await createAccount(t, 'arvaus@test.fi', ['staff']);
      for (let i = 0; i < 5; i++) {
        await t.http.post('/api/v1/auth/login').send({ email: 'arvaus@test.fi', password: `wrong-${i}-password` }).expect(401);
      }
      const throttled = await t.http.post('/api/v1/auth/login').set('Accept-Language', 'en').send({ email: 'arvaus@test.fi', password: PASSWORD });
      expect(throttled.status).toBe(429);
      expect(throttled.body.code).toBe('too_many_attempts');
      expect(throttled.body.token).toBeUndefined();
      const retryAfter = Number(throttled.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(throttled.body.message).toBe(`Too many failed attempts. Try again in ${retryAfter} seconds.`);
      // The same e-mail in other letter case is the same account: no way around the wait.
      await t.http.post('/api/v1/auth/login').send({ email: 'ARVAUS@test.fi', password: PASSWORD }).expect(429);
      // Another account is not affected.
      await t.http.post('/api/v1/auth/login').send({ email: 'hoitaja@test.fi', password: PASSWORD }).expect(200);

      t.clock.advanceMinutes(Math.ceil(retryAfter / 60) + 1);
      const ok = await t.http.post('/api/v1/auth/login').send({ email: 'arvaus@test.fi', password: PASSWORD }).expect(200);
      await t.http.get('/api/v1/staff/me').set('Authorization', `Bearer ${ok.body.token}`).expect(200);
    });

    it('a success clears the failure count', async () => {
      await createAccount(t, 'unohtelija@test.fi', ['staff']);
      for (let i = 0; i < 4; i++) {
        await t.http.post('/api/v1/auth/login').send({ email: 'unohtelija@test.fi', password: `wrong-${i}-password` }).expect(401);
      }
      await t.http.post('/api/v1/auth/login').send({ email: 'unohtelija@test.fi', password: PASSWORD }).expect(200);
      for (let i = 0; i < 4; i++) {
        await t.http.post('/api/v1/auth/login').send({ email: 'unohtelija@test.fi', password: `wrong-${i}-password` }).expect(401);
      }
      await t.http.post('/api/v1/auth/login').send({ email: 'unohtelija@test.fi', password: PASSWORD }).expect(200);
    });
  });

  describe('sessions', () => {
    it('logout ends the session: the token is then 401', async () => {
      const token = await login(t, 'hoitaja@test.fi');
      await t.http.get('/api/v1/staff/me').set('Authorization', token).expect(200);
      const res = await t.http.post('/api/v1/auth/logout').set('Authorization', token).expect(204);
      const cleared = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('session='));
      expect(cleared).toMatch(/^session=;/);
      await t.http.get('/api/v1/staff/me').set('Authorization', token).expect(401);
      await t.http.post('/api/v1/auth/logout').set('Authorization', token).expect(401);
      // Other sessions of the same person are not touched.
      await t.http.get('/api/v1/staff/me').set('Authorization', admin).expect(200);
    });

    it('logout works with the cookie too (from the service\'s own origin)', async () => {
      const res = await t.http.post('/api/v1/auth/login').send({ email: 'hoitaja@test.fi', password: PASSWORD, session: 'cookie' }).expect(200);
      const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0].split(';')[0];
      const origin = new URL(t.app.get(AppConfig).publicUrl).origin;
      await t.http.post('/api/v1/auth/logout').set('Cookie', cookie).set('Origin', origin).expect(204);
      await t.http.get('/api/v1/staff/me').set('Cookie', cookie).expect(401);
    });

    it('a session expires after SESSION_TTL (480 minutes by default)', async () => {
      const res = await t.http.post('/api/v1/auth/login').send({ email: 'hoitaja@test.fi', password: PASSWORD }).expect(200);
      const loggedInAt = t.clock.now().getTime();
      expect(new Date(res.body.expiresAt).getTime()).toBe(loggedInAt + 480 * 60_000);
      const token = `Bearer ${res.body.token}`;

      t.clock.advanceMinutes(479);
      await t.http.get('/api/v1/staff/me').set('Authorization', token).expect(200);
      t.clock.advanceMinutes(2);
      const expired = await t.http.get('/api/v1/staff/me').set('Authorization', token).expect(401);
      expect(expired.body.code).toBe('unauthenticated');

      admin = await login(t, 'admin@test.fi'); // the suite's admin session expired with it
    });
  });

  describe('admin API', () => {
    let staffToken: string;

    beforeAll(async () => {
      staffToken = await login(t, 'hoitaja@test.fi');
    });

    const adminOnly: [string, string, () => Record<string, unknown>][] = [
      ['POST', '/api/v1/units', () => ({ ...UNIT, code: 'kielletty-yksikko' })],
      ['POST', '/api/v1/staff', () => ({ email: 'kielletty@test.fi', name: 'Kielletty', password: PASSWORD, roles: ['staff'], languages: ['fi'], unitIds: [] })],
      ['POST', '/api/v1/services', () => ({ code: 'kielletty-palvelu', unitId: '00000000-0000-4000-8000-000000000000', name: UNIT.name, durationMinutes: 20, channels: ['phone'] })],
      ['GET', '/api/v1/units', () => ({})],
      ['GET', '/api/v1/staff', () => ({})],
      ['GET', '/api/v1/admin/services', () => ({})],
    ];

    it.each(adminOnly)('%s %s is 403 for a staff-role user and 401 without a session', async (method, path, body) => {
      const call = () => (method === 'POST' ? t.http.post(path).send(body()) : t.http.get(path));
      const forbidden = await call().set('Authorization', staffToken).set('Accept-Language', 'sv');
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toMatchObject({ code: 'forbidden', message: 'Du har inte rätt att göra detta.' });
      const anonymous = await call();
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('unauthenticated');
    });

    it('nothing was created by the refused calls', async () => {
      const [{ units }] = await t.db.query(`SELECT count(*)::int AS units FROM unit WHERE code = 'kielletty-yksikko'`);
      const [{ staff }] = await t.db.query(`SELECT count(*)::int AS staff FROM staff WHERE email = 'kielletty@test.fi'`);
      const [{ services }] = await t.db.query(`SELECT count(*)::int AS services FROM service WHERE code = 'kielletty-palvelu'`);
      expect({ units, staff, services }).toEqual({ units: 0, staff: 0, services: 0 });
    });

    it('admin creates, lists, gets and patches units; a duplicate code is 409', async () => {
      const created = await t.http.post('/api/v1/units').set('Authorization', admin).send(UNIT).expect(201);
      expect(created.body).toMatchObject({ code: UNIT.code, name: UNIT.name, address: UNIT.address, email: null });
      expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
      const id = created.body.id;

      const list = await t.http.get('/api/v1/units').set('Authorization', admin).expect(200);
      expect(list.body.map((u: { code: string }) => u.code)).toContain(UNIT.code);

      const got = await t.http.get(`/api/v1/units/${id}`).set('Authorization', admin).expect(200);
      expect(got.body).toMatchObject({ id, code: UNIT.code });

      const patched = await t.http.patch(`/api/v1/units/${id}`).set('Authorization', admin).send({ email: 'kallio@test.fi', municipalityCode: '091' }).expect(200);
      expect(patched.body).toMatchObject({ id, code: UNIT.code, email: 'kallio@test.fi', municipalityCode: '091' });
      const again = await t.http.get(`/api/v1/units/${id}`).set('Authorization', admin).expect(200);
      expect(again.body).toMatchObject({ email: 'kallio@test.fi', municipalityCode: '091', name: UNIT.name, address: UNIT.address });

      // The code is fixed once created.
      await t.http.patch(`/api/v1/units/${id}`).set('Authorization', admin).send({ code: 'toinen-koodi' }).expect(400);

      const duplicate = await t.http.post('/api/v1/units').set('Authorization', admin).set('Accept-Language', 'en').send({ ...UNIT, name: { fi: 'Toinen', sv: 'Annan', en: 'Other' } });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toMatchObject({ code: 'already_exists', message: 'A record with the same identifier already exists (code).' });
      const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM unit WHERE code = $1`, [UNIT.code]);
      expect(count).toBe(1);

      await t.http.get('/api/v1/units/00000000-0000-4000-8000-000000000000').set('Authorization', admin).expect(404);
    });

    it('admin creates, lists, gets and patches staff; the password hash never shows', async () => {
      const [unit] = await t.db.query(`SELECT id FROM unit WHERE code = $1`, [UNIT.code]);
      const created = await t.http
        .post('/api/v1/staff')
        .set('Authorization', admin)
        .send({ email: 'Terttu.Terveydenhoitaja@test.fi', name: 'Terttu Terveydenhoitaja', password: 'uusi-salasana-2026', roles: ['staff'], languages: ['fi', 'sv'], unitIds: [unit.id] })
        .expect(201);
      expectNoPasswordHash(created.body);
      expect(created.body).toMatchObject({ name: 'Terttu Terveydenhoitaja', roles: ['staff'], languages: ['fi', 'sv'], active: true });
      expect(created.body.units.map((u: { id: string }) => u.id)).toEqual([unit.id]);
      const id = created.body.id;

      const list = await t.http.get('/api/v1/staff').set('Authorization', admin).expect(200);
      expectNoPasswordHash(list.body);
      expect(list.body.map((s: { id: string }) => s.id)).toContain(id);

      const got = await t.http.get(`/api/v1/staff/${id}`).set('Authorization', admin).expect(200);
      expectNoPasswordHash(got.body);
      expect(got.body.id).toBe(id);

      const patched = await t.http.patch(`/api/v1/staff/${id}`).set('Authorization', admin).send({ name: 'Terttu T.', password: 'vaihdettu-salasana-2026' }).expect(200);
      expectNoPasswordHash(patched.body);
      expect(patched.body.name).toBe('Terttu T.');

      // The new password works (e-mail matched without regard to case); the old one does not.
      await t.http.post('/api/v1/auth/login').send({ email: 'terttu.terveydenhoitaja@test.fi', password: 'uusi-salasana-2026' }).expect(401);
      const loggedIn = await t.http.post('/api/v1/auth/login').send({ email: 'terttu.terveydenhoitaja@test.fi', password: 'vaihdettu-salasana-2026' }).expect(200);
      expectNoPasswordHash(loggedIn.body);
      const me = await t.http.get('/api/v1/staff/me').set('Authorization', `Bearer ${loggedIn.body.token}`).expect(200);
      expectNoPasswordHash(me.body);

      // Deactivated staff cannot sign in, and their sessions stop working.
      await t.http.patch(`/api/v1/staff/${id}`).set('Authorization', admin).send({ active: false }).expect(200);
      await t.http.get('/api/v1/staff/me').set('Authorization', `Bearer ${loggedIn.body.token}`).expect(401);
      await t.http.post('/api/v1/auth/login').send({ email: 'terttu.terveydenhoitaja@test.fi', password: 'vaihdettu-salasana-2026' }).expect(401);

      // The same e-mail in another case is a duplicate.
      const duplicate = await t.http
        .post('/api/v1/staff')
        .set('Authorization', admin)
        .send({ email: 'terttu.terveydenhoitaja@TEST.fi', name: 'Kopio', password: 'uusi-salasana-2026', roles: ['staff'], languages: ['fi'], unitIds: [] });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.code).toBe('already_exists');
    });

    it('staff creation with an unknown unitId is 422 naming unitIds, and nothing is stored', async () => {
      const res = await t.http
        .post('/api/v1/staff')
        .set('Authorization', admin)
        .set('Accept-Language', 'en')
        .send({ email: 'orpo@test.fi', name: 'Orpo', password: 'uusi-salasana-2026', roles: ['staff'], languages: ['fi'], unitIds: ['00000000-0000-4000-8000-000000000000'] });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'unknown_reference', message: 'The referenced item does not exist: unitIds.' });
      const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM staff WHERE email = 'orpo@test.fi'`);
      expect(count).toBe(0);
    });

    it('admin creates, lists, gets and patches services', async () => {
      const [unit] = await t.db.query(`SELECT id FROM unit WHERE code = $1`, [UNIT.code]);
      const body = {
        code: 'neuvolakaynti',
        unitId: unit.id,
        name: { fi: 'Neuvolakäynti', sv: 'Rådgivningsbesök', en: 'Clinic visit' },
        durationMinutes: 30,
        channels: ['in-person'],
      };
      const created = await t.http.post('/api/v1/services').set('Authorization', admin).send(body).expect(201);
      expect(created.body).toMatchObject({ ...body, active: true });
      const id = created.body.id;

      const publicList = await t.http.get('/api/v1/services').expect(200);
      expect(publicList.body.map((s: { id: string }) => s.id)).toContain(id);
      const got = await t.http.get(`/api/v1/services/${id}`).expect(200);
      expect(got.body).toMatchObject({ id, code: 'neuvolakaynti', durationMinutes: 30 });

      const patched = await t.http.patch(`/api/v1/services/${id}`).set('Authorization', admin).send({ minNoticeMinutes: 60, active: false }).expect(200);
      expect(patched.body).toMatchObject({ id, minNoticeMinutes: 60 });
      expect((await t.http.get(`/api/v1/admin/services`).set('Authorization', admin).expect(200)).body.find((s: { id: string }) => s.id === id)).toMatchObject({
        minNoticeMinutes: 60, active: false, durationMinutes: 30, name: body.name,
      });
      // Inactive: gone from the families' list, still in the admin list.
      const afterPublic = await t.http.get('/api/v1/services').expect(200);
      expect(afterPublic.body.map((s: { id: string }) => s.id)).not.toContain(id);
      const adminList = await t.http.get('/api/v1/admin/services').set('Authorization', admin).expect(200);
      expect(adminList.body.find((s: { id: string }) => s.id === id)).toMatchObject({ active: false, minNoticeMinutes: 60 });

      // Duration shapes published slots: it cannot be patched.
      await t.http.patch(`/api/v1/services/${id}`).set('Authorization', admin).send({ durationMinutes: 45 }).expect(400);
      await t.http.patch(`/api/v1/services/${id}`).set('Authorization', staffToken).send({ minNoticeMinutes: 0 }).expect(403);

      const duplicate = await t.http.post('/api/v1/services').set('Authorization', admin).send(body);
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.code).toBe('already_exists');
      const unknownUnit = await t.http.post('/api/v1/services').set('Authorization', admin).send({ ...body, code: 'orpo-palvelu', unitId: '00000000-0000-4000-8000-000000000000' });
      expect(unknownUnit.status).toBe(422);
      expect(unknownUnit.body.code).toBe('unknown_reference');
    });

    it('POST and PATCH answer with the whole record: defaults and unchanged fields included', async () => {
      const unit = await t.http.post('/api/v1/units').set('Authorization', admin).send({ ...UNIT, code: 'kokonainen' }).expect(201);
      const patchedUnit = await t.http.patch(`/api/v1/units/${unit.body.id}`).set('Authorization', admin).send({ phone: '09 123 4567' }).expect(200);
      expect(patchedUnit.body).toEqual({ ...unit.body, phone: '09 123 4567' });

      const name = { fi: 'Puhelinaika', sv: 'Telefontid', en: 'Phone time' };
      const created = await t.http
        .post('/api/v1/services')
        .set('Authorization', admin)
        .send({ code: 'puhelinaika', unitId: unit.body.id, name, durationMinutes: 15, channels: ['phone'] })
        .expect(201);
      const stored = await t.http.get(`/api/v1/services/${created.body.id}`).expect(200);
      expect(stored.body).toMatchObject({ capacity: 1, bufferMinutes: 0, minNoticeMinutes: 120, horizonDays: 28, changeDeadlineMinutes: 1440, languages: ['fi', 'sv', 'en'] });
      expect(created.body).toEqual(stored.body);

      const patched = await t.http.patch(`/api/v1/services/${created.body.id}`).set('Authorization', admin).send({ horizonDays: 14 }).expect(200);
      expect(patched.body).toEqual({ ...stored.body, horizonDays: 14 });
    });
  });
});
