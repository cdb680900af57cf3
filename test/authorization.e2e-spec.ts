import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { RequestMethod, type Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';
import type { Express } from 'express';
import { TestClock } from '@app/platform';
import { BookingFixture, WEEKDAYS } from './support/booking-fixture';
import { KOULUTERVEYS, LSI_ANONYMOUS, PYYDA_APUA } from './support/forms-examples';
import { type TestApp, login, startApp } from './support/test-app';

/**
 * Every route of the router is either checked here or exempt with a reason.
 * A checked route is called by a staff member of unit B with ids of unit A's
 * objects (alone, and mixed with B's own): it must answer 403 or 404 and
 * store nothing. A route this file does not know fails the test, so a new
 * route cannot be added without deciding who may reach what through it.
 */

const MONDAY_MORNING = '2026-03-02T07:00:00+02:00';
const PRE_INFORMATION_FORM = 'esitiedot-kouluterveydenhuolto';

/** Objects of one unit, as the test builds them. */
interface Side {
  unit: string;
  service: string;
  staff: string;
  staffEmail: string;
  /** A free slot from the weekly hours. */
  slot: string;
  /** A single slot added by hand, nobody booked. */
  manualSlot: string;
  appointment: string;
  manageToken: string;
  preInformationToken: string;
  submission: string;
  /** A help request now with this unit (forwarded there by the unit it was routed to), in its inbox. */
  inboxItem: string;
  /** A child-welfare notification now with this unit (forwarded there likewise), in its inbox. */
  notification: string;
  outbox: string;
  workingHours: string;
  extraHours: string;
  absence: string;
  /** What a family told: none of it may reach another unit. */
  secrets: string[];
}

type OwnedKind =
  | 'unit' | 'service' | 'staff' | 'slot' | 'manualSlot' | 'appointment' | 'submission' | 'inboxItem' | 'notification' | 'outbox' | 'workingHours' | 'extraHours' | 'absence';
/** Objects no unit owns (form definitions): the same value on both sides. */
type SharedKind = 'form' | 'formVersion';
type Kind = OwnedKind | SharedKind;
const SHARED: Record<SharedKind, string> = { form: PRE_INFORMATION_FORM, formVersion: '1' };

/** The id of a kind for a named place in the request (e.g. `body.serviceId`). */
type IdOf = (kind: Kind, position: string) => string;

interface Checked {
  /** What each path parameter names. */
  params: Record<string, Kind>;
  /** Otherwise valid bodies; ids come from `id` so the test can make each foreign in turn. */
  bodies?: ((id: IdOf) => object)[];
  /** The query string, its ids from `id` like the bodies' (positions `query.<name>`). */
  query?: (id: IdOf) => Record<string, string>;
  /** Credentials of the caller's own (a family's token): never foreign. */
  headers?: (own: Side) => Record<string, string>;
  /** Who may do it with B's own ids (to show the body is otherwise valid): B's staff (default) or an admin. */
  owner?: 'staff' | 'admin';
  /** Id fields of the body that are never another unit's to protect, with the reason. */
  openIds?: Record<string, string>;
}

interface Exempt {
  exempt: string;
  /** A public read: called with A's ids, and must carry no personal data of A. */
  publicRead?: { params?: Record<string, Kind>; query?: Record<string, string> };
}

const STAFF_HOURS = (id: IdOf) => ({ serviceId: id('service', 'body.serviceId'), weekday: 6, startTime: '08:00', endTime: '09:00', validFrom: '2026-03-01' });
const EXTRA_HOURS = (id: IdOf) => ({ serviceId: id('service', 'body.serviceId'), date: '2026-03-07', startTime: '10:00', endTime: '11:00' });
const SINGLE_SLOT = (id: IdOf) => ({ serviceId: id('service', 'body.serviceId'), startsAt: '2026-03-08T09:00:00+02:00' });
const withUnit = (body: (id: IdOf) => object) => (id: IdOf) => ({ ...body(id), unitId: id('unit', 'body.unitId') });
const manageToken = (own: Side) => ({ 'X-Manage-Token': own.manageToken });
const READ_PURPOSE = () => ({ purpose: 'handling' });
/** A unit neither side's: where the routed help requests arrive, and where a forward may take one. */
let elsewhere = '';

/**
 * Keyed by method and the router's path. Order matters only for the owners'
 * control calls, which run in this order (changes that end things last).
 */
const ROUTES: Record<string, Checked | Exempt> = {
  'GET /health': { exempt: 'takes no object id; says only whether the database answers' },
  'GET /api/docs': { exempt: 'the API documentation page; takes no object id' },
  'GET /api/docs-json': { exempt: 'the OpenAPI document; takes no object id' },
  'GET /api/docs-yaml': { exempt: 'the OpenAPI document; takes no object id' },
  'GET /api/docs/': { exempt: 'the API documentation page; takes no object id' },
  'GET /api/docs/index.html': { exempt: 'the API documentation page; takes no object id' },
  'GET /api/docs/swagger-ui-init.js': { exempt: 'a static script of the documentation page' },
  'GET /api/docs/docs/swagger-ui-init.js': { exempt: 'a static script of the documentation page' },
  'GET /api/docs/LICENSE': { exempt: 'the documentation viewer\'s licence text' },
  'POST /api/v1/auth/login': { exempt: 'takes no object id: signs in with e-mail and password' },
  'POST /api/v1/auth/logout': { exempt: 'takes no object id: ends the caller\'s own session' },

  // Public catalogue: anyone may read it; it must not carry what families told.
  'GET /api/v1/services': { exempt: 'public catalogue of services', publicRead: {} },
  'GET /api/v1/services/:id': { exempt: 'public catalogue: a service anyone may book', publicRead: { params: { id: 'service' } } },
  'GET /api/v1/services/:id/slots': {
    exempt: 'public catalogue: free times anyone may book',
    publicRead: { params: { id: 'service' }, query: { from: '2026-03-02', to: '2026-03-27' } },
  },
  'GET /api/v1/municipalities': { exempt: 'public list of municipalities', publicRead: {} },
  'GET /api/v1/forms/:id': { exempt: 'public: a published form anyone may fill in', publicRead: { params: { id: 'form' } } },
  'POST /api/v1/appointments': { exempt: 'public booking: families book any free slot without an account; a session grants nothing here' },
  'POST /api/v1/forms/:id/validate': { exempt: 'public: checks answers to a published form and stores nothing' },
  'POST /api/v1/forms/:id/submissions': { exempt: 'public: anyone may send a published form' },
  'POST /api/v1/forms/:id/drafts': { exempt: 'public: anyone may save a draft of a published form' },
  'GET /api/v1/form-drafts': { exempt: 'takes no object id: the draft is named by its secret resume token' },
  'PUT /api/v1/form-drafts': { exempt: 'takes no object id: the draft is named by its secret resume token' },
  'DELETE /api/v1/form-drafts': { exempt: 'takes no object id: the draft is named by its secret resume token' },
  'POST /api/v1/receipts/lookup': { exempt: 'takes no object id: the submission is named by its reference and secret receipt code; a session grants nothing here' },
  'POST /api/v1/receipts/messages': { exempt: 'takes no object id: the submission is named by its reference and secret receipt code; a session grants nothing here' },

  // Staff: their own things.
  'GET /api/v1/staff/me': { exempt: 'takes no object id: the caller\'s own account' },
  'GET /api/v1/staff/me/calendar': { exempt: 'takes no object id: the caller\'s own calendar' },
  'PATCH /api/v1/staff/me/preferences': { exempt: 'takes no object id: the caller\'s own preferences' },
  'GET /api/v1/inbox/forwarded': { exempt: 'takes no object id: what left the caller\'s own units' },

  // Admin, without an object id.
  'GET /api/v1/units': { exempt: 'takes no object id; admins only' },
  'POST /api/v1/units': { exempt: 'takes no object id; admins only' },
  'GET /api/v1/staff': { exempt: 'takes no object id; admins only' },
  'GET /api/v1/admin/services': { exempt: 'takes no object id; admins only' },
  'GET /api/v1/admin/outbox': { exempt: 'takes no object id; admins only' },
  'GET /api/v1/admin/forms': { exempt: 'takes no object id; admins only' },
  'GET /api/v1/admin/submissions': { params: {}, owner: 'admin', query: (id) => ({ unit: id('unit', 'query.unit') }) },
  'GET /api/v1/admin/access-log': { params: {}, owner: 'admin', query: (id) => ({ submission: id('inboxItem', 'query.submission'), staff: id('staff', 'query.staff') }) },
  'GET /api/v1/admin/access-log/export': { params: {}, owner: 'admin', query: (id) => ({ submission: id('inboxItem', 'query.submission') }) },
  'GET /api/v1/admin/measures': { params: {}, owner: 'admin', query: (id) => ({ unit: id('unit', 'query.unit') }) },
  'POST /api/v1/admin/forms': { exempt: 'takes no object id (the body is a new form definition); admins only' },

  // Staff calendars.
  'GET /api/v1/staff/:staffId/calendar-setup': { params: { staffId: 'staff' } },
  'POST /api/v1/staff/:staffId/working-hours': { params: { staffId: 'staff' }, bodies: [STAFF_HOURS, withUnit(STAFF_HOURS)] },
  'POST /api/v1/staff/:staffId/extra-hours': { params: { staffId: 'staff' }, bodies: [EXTRA_HOURS, withUnit(EXTRA_HOURS)] },
  'POST /api/v1/staff/:staffId/absences': {
    params: { staffId: 'staff' },
    bodies: [() => ({ startsAt: '2026-03-21T00:00:00+02:00', endsAt: '2026-03-22T00:00:00+02:00', reason: 'Koulutus' })],
  },
  'POST /api/v1/staff/:staffId/slots': { params: { staffId: 'staff' }, bodies: [SINGLE_SLOT, withUnit(SINGLE_SLOT)] },
  'POST /api/v1/slots/:id/block': { params: { id: 'slot' } },
  'POST /api/v1/slots/:id/unblock': { params: { id: 'slot' } },

  // Appointments, by staff.
  'POST /api/v1/staff/appointments': {
    params: {},
    bodies: [(id) => ({ slotId: id('slot', 'body.slotId'), language: 'fi', contact: { name: 'Perhe Virtanen', phone: '040 123 4567' } })],
  },
  'GET /api/v1/staff/appointments/:id': { params: { id: 'appointment' } },
  'GET /api/v1/staff/appointments/:id/pre-information/:submissionId/pdf': { params: { id: 'appointment', submissionId: 'submission' } },
  'POST /api/v1/staff/appointments/:id/reschedule': {
    params: { id: 'appointment' },
    bodies: [(id) => ({ slotId: id('slot', 'body.slotId') }), (id) => ({ slotId: id('slot', 'body.slotId'), allowOtherLanguage: true })],
  },

  // Appointments, by families with the manage token (the caller's own token, another's id).
  'GET /api/v1/appointments/:id': { params: { id: 'appointment' }, headers: manageToken },
  // The new slot is public (families may book any): only the appointment is the caller's or not.
  'POST /api/v1/appointments/:id/reschedule': {
    params: { id: 'appointment' },
    headers: manageToken,
    bodies: [() => ({ slotId: '$OWN_SLOT' })],
    openIds: { slotId: 'families may move to any free slot of their service, as they may book any' },
  },
  'POST /api/v1/appointments/:id/pre-information': {
    params: { id: 'appointment' },
    headers: (own) => ({ 'X-Pre-Information-Token': own.preInformationToken }),
    bodies: [() => ({ language: 'fi', answers: KOULUTERVEYS })],
  },

  // Admin, with an object id: staff are refused whatever the id.
  'GET /api/v1/units/:id': { params: { id: 'unit' }, owner: 'admin' },
  'PATCH /api/v1/units/:id': { params: { id: 'unit' }, owner: 'admin', bodies: [() => ({ address: 'Uusi katu 2, Helsinki' })] },
  'GET /api/v1/staff/:id': { params: { id: 'staff' }, owner: 'admin' },
  'PATCH /api/v1/staff/:id': {
    params: { id: 'staff' },
    owner: 'admin',
    bodies: [
      () => ({ languages: ['fi', 'sv'] }), (id) => ({ unitIds: [id('unit', 'body.unitIds')] }), (id) => ({ handlerUnitIds: [id('unit', 'body.handlerUnitIds')] }),
    ],
  },
  'POST /api/v1/staff': {
    params: {},
    owner: 'admin',
    bodies: [(id) => ({
      email: 'uusi@test.fi', name: 'Uusi Hoitaja', password: 'correct-horse-battery', roles: ['staff'], languages: ['fi'],
      unitIds: [id('unit', 'body.unitIds')], handlerUnitIds: [id('unit', 'body.handlerUnitIds')],
    })],
  },
  'POST /api/v1/services': {
    params: {},
    owner: 'admin',
    bodies: [(id) => ({
      code: 'uusi-palvelu', unitId: id('unit', 'body.unitId'), name: { fi: 'Uusi', sv: 'Ny', en: 'New' }, durationMinutes: 30, channels: ['phone'],
    })],
  },
  'PATCH /api/v1/services/:id': { params: { id: 'service' }, owner: 'admin', bodies: [() => ({ horizonDays: 21 })] },
  'POST /api/v1/admin/outbox/:id/retry': { params: { id: 'outbox' }, owner: 'admin' },
  'GET /api/v1/admin/forms/:id/:version': { params: { id: 'form', version: 'formVersion' }, owner: 'admin' },
  'POST /api/v1/admin/forms/:id/:version/publish': { params: { id: 'form', version: 'formVersion' }, owner: 'admin' },

  // Unit inboxes: handlers of B with A's submissions.
  'GET /api/v1/inbox': { params: {}, query: (id) => ({ unit: id('unit', 'query.unit') }) },
  'GET /api/v1/inbox/:id': { params: { id: 'inboxItem' }, query: READ_PURPOSE },
  'GET /api/v1/inbox/:id/pdf': { params: { id: 'inboxItem' }, query: READ_PURPOSE },
  'POST /api/v1/inbox/:id/notes': { params: { id: 'inboxItem' }, bodies: [() => ({ text: 'Soitettu, ei vastannut.' })] },
  'POST /api/v1/inbox/:id/messages': { params: { id: 'inboxItem' }, bodies: [() => ({ text: 'Kiitos viestistä, soitamme huomenna.' })] },
  'POST /api/v1/inbox/:id/assign': { params: { id: 'inboxItem' }, bodies: [(id) => ({ staffId: id('staff', 'body.staffId') }), () => ({ staffId: null })] },
  'POST /api/v1/inbox/:id/status': { params: { id: 'inboxItem' }, bodies: [() => ({ status: 'acknowledged' })] },
  // Legal clocks: the assessment before the decision.
  'POST /api/v1/inbox/:id/assessment': { params: { id: 'notification' }, bodies: [() => ({ result: 'not-urgent' })] },
  'POST /api/v1/inbox/:id/decision': { params: { id: 'notification' }, bodies: [() => ({ decision: 'no-case' })] },
  'POST /api/v1/inbox/:id/informed': { params: { id: 'notification' }, bodies: [() => ({ who: 'guardians' })] },
  'POST /api/v1/inbox/:id/first-contact': { params: { id: 'inboxItem' }, bodies: [() => ({ channel: 'phone' })] },

  // Changes that end things: their owners' control calls run last.
  'POST /api/v1/staff/appointments/:id/status': { params: { id: 'appointment' }, bodies: [() => ({ status: 'noshow' })] },
  'DELETE /api/v1/slots/:id': { params: { id: 'manualSlot' } },
  'DELETE /api/v1/staff/:staffId/working-hours/:id': { params: { staffId: 'staff', id: 'workingHours' } },
  'DELETE /api/v1/staff/:staffId/extra-hours/:id': { params: { staffId: 'staff', id: 'extraHours' } },
  'DELETE /api/v1/staff/:staffId/absences/:id': { params: { staffId: 'staff', id: 'absence' } },
  'POST /api/v1/appointments/:id/cancel': { params: { id: 'appointment' }, headers: manageToken, bodies: [() => ({ reason: 'Sairastuminen' })] },
  'POST /api/v1/staff/appointments/:id/cancel': { params: { id: 'appointment' }, bodies: [() => ({ reason: 'Sairastuminen' })] },
  'POST /api/v1/admin/forms/:id/:version/retire': { params: { id: 'form', version: 'formVersion' }, owner: 'admin' },
  'POST /api/v1/inbox/:id/forward': {
    params: { id: 'inboxItem' },
    bodies: [() => ({ unitId: elsewhere, reason: 'Kuuluu toiselle yksikölle.' })],
    openIds: { unitId: 'a handler may forward to any existing unit: that is what forwarding is for; only the submission must be theirs' },
  },
};

/**
 * The citizens' HTML pages (outside /api) read no staff credential: each
 * appointment page opens only with that appointment's manage token, and
 * test/pages checks every page route (tokens, form tokens, accessibility).
 */
function pageRoute(path: string): Exempt | undefined {
  return /^\/(api|health)(\/|$)/.test(path) ? undefined : { exempt: 'a citizen page: no staff credential is read; covered route by route in test/pages' };
}

interface Call {
  method: string;
  path: string;
  body?: object;
  query?: Record<string, string>;
  headers: Record<string, string>;
  /** Which places held the other unit's ids. */
  foreign: string[];
}

/** The routes the running application registered with Express: `METHOD /path`, with their parameter names. */
function registeredRoutes(t: TestApp): { key: string; method: string; path: string; params: string[] }[] {
  const express = t.app.getHttpAdapter().getInstance() as Express & { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  const routes = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    const { path, methods } = layer.route;
    for (const method of Object.keys(methods).filter((m) => methods[m])) {
      const upper = method.toUpperCase();
      routes.push({ key: `${upper} ${path}`, method: upper, path, params: [...path.matchAll(/:(\w+)/g)].map((m) => m[1]) });
    }
  }
  return routes;
}

/** Body fields that name objects (`…Id`, `…Ids`) of each route's DTO, from Nest's route metadata and class-validator's. */
function bodyIdFields(t: TestApp): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type;
      const base = [Reflect.getMetadata(PATH_METADATA, controller)].flat()[0] ?? '';
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        const path = name === 'constructor' ? undefined : Reflect.getMetadata(PATH_METADATA, handler);
        if (path === undefined) continue;
        const args: Record<string, { index: number }> = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {};
        const types: Type[] = Reflect.getMetadata('design:paramtypes', controller.prototype, name) ?? [];
        const body = Object.entries(args).find(([key]) => key.startsWith(`${RouteParamtypes.BODY}:`));
        const dto = body && types[body[1].index];
        if (!dto || dto === Object) continue;
        const fields = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName).filter((p) => /Ids?$/.test(p));
        const key = `${RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler)]} /${[base, path].filter(Boolean).join('/')}`.replace(/\/+$/, '');
        if (fields.length) found.set(key, [...new Set(fields)]);
      }
    }
  }
  return found;
}

describe('authorization across units', () => {
  let t: TestApp;
  let f: BookingFixture;
  let a: Side;
  let b: Side;
  let bAuth: string;

  async function side(code: string, email: string, family: { name: string; email: string; phone: string; child: string; note: string; pupil: string; help: string }): Promise<Side> {
    const unit = await f.unit(code);
    // Keeps the unit's calendar and handles its inbox.
    const staff = await f.staff(email, [unit], ['fi'], [unit]);
    const service = await f.service(unit, { preInformationForm: PRE_INFORMATION_FORM });
    const hours = (await f.hours(staff, service, WEEKDAYS, '08:00', '12:00')) as unknown as { item: { id: string } };
    const auth = await login(t, email);
    const extra = await t.http.post('/api/v1/staff/me/extra-hours').set('Authorization', auth)
      .send({ serviceId: service, date: '2026-03-14', startTime: '10:00', endTime: '11:00' }).expect(201);
    const absence = await t.http.post('/api/v1/staff/me/absences').set('Authorization', auth)
      .send({ startsAt: '2026-03-20T00:00:00+02:00', endsAt: '2026-03-21T00:00:00+02:00' }).expect(201);
    const manual = await t.http.post('/api/v1/staff/me/slots').set('Authorization', auth)
      .send({ serviceId: service, startsAt: '2026-03-15T09:00:00+02:00' }).expect(201);
    const [booked, free] = await f.slots(service, '2026-03-03', '2026-03-03');
    const booking = await f.book(booked.id, {
      contact: { name: family.name, email: family.email, phone: family.phone }, childName: family.child, note: family.note,
    }).expect(201);
    const { appointment, manageToken, preInformation } = booking.body;
    const sent = await t.http.post(`/api/v1/appointments/${appointment.id}/pre-information`).set('X-Pre-Information-Token', preInformation.token)
      .send({ language: 'fi', answers: { ...KOULUTERVEYS, pupilName: family.pupil } }).expect(201);
    const [outbox] = await t.db.query(`SELECT id FROM outbox WHERE appointment_id = $1 ORDER BY created_at LIMIT 1`, [appointment.id]);
    // A help request reaches the unit it is routed to, whose handler forwards it here.
    const helpRequest = await t.http.post('/api/v1/forms/pyyda-apua/submissions')
      .send({ language: 'fi', answers: { ...PYYDA_APUA, message: family.help } }).expect(201);
    await t.http.post(`/api/v1/inbox/${helpRequest.body.id}/forward`).set('Authorization', await login(t, 'ohjaus@test.fi'))
      .send({ unitId: unit, reason: 'Perhe asioi tässä yksikössä.' }).expect(200);
    const notification = await t.http.post('/api/v1/forms/lastensuojeluilmoitus/submissions')
      .send({ language: 'fi', answers: { ...LSI_ANONYMOUS, concernDescription: family.help } }).expect(201);
    await t.http.post(`/api/v1/inbox/${notification.body.id}/forward`).set('Authorization', await login(t, 'lsi-ohjaus@test.fi'))
      .send({ unitId: unit, reason: 'Lapsi asuu yksikön alueella.' }).expect(200);
    return {
      unit, service, staff, staffEmail: email, slot: free.id, manualSlot: manual.body.id, appointment: appointment.id, manageToken,
      preInformationToken: preInformation.token, submission: sent.body.id, inboxItem: helpRequest.body.id, notification: notification.body.id, outbox: outbox.id, workingHours: hours.item.id,
      extraHours: extra.body.item.id, absence: absence.body.item.id,
      secrets: [family.name, family.email, family.phone, family.child, family.note, family.pupil, family.help, email],
    };
  }

  /** md5 of every table's rows, by table name. */
  async function checksums(): Promise<Record<string, string>> {
    const tables: { name: string }[] = await t.db.query(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    // Bookkeeping of who is signed in and of attempt counters changes with every request by design
    // (sessions, login throttling, rate limits); it holds no business object another unit could change.
    const counted = tables.map((r) => r.name).filter((name) => !/^session$|throttle|rate_?limit/.test(name));
    const rows: { name: string; sum: string }[] = await t.db.query(
      counted.map((name) => `SELECT '${name}' AS name, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS sum FROM "${name}" x`).join(' UNION ALL '),
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.sum]));
  }

  function changed(before: Record<string, string>, after: Record<string, string>): string[] {
    return Object.keys({ ...before, ...after }).filter((name) => before[name] !== after[name]);
  }

  beforeAll(async () => {
    t = await startApp({ clock: new TestClock(MONDAY_MORNING) });
    f = await BookingFixture.create(t);
    elsewhere = await f.unit('perheneuvonta');
    await f.staff('ohjaus@test.fi', [], ['fi'], [elsewhere]);
    await f.staff('lsi-ohjaus@test.fi', [], ['fi'], [await f.unit('lastensuojelu-ilmoitukset')]);
    a = await side('yksikko-a', 'hoitaja-a@test.fi', {
      name: 'Aino Salainen', email: 'aino.salainen@example.fi', phone: '040 765 4321', child: 'Aapo Salainen', note: 'Isä ei saa tietää', pupil: 'Aada Salainen',
      help: 'Pelkään puolisoani, apua Salaiselle',
    });
    b = await side('yksikko-b', 'hoitaja-b@test.fi', {
      name: 'Bertta Bäck', email: 'bertta@example.fi', phone: '050 111 2222', child: 'Bruno Bäck', note: 'Ei erityistä', pupil: 'Britta Bäck',
      help: 'Bäckin perhe tarvitsee tukea',
    });
    // Only a failed message can be retried: B's, for the administrator's control call.
    await t.db.query(`UPDATE outbox SET status = 'failed' WHERE id = $1`, [b.outbox]);
    bAuth = await login(t, b.staffEmail);
  });
  afterAll(() => t.close());

  /** The calls to make for a checked route: all ids A's, then each one A's among B's own. */
  function callsOf(path: string, method: string, entry: Checked): Call[] {
    const calls: Call[] = [];
    for (const body of entry.bodies ?? [undefined]) {
      const bodyPositions: string[] = [];
      body?.((kind, position) => {
        if (!(kind in SHARED)) bodyPositions.push(position);
        return '';
      });
      const paramPositions = Object.entries(entry.params).filter(([, kind]) => !(kind in SHARED)).map(([name]) => `:${name}`);
      const queryPositions: string[] = [];
      entry.query?.((kind, position) => {
        if (!(kind in SHARED)) queryPositions.push(position);
        return '';
      });
      const positions = [...paramPositions, ...queryPositions, ...bodyPositions];
      const foreignSets = positions.length > 1 ? [positions, ...positions.map((p) => [p])] : [positions];
      for (const foreign of foreignSets) {
        // B's own staff id is both `me` and the uuid.
        for (const me of paramPositions.includes(':staffId') && !foreign.includes(':staffId') ? [true, false] : [false]) {
          calls.push(build(path, method, entry, body, foreign, me));
        }
      }
    }
    return calls;
  }

  function build(path: string, method: string, entry: Checked, body: ((id: IdOf) => object) | undefined, foreign: string[], me: boolean): Call {
    const id: IdOf = (kind, position) => {
      if (kind in SHARED) return SHARED[kind as SharedKind];
      if (foreign.includes(position)) return a[kind as OwnedKind];
      return me && position === ':staffId' ? 'me' : b[kind as OwnedKind];
    };
    const filled = path.replace(/:(\w+)/g, (_, name: string) => id(entry.params[name], `:${name}`));
    const payload = body && JSON.parse(JSON.stringify(body(id)).replaceAll('$OWN_SLOT', b.slot));
    return { method, path: filled, body: payload, query: entry.query?.(id), headers: entry.headers?.(b) ?? {}, foreign };
  }

  function send(call: Call, authorization: string) {
    const req = t.http[call.method.toLowerCase() as 'get'](call.path).query(call.query ?? {}).set('Authorization', authorization).set(call.headers);
    return call.body ? req.send(call.body) : req;
  }

  it('knows every route of the router, and every path parameter of each', () => {
    const problems: string[] = [];
    const routes = registeredRoutes(t);
    expect(routes.length).toBeGreaterThan(40);
    for (const route of routes) {
      const entry = ROUTES[route.key] ?? pageRoute(route.path);
      if (!entry) {
        problems.push(`${route.key}: not in the table; check it (ids it takes, a valid body) or exempt it with a reason`);
      } else if ('params' in entry) {
        for (const name of route.params) if (!entry.params[name]) problems.push(`${route.key}: cannot fill :${name}`);
      } else if (!entry.exempt.trim()) {
        problems.push(`${route.key}: an exemption needs a reason`);
      }
    }
    // Every id a body may carry is tried as the other unit's, or said why not.
    const bodyIds = bodyIdFields(t);
    expect(bodyIds.get('POST /api/v1/staff/:staffId/working-hours')).toEqual(['serviceId', 'unitId']);
    for (const [key, fields] of bodyIds) {
      const entry = ROUTES[key];
      if (!entry || !('params' in entry)) continue;
      const tried = new Set<string>();
      for (const body of entry.bodies ?? []) body((_, position) => (tried.add(position.replace(/^body\./, '')), ''));
      for (const field of fields) if (!tried.has(field) && !entry.openIds?.[field]) problems.push(`${key}: no body tries another unit's ${field}`);
    }
    const registered = new Set(routes.map((r) => r.key));
    for (const key of Object.keys(ROUTES)) if (!registered.has(key)) problems.push(`${key}: in the table but not a route (any more)`);
    expect(problems).toEqual([]);
  });

  it('refuses B\'s staff every route with A\'s ids (403 or 404) and stores nothing', async () => {
    const failures: string[] = [];
    let count = 0;
    for (const route of registeredRoutes(t)) {
      const entry = ROUTES[route.key];
      if (!entry || !('params' in entry)) continue;
      for (const call of callsOf(route.path, route.method, entry)) {
        const before = await checksums();
        const res = await send(call, bAuth);
        const after = await checksums();
        count++;
        const what = `${call.method} ${call.path} (A's: ${call.foreign.join(', ') || 'none'})`;
        if (res.status !== 403 && res.status !== 404) failures.push(`${what}: ${res.status} ${res.body?.code ?? ''}`);
        const touched = changed(before, after);
        if (touched.length) failures.push(`${what}: changed ${touched.join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThan(60);
  });

  it('lets anyone read the public catalogue, without anything a family of A told', async () => {
    for (const route of registeredRoutes(t)) {
      const entry = ROUTES[route.key];
      if (!entry || !('exempt' in entry) || !entry.publicRead) continue;
      const { params = {}, query = {} } = entry.publicRead;
      const path = route.path.replace(/:(\w+)/g, (_, name: string) => {
        const kind = params[name];
        return kind in SHARED ? SHARED[kind as SharedKind] : a[kind as OwnedKind];
      });
      for (const caller of [bAuth, '']) {
        const res = await t.http.get(path).query(query).set(caller ? { Authorization: caller } : {}).expect(200);
        const text = JSON.stringify(res.body);
        for (const secret of a.secrets) expect({ route: route.key, leaked: text.includes(secret) ? secret : null }).toEqual({ route: route.key, leaked: null });
      }
    }
  });

  describe('hours and single slots in another unit\'s service', () => {
    it('refuses them with 403 for `me` and the own id, with or without a unit, and stores nothing', async () => {
      const tables = ['working_hours', 'extra_hours', 'slot'];
      const count = async () => t.db.query(tables.map((x) => `SELECT '${x}' AS t, count(*)::int AS n FROM ${x}`).join(' UNION ALL '));
      const before = await count();
      const bodies = {
        'working-hours': { weekday: 6, startTime: '08:00', endTime: '09:00', validFrom: '2026-03-01' },
        'extra-hours': { date: '2026-03-07', startTime: '10:00', endTime: '11:00' },
        slots: { startsAt: '2026-03-08T09:00:00+02:00' },
      };
      for (const [what, body] of Object.entries(bodies)) {
        for (const who of ['me', b.staff]) {
          // A's service (at its own unit or at B's), and B's own service at A's unit.
          for (const place of [{ serviceId: a.service }, { serviceId: a.service, unitId: a.unit }, { serviceId: a.service, unitId: b.unit }, { serviceId: b.service, unitId: a.unit }]) {
            const res = await t.http.post(`/api/v1/staff/${who}/${what}`).set('Authorization', bAuth).send({ ...body, ...place });
            expect({ what, who, place, status: res.status, code: res.body.code }).toEqual({ what, who, place, status: 403, code: 'forbidden' });
          }
        }
      }
      expect(await count()).toEqual(before);
      // Nothing of B's lands in A's service, and A's families stay out of B's reach.
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM slot WHERE staff_id = $1 AND service_id = $2`, [b.staff, a.service]);
      expect(n).toBe(0);
      expect(await f.slots(a.service, '2026-03-02', '2026-03-27', { staffId: b.staff })).toEqual([]);
      await t.http.get(`/api/v1/staff/appointments/${a.appointment}`).set('Authorization', bAuth).expect(404);
      const calendar = await t.http.get('/api/v1/staff/me/calendar').query({ from: '2026-03-02', to: '2026-03-31' }).set('Authorization', bAuth).expect(200);
      expect(calendar.body.appointments.map((x: { id: string }) => x.id)).toEqual([b.appointment]);
      for (const secret of a.secrets) expect(JSON.stringify(calendar.body)).not.toContain(secret);
    });

    it('still lets staff add them in their own unit, and admins anywhere', async () => {
      await t.http.post('/api/v1/staff/me/extra-hours').set('Authorization', bAuth)
        .send({ serviceId: b.service, unitId: b.unit, date: '2026-03-28', startTime: '10:00', endTime: '11:00' }).expect(201);
      // An administrator may lend B's staff member to unit A.
      await t.http.post(`/api/v1/staff/${b.staff}/slots`).set('Authorization', await f.admin())
        .send({ serviceId: a.service, startsAt: '2026-03-29T09:00:00+03:00' }).expect(201);
      await t.db.query(`DELETE FROM slot WHERE staff_id = $1 AND service_id = $2`, [b.staff, a.service]);
    });
  });

  it('lets the owners make the same calls (the bodies are valid; only the ids refused them)', async () => {
    const admin = await f.admin();
    const failures: string[] = [];
    const registered = new Map(registeredRoutes(t).map((r) => [r.key, r]));
    for (const [key, entry] of Object.entries(ROUTES)) {
      if (!('params' in entry)) continue;
      const route = registered.get(key)!;
      for (const body of entry.bodies ?? [undefined]) {
        const call = build(route.path, route.method, entry, body, [], true);
        const res = await send(call, entry.owner === 'admin' ? admin : bAuth);
        // Success, or a conflict with the state earlier calls left (already booked, published, cancelled): past validation and authorization.
        if (res.status >= 400 && res.status !== 409) failures.push(`${key}: ${res.status} ${res.body?.code ?? ''}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
