import { Envelope, TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from '../support/booking-fixture';
import { LSI_ANONYMOUS } from '../support/forms-examples';
import { PASSWORD, type TestApp, login, startApp } from '../support/test-app';
import { PAGES_ORIGIN, signInOverHttp, text } from './page-helpers';

const ORIGIN = PAGES_ORIGIN;
const GET_PAGES = ['/admin/measures', '/admin/measures/csv', '/admin/access-log', '/admin/outbox', '/admin/settings'];

/** The administrators' pages as plain HTTP: who may reach them, the checked retry, the access log's filters and export, the settings. */
describe('admin pages: access, outbox retry, access log and settings', () => {
  let t: TestApp;
  let f: BookingFixture;
  let failedId: string;
  let lsi: string;

  beforeAll(async () => {
    t = await startApp({
      clock: new TestClock('2026-03-02T09:00:00+02:00'),
      env: { PUBLIC_URL: ORIGIN, SMTP_URL: 'smtp://mailer:s3cret-word@127.0.0.1:2599', MAIL_FROM: 'perhe@kunta.example' },
    });
    f = await BookingFixture.create(t);
    const unit = await f.unit('neuvola');
    lsi = await f.unit('lastensuojelu-ilmoitukset');
    const nurse = await f.staff('hoitaja@test.fi', [unit]);
    await f.staff('kasittelija@test.fi', [], ['fi'], [lsi]);
    const service = await f.service(unit);
    await f.hours(nurse, service, WEEKDAYS, '08:00', '12:00');
    const [slot] = await f.slots(service, '2026-03-03', '2026-03-06');
    await f.book(slot.id, { contact: { name: 'Maija Meikäläinen', email: 'maija@example.fi' } }).expect(201);
    const [row] = await t.db.query(`UPDATE outbox SET status = 'failed', attempts = 5, last_error = 'connection refused'
      WHERE id = (SELECT id FROM outbox ORDER BY created_at LIMIT 1) RETURNING id`);
    failedId = row[0].id;
  });
  afterAll(() => t.close());

  const signIn = (email: string, lang = 'fi') => signInOverHttp(t.http, email, PASSWORD, lang);

  const outboxStatus = async () => (await t.db.query(`SELECT status, attempts FROM outbox WHERE id = $1`, [failedId]))[0];

  it('an admin without calendar units starts at the measures; nobody signed out reaches an admin page', async () => {
    const admin = await signIn('admin@test.fi');
    const home = await t.http.get('/staff').set('Cookie', admin.cookies).expect(303);
    expect(home.headers.location).toBe('/admin/measures');
    for (const path of GET_PAGES) {
      const res = await t.http.get(path).expect(303);
      // The login returns to the page asked for.
      expect({ path, location: res.headers.location }).toEqual({ path, location: `/staff/login?next=${encodeURIComponent(path)}` });
    }
  });

  it('a nurse and a handler are refused every admin page (403) and see no admin link', async () => {
    for (const email of ['hoitaja@test.fi', 'kasittelija@test.fi']) {
      const { cookies, csrf } = await signIn(email);
      for (const path of GET_PAGES) {
        const res = await t.http.get(path).set('Cookie', cookies);
        expect({ email, path, status: res.status }).toEqual({ email, path, status: 403 });
        expect(res.text).not.toContain('connection refused');
      }
      const retry = await t.http.post(`/admin/outbox/${failedId}/retry`).set('Cookie', cookies).set('Origin', ORIGIN).type('form').send({ _csrf: csrf });
      expect(retry.status).toBe(403);
      const exported = await t.http.post('/admin/access-log/export').set('Cookie', cookies).set('Origin', ORIGIN).type('form').send({ _csrf: csrf, submission: failedId });
      expect(exported.status).toBe(403);
      const start = await t.http.get('/staff/inbox').set('Cookie', cookies);
      expect(start.text).not.toContain('href="/admin/');
    }
    expect(await outboxStatus()).toEqual({ status: 'failed', attempts: 5 });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM access_log WHERE action = 'export'`))[0].n).toBe(0);
  });

  it('lists the failed message; a retry without the form token, or from another site, changes nothing; with it, the message is queued again', async () => {
    const { cookies, csrf } = await signIn('admin@test.fi');
    const page = await t.http.get('/admin/outbox').set('Cookie', cookies).expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(text(page)).toContain('connection refused');
    expect(text(page)).toContain('confirmation');
    expect(page.text).toContain(`action="/admin/outbox/${failedId}/retry"`);

    const noToken = await t.http.post(`/admin/outbox/${failedId}/retry`).set('Cookie', cookies).set('Origin', ORIGIN).type('form').send({});
    expect(noToken.status).toBe(403);
    const wrongToken = await t.http.post(`/admin/outbox/${failedId}/retry`).set('Cookie', cookies).set('Origin', ORIGIN).type('form').send({ _csrf: 'x'.repeat(43) });
    expect(wrongToken.status).toBe(403);
    const otherSite = await t.http.post(`/admin/outbox/${failedId}/retry`).set('Cookie', cookies).set('Origin', 'https://evil.example').type('form').send({ _csrf: csrf });
    expect(otherSite.status).toBe(403);
    expect(await outboxStatus()).toEqual({ status: 'failed', attempts: 5 });

    const retried = await t.http.post(`/admin/outbox/${failedId}/retry`).set('Cookie', cookies).set('Origin', ORIGIN).type('form').send({ _csrf: csrf }).expect(303);
    expect(retried.headers.location).toBe('/admin/outbox?done=retried');
    expect(await outboxStatus()).toEqual({ status: 'pending', attempts: 0 });
    const after = await t.http.get('/admin/outbox?done=retried').set('Cookie', cookies).expect(200);
    expect(text(after)).toContain('Viesti on jonossa uudelleen.');
    expect(text(after)).toContain('Ei epäonnistuneita viestejä.');
    // A message that is no longer failed cannot be retried again.
    await t.http.post(`/admin/outbox/${failedId}/retry`).set('Cookie', cookies).set('Origin', ORIGIN).type('form').send({ _csrf: csrf }).expect(404);
  });

  it('the access log filters by submission, staff and period; bad filters are a 422 with the message and no rows; the export is a logged JSON download', async () => {
    const handler = await login(t, 'kasittelija@test.fi');
    const sent: { id: string; reference: string }[] = [];
    for (let i = 0; i < 2; i++) {
      sent.push((await t.http.post('/api/v1/forms/lastensuojeluilmoitus/submissions').send({ language: 'fi', answers: LSI_ANONYMOUS }).expect(201)).body);
      await t.http.get(`/api/v1/inbox/${sent[i].id}?purpose=handling`).set('Authorization', handler).expect(200);
    }
    const { cookies, csrf } = await signIn('admin@test.fi', 'en');
    const all = text(await t.http.get('/admin/access-log').set('Cookie', cookies).expect(200));
    expect(all).toContain(sent[0].reference);
    expect(all).toContain(sent[1].reference);
    const one = await t.http.get(`/admin/access-log?submission=${sent[0].id}`).set('Cookie', cookies).expect(200);
    expect(text(one)).toContain(sent[0].reference);
    expect(text(one)).not.toContain(sent[1].reference);
    expect(text(one)).toContain('Handling the case');
    expect(one.text).toContain('action="/admin/access-log/export"');
    const [staffRow] = await t.db.query(`SELECT id FROM staff WHERE email = 'kasittelija@test.fi'`);
    expect(text(await t.http.get(`/admin/access-log?staff=${staffRow.id}`).set('Cookie', cookies).expect(200))).toContain('2 in total');
    expect(text(await t.http.get(`/admin/access-log?from=2026-03-03`).set('Cookie', cookies).expect(200))).toContain('0 in total');
    const bad = await t.http.get('/admin/access-log?submission=LSI-2026-NOPE').set('Cookie', cookies).expect(422);
    expect(text(bad)).toContain('submission');
    expect(bad.text).not.toContain('action="/admin/access-log/export"');

    const noToken = await t.http.post('/admin/access-log/export').set('Cookie', cookies).set('Origin', ORIGIN).type('form').send({ submission: sent[0].id });
    expect(noToken.status).toBe(403);
    const exported = await t.http.post('/admin/access-log/export').set('Cookie', cookies).set('Origin', ORIGIN).type('form').send({ _csrf: csrf, submission: sent[0].id }).expect(200);
    expect(exported.headers['content-disposition']).toBe(`attachment; filename="access-log-${sent[0].reference}.json"`);
    expect(exported.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(exported.text);
    expect(body.submission.reference).toBe(sent[0].reference);
    expect(body.entries.map((e: { action: string }) => e.action)).toEqual(['view', 'export']);
    const rows = await t.db.query(`SELECT action, purpose FROM access_log WHERE submission_id = $1 ORDER BY at, id`, [sent[0].id]);
    expect(rows).toEqual([{ action: 'view', purpose: 'handling' }, { action: 'export', purpose: 'data-subject-request' }]);
  });

  it('settings show the version, the database, the mail server without its password, and the key id, nothing secret', async () => {
    const { cookies } = await signIn('admin@test.fi', 'sv');
    const res = await t.http.get('/admin/settings').set('Cookie', cookies).expect(200);
    const shown = text(res);
    expect(shown).toContain(`Version ${require('../../package.json').version}`);
    expect(shown).toMatch(/Databas (Inbäddad|Extern) PostgreSQL/);
    expect(shown).toContain('SMTP-server: 127.0.0.1:2599');
    expect(shown).toContain('perhe@kunta.example');
    expect(res.text).not.toContain('s3cret-word');
    expect(res.text).not.toContain('mailer');
    expect(shown).toContain(`Krypteringsnyckel i bruk ${t.app.get(Envelope).currentKeyId}`);
  });
});
