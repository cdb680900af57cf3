import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppointmentsService, BookAppointmentDto, type Service, ServicesService, SlotsService } from '@app/booking';
import { type AuthContext, actsIn } from '@app/identity';
import { Clock, DomainError, type FieldError as DomainFieldError, LANGUAGES, type Lang, LocalDate, helsinkiDateOf, isLang } from '@app/platform';
import { dateParam } from '../format';
import { renderError } from '../../http/error.filter';
import { createValidationPipe } from '../../http/validation';
import type { FieldError } from '../components/ui';
import { redirectTo, sendPage } from '../render';
import {
  MovePage, PHONE_CONTACT_FIELDS, PhoneCheckPage, type PhoneContact, PhoneContactPage, PhoneTimesPage, ServicesPage,
} from './phone-booking-views';
import { StaffPageKit, field } from './staff-kit';
import type { StaffPageContext } from './staff-layout';

const KEY = /^[A-Za-z0-9-]{8,64}$/;
/** Free times are shown a week at a time. */
export const PERIOD_DAYS = 7;
/** A move or booking refused because the time cannot be had (any more): the times again, with the reason. */
const SHOWN_ON_PAGE = new Set(['slot_taken', 'slot_unavailable', 'slot_not_found', 'slot_in_past', 'staff_overlap', 'staff_language_mismatch', 'wrong_service', 'appointment_not_active', 'validation_failed']);
/** The page's control for each field of the booking's body. */
const CONTROLS: Record<string, string> = {
  'contact.name': 'name', 'contact.email': 'email', 'contact.phone': 'phone', contact: 'email', childName: 'childName', note: 'note', language: 'language', channel: 'channel',
};

const pipe = createValidationPipe();

/**
 * Moving an appointment and booking for a family calling by phone, through
 * the booking lib's AppointmentsService (each one atomic statement or
 * transaction) with the staff rules: no minimum notice or horizon, only
 * one's own or one's units' slots (admins: any), and a move held to the
 * booking's language unless staff allow another.
 */
@Injectable()
export class PhoneBookingPages {
  constructor(
    private readonly kit: StaffPageKit,
    private readonly appointments: AppointmentsService,
    private readonly services: ServicesService,
    private readonly slots: SlotsService,
    private readonly clock: Clock,
  ) {}

  async movePage(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.signedIn(req, res);
    if (!ctx) return;
    await this.showMove(ctx, res, id, this.from(req.query.from), req.query.other === '1');
  }

  async move(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.posted(req, res);
    if (!ctx) return;
    const slotId = field(req.body, 'slotId') ?? '';
    const allowOtherLanguage = field(req.body, 'allowOtherLanguage') === '1';
    try {
      if (!/^[0-9a-f-]{36}$/i.test(slotId)) throw new DomainError('slot_not_found');
      await this.appointments.reschedule({ type: 'staff', auth: ctx.caller!.auth }, id, slotId, { allowOtherLanguage });
    } catch (error) {
      if (!(error instanceof DomainError) || !SHOWN_ON_PAGE.has(error.code)) throw error;
      const body = renderError(error, ctx.lang);
      return this.showMove(ctx, res, id, this.today(), allowOtherLanguage, body.message, body.status);
    }
    redirectTo(res, `/staff/appointments/${id}?done=moved`);
  }

  private async showMove(ctx: StaffPageContext, res: Response, id: string, from: LocalDate, otherLanguage: boolean, error?: string, status = 200): Promise<void> {
    const auth = ctx.caller!.auth;
    const appointment = await this.appointments.get({ type: 'staff', auth }, id);
    if (appointment.status !== 'booked') throw new DomainError('appointment_not_active');
    const found = await this.slots.searchForStaff(auth, appointment.service.id, {
      from: from.toString(), to: from.plusDays(PERIOD_DAYS - 1).toString(), language: otherLanguage ? undefined : appointment.language, limit: 300,
    });
    const slots = found.filter((s) => !(s.startsAt === appointment.startsAt && s.staff.id === appointment.staff.id));
    sendPage(res, <MovePage ctx={ctx} appointment={appointment} from={from} otherLanguage={otherLanguage} slots={slots} error={error} />, status);
  }

  /** The services the caller may book: their units' (admins: all). */
  async servicesPage(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res);
    if (!ctx) return;
    const auth = ctx.caller!.auth;
    const services = (await this.services.list()).filter((s) => actsIn(auth, s.unitId));
    sendPage(res, <ServicesPage ctx={ctx} services={services} />);
  }

  async times(req: Request, res: Response, serviceId: string): Promise<void> {
    const ctx = await this.kit.signedIn(req, res);
    if (!ctx) return;
    const service = await this.service(ctx.caller!.auth, serviceId);
    await this.showTimes(ctx, res, service, this.from(req.query.from), isLang(req.query.language) ? req.query.language : undefined);
  }

  async contact(req: Request, res: Response, serviceId: string, slotId: string): Promise<void> {
    const ctx = await this.kit.signedIn(req, res);
    if (!ctx) return;
    const auth = ctx.caller!.auth;
    const service = await this.service(auth, serviceId);
    const slot = await this.slots.findForStaff(auth, service.id, slotId);
    if (!slot) return this.showTimes(ctx, res, service, this.today(), undefined, true, 409);
    const asked = isLang(req.query.language) ? req.query.language : undefined;
    const language = asked ?? (slot.staff.languages.includes(ctx.lang) ? ctx.lang : (slot.staff.languages.find(isLang) ?? ctx.lang));
    const values: PhoneContact = { name: '', email: '', phone: '', childName: '', note: '', language, channel: service.channels[0] };
    sendPage(res, <PhoneContactPage ctx={ctx} service={service} slot={slot} values={values} errors={[]} action={`/staff/book/${service.id}/${slot.id}`} bookingKey={randomUUID()} />);
  }

  /** Check (the details against the API's rules), change, or confirm: the booking in one statement, once per key. */
  async post(req: Request, res: Response, serviceId: string, slotId: string): Promise<void> {
    const ctx = await this.kit.posted(req, res);
    if (!ctx) return;
    const auth = ctx.caller!.auth;
    const service = await this.service(auth, serviceId);
    const values = contactOf(req.body, service);
    const key = field(req.body, 'key');
    const bookingKey = key && KEY.test(key) ? key : randomUUID();
    const action = `/staff/book/${service.id}/${slotId}`;
    const go = field(req.body, 'go');
    if (go === 'confirm') {
      let booked;
      try {
        const dto = await bookingOf(slotId, values, service);
        booked = await this.appointments.book({ type: 'staff', auth }, dto, `staff-page:${bookingKey}`);
      } catch (error) {
        if (!(error instanceof DomainError) || !SHOWN_ON_PAGE.has(error.code) || error.code === 'validation_failed') throw error;
        return this.showTimes(ctx, res, service, this.today(), undefined, true, renderError(error, ctx.lang).status);
      }
      return redirectTo(res, `/staff/appointments/${booked.appointment.id}?done=booked`);
    }
    const slot = await this.slots.findForStaff(auth, service.id, slotId);
    if (!slot) return this.showTimes(ctx, res, service, this.today(), undefined, true, 409);
    if (go === 'change') {
      return sendPage(res, <PhoneContactPage ctx={ctx} service={service} slot={slot} values={values} errors={[]} action={action} bookingKey={randomUUID()} />);
    }
    try {
      await bookingOf(slot.id, values, service);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
      const errors: FieldError[] = [];
      for (const f of renderError(error, ctx.lang).fields ?? []) {
        const id = CONTROLS[f.field] ?? 'name';
        if (!errors.some((e) => e.id === id)) errors.push({ id, message: f.message });
      }
      return sendPage(res, <PhoneContactPage ctx={ctx} service={service} slot={slot} values={values} errors={errors} action={action} bookingKey={bookingKey} />, 422);
    }
    sendPage(res, <PhoneCheckPage ctx={ctx} service={service} slot={slot} values={values} action={action} bookingKey={bookingKey} />);
  }

  private async showTimes(ctx: StaffPageContext, res: Response, service: Service, from: LocalDate, language: Lang | undefined, taken = false, status = 200): Promise<void> {
    const slots = await this.slots.searchForStaff(ctx.caller!.auth, service.id, {
      from: from.toString(), to: from.plusDays(PERIOD_DAYS - 1).toString(), language, limit: 300,
    });
    sendPage(res, <PhoneTimesPage ctx={ctx} service={service} from={from} language={language} slots={slots} taken={taken} />, status);
  }

  /** An active service the caller may book; another unit's is refused. */
  private async service(auth: AuthContext, id: string): Promise<Service> {
    const service = await this.services.get(id);
    if (!service.active) throw new DomainError('not_found');
    if (!actsIn(auth, service.unitId)) throw new DomainError('forbidden');
    return service;
  }

  private today(): LocalDate {
    return helsinkiDateOf(this.clock.now());
  }

  /** The first day of the free times asked for: not before today (past times cannot be had), nor years ahead. */
  private from(value: unknown): LocalDate {
    const today = this.today();
    const asked = dateParam(value);
    return asked && asked.isAfter(today) && asked.isBefore(today.plusYears(2)) ? asked : today;
  }
}




/** The contact fields of a form post (strings only, bounded). */
function contactOf(body: unknown, service: Service): PhoneContact {
  const values = Object.fromEntries(PHONE_CONTACT_FIELDS.map((name) => [name, (field(body, name) ?? '').slice(0, 2000)])) as unknown as PhoneContact;
  if (!values.language) values.language = service.languages[0] ?? LANGUAGES[0];
  if (!values.channel) values.channel = service.channels[0];
  return values;
}

/** The booking's body, checked by the API's DTO and its messages, and "e-mail or phone" and the service's channels as the service checks them. */
async function bookingOf(slotId: string, v: PhoneContact, service: Service): Promise<BookAppointmentDto> {
  const contact = { name: v.name.trim(), ...(v.email.trim() ? { email: v.email.trim() } : {}), ...(v.phone.trim() ? { phone: v.phone.trim() } : {}) };
  const plain = {
    slotId, language: v.language, channel: v.channel, contact,
    ...(v.childName.trim() ? { childName: v.childName.trim() } : {}),
    ...(v.note.trim() ? { note: v.note } : {}),
  };
  const problems: DomainFieldError[] = [];
  let dto: BookAppointmentDto | undefined;
  try {
    dto = (await pipe.transform(plain, { type: 'body', metatype: BookAppointmentDto, data: '' })) as BookAppointmentDto;
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
    problems.push(...error.fields);
  }
  if (!contact.email && !contact.phone) problems.push({ field: 'contact', rule: 'contactRequired' });
  if (!(service.channels as string[]).includes(v.channel)) problems.push({ field: 'channel', rule: 'isIn', params: { values: service.channels.join(', ') } });
  if (problems.length || !dto) throw new DomainError('validation_failed', {}, problems);
  return dto;
}
