import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import type { VNode } from 'preact';
import {
  type AppointmentView, AppointmentsService, BookAppointmentDto, type BookingResult, type FreeSlotView, type Service, ServicesService, SlotsService, manageUrl,
  preInformationUrl,
} from '@app/booking';
import { calendarEvent } from '@app/notifications';
import {
  AppConfig, Clock, DomainError, type FieldError as DomainFieldError, type Lang, LocalDate, RateLimiter, helsinkiDateOf, isLang,
} from '@app/platform';
import { renderError } from '../../http/error.filter';
import { flatten } from '../../http/validation';
import { readCookie } from '../cookies';
import { PageCache } from '../page-cache';
import { type PageContext, PageContextFactory, sharedContext } from '../page-context';
import { type RenderedPage, redirectTo, renderedPage, sendPage, sendRendered } from '../render';
import {
  BookedPage, type BookingChoice, CheckBookingPage, ChoosePage, type ContactInput, ContactPage, EMPTY_CONTACT, TakenPage,
  TimesPage, choiceQuery, dateOf, weekOf,
} from './booking-pages';
import { MANAGE_COOKIE, MANAGE_COOKIE_MINUTES } from './citizen-pages';
import { MessagePage } from './message-page';
import { dateParam, maxDate } from '../format';

/** The pre-information token's cookie, beside the manage cookie: the confirmation page shows the link. */
export const PRE_INFORMATION_COOKIE = 'preinfo';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEARCH_DAYS = 31;
const NEAREST = 6;
/** Errors of a booking that mean "this time cannot be had any more": show the nearest free ones instead. */
const TAKEN = new Set(['slot_taken', 'slot_unavailable', 'slot_not_found', 'slot_in_past', 'slot_within_minimum_notice', 'slot_beyond_horizon', 'staff_overlap']);

/** What the check page carries to the confirm button: the details, an idempotency key (a double click books once), the time. */
interface State {
  c: ContactInput;
  k: string;
  s: string;
  /** The booking's language: one the chosen time's staff member speaks. */
  l?: Lang;
}

export type ContactErrors = Partial<Record<keyof ContactInput, string>>;

function encodeState(state: State): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

function decodeState(raw: unknown): State | undefined {
  if (typeof raw !== 'string' || raw.length > 20_000) return undefined;
  try {
    const state = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as State;
    if (!state || typeof state.k !== 'string' || typeof state.s !== 'string' || !state.c || typeof state.c !== 'object') return undefined;
    return { k: state.k.slice(0, 100), s: state.s.slice(0, 40), c: contactOf(state.c), l: isLang(state.l) ? state.l : undefined };
  } catch {
    return undefined;
  }
}

/** The contact fields of a posted form (strings only; anything else is empty). */
function contactOf(body: unknown): ContactInput {
  const source = (body ?? {}) as Record<string, unknown>;
  const field = (key: keyof ContactInput) => (typeof source[key] === 'string' ? (source[key] as string).slice(0, 2000) : '');
  return { name: field('name'), email: field('email'), phone: field('phone'), childName: field('childName'), note: field('note'), channel: field('channel') };
}

/** The control a validation error is about. */
const FIELD_IDS: Record<string, keyof ContactInput> = {
  'contact.name': 'name', 'contact.email': 'email', 'contact.phone': 'phone', contact: 'email', childName: 'childName', note: 'note', channel: 'channel',
};

/**
 * Booking on the pages: the service → its place and staff language when
 * there is a choice → the free times of a week, day by day → contact details
 * → check → confirmation. Books through the booking library with the same
 * rules and limits as the API (the `booking` bucket and the per-contact
 * allowance); a time taken meanwhile shows the nearest free times.
 */
@Injectable()
export class BookingFlow {
  private readonly secure: boolean;
  private readonly freeTimes: PageCache<FreeSlotView[]>;
  /** The week pages as sent: they hold nothing of the visitor (no form token), only the language and the address. */
  private readonly weekPages: PageCache<RenderedPage>;

  constructor(
    private readonly contexts: PageContextFactory,
    private readonly services: ServicesService,
    private readonly slots: SlotsService,
    private readonly appointments: AppointmentsService,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.secure = config.publicUrl.startsWith('https:');
    // A week page is rendered from lookups at most half the period old and kept at most the other half:
    // no page lags the database by more than PAGE_CACHE_MS.
    this.freeTimes = new PageCache(config.pageCacheMs / 2, { maxEntries: 2000 });
    this.weekPages = new PageCache(config.pageCacheMs / 2, { maxEntries: 500, refreshAhead: true });
  }

  /** The choice of place and language if there is one, else the week of free times. */
  async times(req: Request, res: Response, serviceId: string): Promise<void> {
    const ctx = this.contexts.create(req, res);
    const key = JSON.stringify([serviceId, this.today().toString(), ctx.lang, ctx.query]); // a new day starts a new week list
    sendRendered(req, res, await this.weekPages.get(key, async () => renderedPage(await this.timesPage(sharedContext(ctx), serviceId, req.query))));
  }

  private async timesPage(ctx: PageContext, serviceId: string, query: Request['query']): Promise<VNode> {
    const service = await this.service(serviceId);
    const choice = choiceOf(query);
    const overview = await this.search(service, this.today(), this.today().plusDays(SEARCH_DAYS - 1), {}, 500, { cached: true });
    const units = [...new Map(overview.map((s) => [s.unit.id, s.unit])).values()];
    const languages = service.languages.filter((lang) => overview.some((s) => s.staff.languages.includes(lang)));
    if (!choice.done && (units.length > 1 || languages.length > 1)) {
      return <ChoosePage ctx={ctx} service={service} units={units} languages={languages} choice={choice} />;
    }
    const asked = dateParam(query.viikko);
    const horizonEnd = this.today().plusDays(service.horizonDays);
    const earliest = await this.earliest(service, choice);
    let start = asked && earliest && !asked.isBefore(earliest) && asked.isBefore(horizonEnd) ? asked : undefined;
    const chosen = units.length > 1 || languages.length > 1 ? { text: this.choiceText(ctx, units, choice), href: `/varaa/${service.id}${choiceQuery({ ...choice, done: false })}` } : undefined;
    if (!start) {
      if (!earliest) {
        return <TimesPage ctx={ctx} title={ctx.t.booking.timesTitle} caption={service.name[ctx.lang]} days={[]} hrefFor={() => ''} none chosen={chosen} withUnit={false} />;
      }
      start = earliest;
    }
    const found = await this.search(service, start, start.plusDays(6), choice, 500, { oneStaffPerTime: true, cached: true });
    const { days, previous, next } = weekOf(found, start, earliest, horizonEnd, (date) => `/varaa/${service.id}${choiceQuery(choice, { viikko: date.toString() })}#week`);
    return (
      <TimesPage ctx={ctx} title={ctx.t.booking.timesTitle} caption={service.name[ctx.lang]} days={days} previous={previous} next={next}
        hrefFor={(slot) => this.contactHref(service, slot, choice)} chosen={chosen} withUnit={units.length > 1 && !choice.unit} />
    );
  }

  /** The contact details for a chosen time (or the nearest free times, if it went meanwhile). */
  async contact(req: Request, res: Response, serviceId: string, slotId: string): Promise<void> {
    const ctx = this.contexts.create(req, res);
    const service = await this.service(serviceId);
    const choice = choiceOf(req.query);
    const slot = await this.slots.findFree(service.id, slotId);
    if (!slot) return this.showTaken(ctx, res, service, choice, undefined, undefined);
    this.showContact(ctx, res, service, slot, choice, EMPTY_CONTACT, {});
  }

  async post(req: Request, res: Response, serviceId: string, slotId: string): Promise<void> {
    this.contexts.checkPost(req);
    const ctx = this.contexts.create(req, res);
    const service = await this.service(serviceId);
    const choice = choiceOf(req.query);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const go = body._go;
    const state = decodeState(body._state);
    if (go === 'change' && state) {
      const slot = await this.slots.findFree(service.id, slotId);
      if (!slot) return this.showTaken(ctx, res, service, choice, state, 409);
      return this.showContact(ctx, res, service, slot, choice, state.c, {});
    }
    if (go === 'confirm' && state && isLang(state.l)) {
      // No look-up first: a repeated confirm (a double click) must reach the idempotent booking, not "taken".
      const { dto, errors } = await this.validate(ctx, service, slotId, state.l, state.c);
      if (!dto) throw new DomainError('validation_failed', {}, Object.keys(errors).map((field) => ({ field, rule: 'invalid' })));
      this.limiter.hit('booking', req.ip);
      let booked;
      try {
        booked = await this.appointments.book({ type: 'anonymous' }, dto, `page:${state.k}`);
      } catch (error) {
        if (error instanceof DomainError && TAKEN.has(error.code)) return this.showTaken(ctx, res, service, choice, state, 409);
        throw error;
      } finally {
        this.freeTimes.clear();
        this.weekPages.clear();
      }
      return this.confirmed(res, booked);
    }
    const values = go === 'check' || !state ? contactOf(body) : state.c;
    const slot = await this.slots.findFree(service.id, slotId);
    if (!slot) return this.showTaken(ctx, res, service, choice, state ?? { c: values, k: randomUUID(), s: '' }, 409);
    const language = bookingLanguage(ctx, slot, choice);
    const { dto, errors } = await this.validate(ctx, service, slot.id, language, values);
    if (!dto) return this.showContact(ctx, res, service, slot, choice, values, errors, 422);
    const next: State = { c: values, k: randomUUID(), s: slot.startsAt, l: language };
    sendPage(res, <CheckBookingPage ctx={ctx} service={service} slot={slot} values={values} state={encodeState(next)} action={this.postAction(service, slot, choice)} />);
  }

  private confirmed(res: Response, booked: BookingResult): void {
    const id = booked.appointment.id;
    const cookie = { httpOnly: true, sameSite: 'lax' as const, secure: this.secure, path: `/appointments/${id}`, maxAge: MANAGE_COOKIE_MINUTES * 60_000 };
    res.cookie(MANAGE_COOKIE, booked.manageToken, cookie);
    if (booked.preInformation) res.cookie(PRE_INFORMATION_COOKIE, booked.preInformation.token, cookie);
    redirectTo(res, `/appointments/${id}/booked`);
  }

  /** The confirmation after booking (the cookies set with it open it for a while). */
  async booked(req: Request, res: Response, id: string): Promise<void> {
    const ctx = this.contexts.create(req, res);
    const found = await this.load(ctx, req, res, id);
    if (!found) return;
    const preToken = readCookie(req, PRE_INFORMATION_COOKIE);
    sendPage(res, (
      <BookedPage ctx={ctx} appointment={found.appointment} manageUrl={manageUrl(this.config.publicUrl, id, found.token)}
        preInformationUrl={preToken && TOKEN_SHAPE.test(preToken) ? preInformationUrl(this.config.publicUrl, id, preToken) : undefined} />
    ));
  }

  /** "Add to calendar": the appointment as an iCalendar file, the same event (UID) as the e-mails' invitations. */
  async calendar(req: Request, res: Response, id: string): Promise<void> {
    const ctx = this.contexts.create(req, res);
    const found = await this.load(ctx, req, res, id);
    if (!found) return;
    const a = found.appointment;
    // The event's current version: a file saved after a move replaces the earlier time in a calendar.
    const sequence = await this.appointments.calendarSequence({ type: 'family', manageToken: found.token }, id);
    const place = a.channel === 'in-person' ? [a.unit.name[ctx.lang], a.unit.address].filter(Boolean).join(', ') : ctx.t.channel[a.channel];
    const ics = calendarEvent({
      method: 'PUBLISH', uid: `${a.id}@perhe-booking`, sequence, stamp: this.clock.now(), start: new Date(a.startsAt), end: new Date(a.endsAt),
      summary: a.service.name[ctx.lang], location: place,
    });
    res.setHeader('Content-Disposition', 'attachment; filename="appointment.ics"');
    res.status(200).type('text/calendar; charset=utf-8').send(ics);
  }

  private async load(ctx: PageContext, req: Request, res: Response, id: string): Promise<{ appointment: AppointmentView; token: string } | undefined> {
    const token = readCookie(req, MANAGE_COOKIE);
    if (token && TOKEN_SHAPE.test(token)) {
      try {
        return { appointment: await this.appointments.get({ type: 'family', manageToken: token }, id), token };
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'not_found')) throw error;
      }
    }
    sendPage(res, <MessagePage ctx={ctx} title={ctx.t.manage.sessionExpiredTitle} text={ctx.t.manage.sessionExpired} noindex />, 403);
    return undefined;
  }

  private async validate(ctx: PageContext, service: Service, slotId: string, language: Lang, values: ContactInput) {
    const plain = {
      slotId,
      channel: values.channel || service.channels[0],
      language,
      contact: { name: values.name, ...(values.email.trim() ? { email: values.email.trim() } : {}), ...(values.phone.trim() ? { phone: values.phone.trim() } : {}) },
      ...(values.childName.trim() ? { childName: values.childName } : {}),
      ...(values.note.trim() ? { note: values.note } : {}),
    };
    const dto = plainToInstance(BookAppointmentDto, plain);
    const problems: DomainFieldError[] = flatten(await validate(dto, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: true, value: false } }));
    if (!values.email.trim() && !values.phone.trim()) problems.push({ field: 'contact', rule: 'contactRequired' });
    if (!service.channels.includes(plain.channel as never)) problems.push({ field: 'channel', rule: 'isIn', params: { values: service.channels.join(', ') } });
    if (!problems.length) return { dto, errors: {} };
    const errors: ContactErrors = {};
    for (const field of renderError(new DomainError('validation_failed', {}, problems), ctx.lang).fields ?? []) {
      const id = FIELD_IDS[field.field] ?? 'name';
      errors[id] ??= field.message;
    }
    return { dto: undefined, errors };
  }

  private showContact(ctx: PageContext, res: Response, service: Service, slot: FreeSlotView, choice: BookingChoice, values: ContactInput, errors: ContactErrors, status = 200): void {
    sendPage(res, (
      <ContactPage ctx={ctx} service={service} slot={slot} values={values} errors={errors} action={this.postAction(service, slot, choice)}
        timesHref={`/varaa/${service.id}${choiceQuery(choice, { viikko: dateOf(slot).toString() })}`} />
    ), status);
  }

  /** The nearest free times to the one that went (to today's first ones when its time is unknown). */
  private async showTaken(ctx: PageContext, res: Response, service: Service, choice: BookingChoice, state: State | undefined, status = 200): Promise<void> {
    const around = state?.s && !Number.isNaN(Date.parse(state.s)) ? new Date(state.s) : this.clock.now();
    const from = maxDate(this.today(), helsinkiDateOf(around).minusDays(3));
    const found = await this.search(service, from, from.plusDays(13), choice, 500, { oneStaffPerTime: true });
    const nearest = found
      .sort((a, b) => Math.abs(Date.parse(a.startsAt) - around.getTime()) - Math.abs(Date.parse(b.startsAt) - around.getTime()))
      .slice(0, NEAREST)
      .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
    const kept = state && { ...state, k: randomUUID() };
    sendPage(res, (
      <TakenPage ctx={ctx} service={service} nearest={nearest} state={kept ? encodeState(kept) : undefined}
        actionFor={(slot) => this.postAction(service, slot, choice)} hrefFor={(slot) => this.contactHref(service, slot, choice)}
        timesHref={`/varaa/${service.id}${choiceQuery(choice)}`} />
    ), status);
  }

  private contactHref(service: Service, slot: FreeSlotView, choice: BookingChoice): string {
    return `/varaa/${service.id}/${slot.id}${choiceQuery(choice)}`;
  }

  private postAction(service: Service, slot: FreeSlotView, choice: BookingChoice): string {
    return `/varaa/${service.id}/${slot.id}${choiceQuery(choice)}`;
  }

  private choiceText(ctx: PageContext, units: FreeSlotView['unit'][], choice: BookingChoice): string {
    const unit = units.find((u) => u.id === choice.unit);
    return [unit ? unit.name[ctx.lang] : units.length > 1 ? ctx.t.booking.anyUnit : undefined, choice.language && ctx.t.booking.languageNames[choice.language]]
      .filter(Boolean).join(', ');
  }

  /** The first day with a free time, searched a month at a time up to the booking horizon. */
  private async earliest(service: Service, choice: BookingChoice): Promise<LocalDate | undefined> {
    const last = this.today().plusDays(service.horizonDays);
    for (let from = this.today(); from.isBefore(last); from = from.plusDays(SEARCH_DAYS)) {
      const [first] = await this.search(service, from, from.plusDays(SEARCH_DAYS - 1), choice, 1, { cached: true });
      if (first) return dateOf(first);
    }
    return undefined;
  }

  /**
   * Free slots; with `oneStaffPerTime` one per start time (the times a family
   * chooses from); `cached` for the week lists (PAGE_CACHE_MS), never for the
   * nearest times after one was taken (that one must not be offered again).
   */
  private search(service: Service, from: LocalDate, to: LocalDate, choice: BookingChoice, limit: number, options: { oneStaffPerTime?: boolean; cached?: boolean } = {}): Promise<FreeSlotView[]> {
    const query = {
      from: from.toString(), to: to.toString(), limit, ...(choice.unit ? { unitId: choice.unit } : {}), ...(choice.language ? { language: choice.language } : {}),
    };
    const load = async () => (await this.slots.searchFree(service.id, query, { oneStaffPerTime: options.oneStaffPerTime })).items;
    if (!options.cached) return load();
    return this.freeTimes.get(JSON.stringify([service.id, query, !!options.oneStaffPerTime]), load);
  }

  private async service(id: string): Promise<Service> {
    const service = await this.services.get(id);
    if (!service.active) throw new DomainError('not_found');
    return service;
  }

  private today(): LocalDate {
    return helsinkiDateOf(this.clock.now());
  }
}

/** The language of the booking: the one asked for, else the page's, else one the staff member speaks. */
function bookingLanguage(ctx: PageContext, slot: FreeSlotView, choice: BookingChoice): Lang {
  if (choice.language && slot.staff.languages.includes(choice.language)) return choice.language;
  if (slot.staff.languages.includes(ctx.lang)) return ctx.lang;
  return slot.staff.languages.find(isLang) ?? ctx.lang;
}

function choiceOf(query: Request['query']): BookingChoice {
  const unit = typeof query.unit === 'string' && UUID_SHAPE.test(query.unit) ? query.unit : undefined;
  const language = isLang(query.kieli) ? query.kieli : undefined;
  return { unit, language, done: query.valittu === '1' };
}
