import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FormDefinition } from '@app/forms';
import { TestClock } from '@app/platform';
import { BookingFixture } from '../support/booking-fixture';
import { PASSWORD, type TestApp, startApp } from '../support/test-app';
import { PAGES_ORIGIN, signInOverHttp, text as pageText } from './page-helpers';

const ORIGIN = PAGES_ORIGIN;
const ROOT = join(__dirname, '..', '..');
const shipped = (id: string, version: number) => JSON.parse(readFileSync(join(ROOT, 'form-definitions', id, `${version}.json`), 'utf8'));

/** Version 3 of the help request, as an admin would write it: pretty-printed JSON. */
function version3(change: (definition: ReturnType<typeof shipped>) => void = () => {}): string {
  const definition = shipped('pyyda-apua', 2);
  definition.version = 3;
  definition.title.sv = 'Be om hjälp av familjerådgivningen';
  change(definition);
  return JSON.stringify(definition, null, 2);
}

/** The page's visible text, quotes and ampersands as written. */
const text = (res: Parameters<typeof pageText>[0]) => pageText(res).replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** The 1-based line of the first line matching `test` (the test's own reading of the file). */
const lineWhere = (source: string, test: (line: string, i: number, lines: string[]) => boolean) => source.split('\n').findIndex(test) + 1;

/** The admins' form authoring pages over plain HTTP: upload with findings by line, preview, publish, retire, and who may do it. */
describe('admin pages: form authoring', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock('2026-03-02T09:00:00+02:00'), env: { PUBLIC_URL: ORIGIN } });
    const f = await BookingFixture.create(t);
    for (const code of ['perheneuvonta', 'perheneuvonta-lansi', 'perheneuvonta-ita']) await f.unit(code);
    await f.staff('hoitaja@test.fi', [await f.unit('neuvola')]);
  });
  afterAll(() => t.close());

  const signIn = (email: string, lang = 'fi') => signInOverHttp(t.http, email, PASSWORD, lang);

  const versions = async () => (await t.db.query(`SELECT form_id || '@' || version || ':' || status AS v FROM form_definition WHERE form_id = 'pyyda-apua' ORDER BY version`)).map((r: { v: string }) => r.v);

  /** Uploads as the page's form does: multipart, the file or the pasted text. */
  function upload(session: { cookies: string; csrf: string }, content: { file?: string; source?: string }) {
    let req = t.http.post('/admin/forms').set('Cookie', session.cookies).set('Origin', ORIGIN).field('_csrf', session.csrf);
    if (content.source !== undefined) req = req.field('source', content.source);
    if (content.file !== undefined) req = req.attach('file', Buffer.from(content.file), { filename: '3.json', contentType: 'application/json' });
    return req;
  }

  it('a broken file is refused with each linter finding at its line, and nothing is stored', async () => {
    const admin = await signIn('admin@test.fi');
    const list = await t.http.get('/admin/forms').set('Cookie', admin.cookies).expect(200);
    expect(list.headers['cache-control']).toBe('no-store');
    expect(list.text).toContain('enctype="multipart/form-data"');
    expect(list.text).toContain('href="/admin/forms" aria-current="page"');
    expect(text(list)).toContain('Versio 2 Julkaistu');

    const broken = version3((d) => {
      d.pages[1].questions[1].showIf = { properties: { eiOle: { const: 'x' } }, required: ['eiOle'] };
      d.routing[1].unit = 'ei-ole-yksikko';
    });
    const showIfLine = lineWhere(broken, (l, i, all) => l.includes('"showIf"') && all[i + 2].includes('"eiOle"'));
    const unitLine = lineWhere(broken, (l) => l.includes('"unit": "ei-ole-yksikko"'));
    expect(showIfLine).toBeGreaterThan(100);
    const res = await upload(admin, { file: broken }).expect(422);
    expect(res.headers['cache-control']).toBe('no-store');
    const page = text(res);
    expect(/<title>([^<]*)/.exec(res.text)![1]).toMatch(/^Virhe: /);
    expect(page).toContain('Määrittelyssä on virheitä Rivi');
    // The summary on top links to each finding, which sits right after its line of the file.
    expect(page).toContain(`Rivi ${showIfLine}: [predicate-answers] names "eiOle", which is not an answer (/pages/1/questions/1/showIf)`);
    expect(page).toContain(`Rivi ${unitLine}: [routing-unit-known] unit "ei-ole-yksikko" does not exist (/routing/1/unit)`);
    expect(res.text).toMatch(new RegExp(`<tr id="line-${showIfLine}" class="source__line source__line--finding"><th scope="row">${showIfLine}</th><td><code>\\s*&quot;showIf&quot;: \\{</code></td></tr><tr class="source__finding" data-line="${showIfLine}">`));
    expect(res.text).toMatch(new RegExp(`<tr class="source__finding" data-line="${unitLine}"><td></td><td><p id="finding-\\d+"[^>]*><strong>Virhe: </strong>\\[routing-unit-known\\]`));
    // The lines around each finding, then the whole file numbered.
    expect(res.text).toContain(`<tr id="line-${showIfLine - 3}" class="source__line">`);
    expect(res.text).not.toContain(`id="line-${showIfLine - 4}"`);
    expect(page).toContain(`Rivit ${showIfLine + 4}–${unitLine - 4}`);
    expect(res.text).toContain(`\n${broken.split('\n').length}  }</pre>`);
    const summaryLinks = [...res.text.matchAll(/<li><a href="#(finding-\d+)">/g)].map((m) => m[1]);
    expect(summaryLinks.length).toBeGreaterThanOrEqual(2);
    for (const id of summaryLinks) expect(res.text).toContain(`id="${id}"`);
    expect(await versions()).toEqual(['pyyda-apua@1:published', 'pyyda-apua@2:published']);

    // Text that is not JSON: where the parser stopped. A comma missing at the end of line 5 stops it on line 6.
    const lines = version3().split('\n');
    lines[4] = lines[4].replace(/,$/, '');
    const notJson = await upload(admin, { source: lines.join('\n') }).expect(422);
    expect(text(notJson)).toMatch(/Rivi 6: \[json\] .*\(CommaExpected, line 6, column 3\)/);
    expect(notJson.text).toContain('<tr id="line-6" class="source__line source__line--finding">');

    // Nothing chosen, nothing pasted.
    expect(text(await upload(admin, {}).expect(422))).toContain('Valitse tiedosto tai liitä määrittely kenttään.');
    // An upload without the form token or from another site is refused before anything else.
    await t.http.post('/admin/forms').set('Cookie', admin.cookies).set('Origin', ORIGIN).attach('file', Buffer.from(version3()), '3.json').expect(403);
    await t.http.post('/admin/forms').set('Cookie', admin.cookies).set('Origin', 'https://evil.example').field('_csrf', admin.csrf).attach('file', Buffer.from(version3()), '3.json').expect(403);
    // A file larger than a definition may be is refused by the parser's limit.
    await upload(admin, { file: ' '.repeat(600 * 1024) + version3() }).expect(413);
    expect(await versions()).toEqual(['pyyda-apua@1:published', 'pyyda-apua@2:published']);
  });

  it('a good file becomes a draft version, the same as the API makes, shown in the list', async () => {
    const admin = await signIn('admin@test.fi');
    const res = await upload(admin, { file: version3() }).expect(303);
    expect(res.headers.location).toBe('/admin/forms/pyyda-apua/3?done=uploaded');
    expect(await versions()).toEqual(['pyyda-apua@1:published', 'pyyda-apua@2:published', 'pyyda-apua@3:draft']);
    const [row] = await t.db.query(`SELECT source, definition FROM form_definition WHERE form_id = 'pyyda-apua' AND version = 3`);
    expect(row).toMatchObject({ source: 'upload', definition: { title: { sv: 'Be om hjälp av familjerådgivningen' } } });
    const version = await t.http.get(res.headers.location).set('Cookie', admin.cookies).expect(200);
    expect(text(version)).toContain('Luonnos on tallennettu.');
    expect(text(version)).toContain('Tila Luonnos');
    expect(version.text).toContain('action="/admin/forms/pyyda-apua/3/publish"');
    expect(version.text).not.toContain('/retire"');
    for (const lang of ['fi', 'sv', 'en']) expect(version.text).toContain(`href="/admin/forms/pyyda-apua/3/preview?lang=${lang}"`);
    const list = await t.http.get('/admin/forms').set('Cookie', admin.cookies).expect(200);
    expect(list.text).toMatch(/<tr data-version="3"><th scope="row"><a href="\/admin\/forms\/pyyda-apua\/3">Versio 3<\/a><\/th><td><span class="tag" data-status="draft">Luonnos<\/span>/);
    // Drafts are not served to citizens.
    expect((await t.http.get('/api/v1/forms/pyyda-apua').expect(200)).body.version).toBe(2);
    // The pasted text does the same (the draft is replaced).
    await upload(admin, { source: version3((d) => { d.title.en = 'Ask the family counselling for help'; }) }).expect(303);
    expect((await t.db.query(`SELECT definition->'title'->>'en' AS en FROM form_definition WHERE form_id = 'pyyda-apua' AND version = 3`))[0].en).toBe('Ask the family counselling for help');

    // The draft's page tells what the linter says of it now: nothing, then (a warning, stored all the same) an answer version 2 had is dropped.
    expect(text(version)).toContain('Tarkistimen huomiot ennen julkaisua Tarkistin ei löydä huomautettavaa.');
    await upload(admin, {
      source: version3((d) => {
        const form = d as FormDefinition;
        delete form.answers.properties.safeContactNotes;
        for (const page of form.pages) page.questions = page.questions.filter((q) => !('answer' in q) || q.answer !== 'safeContactNotes');
      }),
    }).expect(303);
    const warned = await t.http.get('/admin/forms/pyyda-apua/3').set('Cookie', admin.cookies).expect(200);
    expect(text(warned)).toContain('Huomautus: answer "safeContactNotes" of version 2 is removed ( /answers/properties )');
    // Published versions are not linted again.
    expect(text(await t.http.get('/admin/forms/pyyda-apua/2').set('Cookie', admin.cookies).expect(200))).not.toContain('Tarkistimen huomiot');
    await upload(admin, { source: version3((d) => { d.title.en = 'Ask the family counselling for help'; }) }).expect(303); // the draft the next tests use
  });

  it('the preview shows every page with the citizens\' renderer in Swedish, and nothing can be sent', async () => {
    const admin = await signIn('admin@test.fi');
    const definition = JSON.parse(version3());
    for (const [i, page] of (definition.pages as { id: string; title: Record<string, string>; questions: { label?: Record<string, string> }[] }[]).entries()) {
      const res = await t.http.get(`/admin/forms/pyyda-apua/3/preview?lang=sv&page=${page.id}`).set('Cookie', admin.cookies).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('<html lang="sv">');
      expect(res.text).toContain('<meta name="robots" content="noindex, nofollow"/>');
      expect(res.text).toContain(`<h1>${page.title.sv}</h1>`);
      const shown = text(res);
      expect(shown).toContain(`Förhandsgranskning: Be om hjälp av familjerådgivningen, version 3 (Utkast). Så här ser invånaren blanketten. Blanketten kan inte skickas.`);
      expect(shown).toContain(`Sida ${i + 1}/${definition.pages.length}`);
      // Every question, conditional ones too, with its Swedish label.
      for (const question of page.questions) if (question.label) expect(shown).toContain(question.label.sv);
      // No form, no button: nothing to send from here.
      expect(res.text).not.toMatch(/<form|<button|type="submit"/);
    }
    // The first page by default, in the language remembered; any page in any language by the links.
    const first = await t.http.get('/admin/forms/pyyda-apua/3/preview').set('Cookie', admin.cookies).expect(200);
    expect(first.text).toContain(`<h1>${definition.pages[0].title.fi}</h1>`);
    const fi = await t.http.get(`/admin/forms/pyyda-apua/3/preview?page=${definition.pages[1].id}&lang=fi`).set('Cookie', admin.cookies).expect(200);
    expect(fi.text).toContain(`<h1>${definition.pages[1].title.fi}</h1>`);
    expect(text(fi)).toContain('Esikatselu: Pyydä apua, versio 3 (Luonnos).');
    expect(fi.text).toContain(`href="/admin/forms/pyyda-apua/3/preview?page=${definition.pages[1].id}&amp;lang=sv"`);
    await t.http.get('/admin/forms/pyyda-apua/9/preview').set('Cookie', admin.cookies).expect(404);
    await t.http.get('/admin/forms/ei-ole/1/preview').set('Cookie', admin.cookies).expect(404);
  });

  it('publish and retire ask to confirm, then change the version as the API does; a version in the wrong state is refused', async () => {
    const admin = await signIn('admin@test.fi');
    const confirm = await t.http.post('/admin/forms/pyyda-apua/3/publish').set('Cookie', admin.cookies).set('Origin', ORIGIN).type('form').send({ _csrf: admin.csrf }).expect(200);
    expect(text(confirm)).toContain('Julkaistaanko Pyydä apua, versio 3?');
    expect(confirm.text).toContain('name="confirm" value="yes"');
    expect(await versions()).toContain('pyyda-apua@3:draft');
    await t.http.post('/admin/forms/pyyda-apua/3/publish').set('Cookie', admin.cookies).set('Origin', ORIGIN).type('form').send({ confirm: 'yes' }).expect(403);
    expect(await versions()).toContain('pyyda-apua@3:draft');

    const published = await t.http.post('/admin/forms/pyyda-apua/3/publish').set('Cookie', admin.cookies).set('Origin', ORIGIN).type('form').send({ _csrf: admin.csrf, confirm: 'yes' }).expect(303);
    expect(published.headers.location).toBe('/admin/forms/pyyda-apua/3?done=published');
    expect(text(await t.http.get(published.headers.location).set('Cookie', admin.cookies).expect(200))).toContain('Versio on julkaistu.');
    expect((await t.http.get('/api/v1/forms/pyyda-apua').query({ lang: 'sv' }).expect(200)).body).toMatchObject({ version: 3, title: 'Be om hjälp av familjerådgivningen' });
    const again = await t.http.post('/admin/forms/pyyda-apua/3/publish').set('Cookie', admin.cookies).set('Origin', ORIGIN).type('form').send({ _csrf: admin.csrf, confirm: 'yes' }).expect(409);
    expect(text(again)).toContain('Vain luonnoksen voi julkaista.');

    // A published version cannot be uploaded again: the finding is at the "version" line.
    const file = version3();
    const exists = await upload(admin, { file }).expect(422);
    expect(text(exists)).toContain(`Rivi ${lineWhere(file, (l) => l.includes('"version": 3'))}: [form_version_exists] Lomakkeen versio on jo olemassa`);

    const retire = await t.http.post('/admin/forms/pyyda-apua/2/retire').set('Cookie', admin.cookies).set('Origin', ORIGIN).type('form').send({ _csrf: admin.csrf }).expect(200);
    expect(text(retire)).toContain('Poistetaanko Pyydä apua, versio 2 käytöstä?');
    expect(await versions()).toContain('pyyda-apua@2:published');
    const retired = await t.http.post('/admin/forms/pyyda-apua/2/retire').set('Cookie', admin.cookies).set('Origin', ORIGIN).type('form').send({ _csrf: admin.csrf, confirm: 'yes' }).expect(303);
    expect(retired.headers.location).toBe('/admin/forms/pyyda-apua/2?done=retired');
    expect(await versions()).toEqual(['pyyda-apua@1:published', 'pyyda-apua@2:retired', 'pyyda-apua@3:published']);
    expect(text(await t.http.get('/admin/forms').set('Cookie', admin.cookies).expect(200))).toContain('Versio 2 Poistettu käytöstä');
    const retireAgain = await t.http.post('/admin/forms/pyyda-apua/2/retire').set('Cookie', admin.cookies).set('Origin', ORIGIN).type('form').send({ _csrf: admin.csrf }).expect(409);
    expect(text(retireAgain)).toContain('Vain julkaistun version voi poistaa käytöstä.');
  });

  it('nobody but an admin reaches the form pages or changes a form', async () => {
    for (const path of ['/admin/forms', '/admin/forms/pyyda-apua/1', '/admin/forms/pyyda-apua/1/preview']) {
      expect((await t.http.get(path).expect(303)).headers.location).toBe(`/staff/login?next=${encodeURIComponent(path)}`);
    }
    const nurse = await signIn('hoitaja@test.fi');
    for (const path of ['/admin/forms', '/admin/forms/pyyda-apua/1', '/admin/forms/pyyda-apua/1/preview?lang=sv']) {
      const res = await t.http.get(path).set('Cookie', nurse.cookies);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
    const before = await versions();
    await upload(nurse, { file: version3((d) => { d.version = 4; }) }).expect(403);
    for (const action of ['publish', 'retire']) {
      await t.http.post(`/admin/forms/pyyda-apua/1/${action}`).set('Cookie', nurse.cookies).set('Origin', ORIGIN).type('form').send({ _csrf: nurse.csrf, confirm: 'yes' }).expect(403);
    }
    expect(await versions()).toEqual(before);
    expect(text(await t.http.get('/staff/calendar').set('Cookie', nurse.cookies).expect(200))).not.toContain('Lomakkeet');
  });
});
