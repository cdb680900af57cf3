import { type Lang, toHelsinkiIso } from '@app/platform';
import type { LocalizedText } from '@app/identity';
import type { Channel } from './booking.dto';

export const APPOINTMENT_STATUSES = ['booked', 'cancelled', 'fulfilled', 'noshow'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** An appointment as the API shows it; times in ISO 8601 with the Helsinki offset. */
export interface AppointmentView {
  id: string;
  reference: string;
  status: AppointmentStatus;
  startsAt: string;
  endsAt: string;
  /** Until when the family can move or cancel it online. */
  changeableUntil: string;
  channel: Channel;
  language: Lang;
  service: { id: string; code: string; name: LocalizedText };
  unit: { id: string; code: string; name: LocalizedText; address: string | null };
  staff: { id: string; name: string };
  contact: { name: string; email: string | null; phone: string | null };
  childName: string | null;
  note: string | null;
  cancelReason: string | null;
  /** True when the staff calendar no longer has this time (an absence, changed hours). */
  conflict: boolean;
}

export interface AppointmentEventView {
  at: string;
  actor: { type: 'family' | 'staff' | 'system'; id: string | null };
  action: string;
  fromStartsAt: string | null;
  toStartsAt: string | null;
  reason: string | null;
}

/** The columns `toView` reads; every query that builds a view selects them. */
export const APPOINTMENT_VIEW_COLUMNS = `
  a.id, a.reference, a.status, a.starts_at, a.ends_at, a.channel, a.language, a.contact_name, a.contact_email,
  a.contact_phone, a.child_name, a.note, a.cancel_reason, a.service_id, a.unit_id, a.staff_id, a.slot_id,
  sv.code AS service_code, sv.name AS service_name, sv.change_deadline_minutes,
  u.code AS unit_code, u.name AS unit_name, u.address AS unit_address, st.name AS staff_name, s.withdrawn AS conflict`;

export const APPOINTMENT_VIEW_JOINS = `
  JOIN service sv ON sv.id = a.service_id
  JOIN unit u ON u.id = a.unit_id
  JOIN staff st ON st.id = a.staff_id
  JOIN slot s ON s.id = a.slot_id`;

export interface AppointmentRow {
  id: string;
  reference: string;
  status: AppointmentStatus;
  starts_at: Date;
  ends_at: Date;
  channel: Channel;
  language: Lang;
  contact_name: string;
  contact_email: string | null;
  contact_phone: string | null;
  child_name: string | null;
  note: string | null;
  cancel_reason: string | null;
  service_id: string;
  unit_id: string;
  staff_id: string;
  slot_id: string;
  service_code: string;
  service_name: LocalizedText;
  change_deadline_minutes: number;
  unit_code: string;
  unit_name: LocalizedText;
  unit_address: string | null;
  staff_name: string;
  conflict: boolean;
}

export function changeDeadline(row: Pick<AppointmentRow, 'starts_at' | 'change_deadline_minutes'>): Date {
  return new Date(row.starts_at.getTime() - row.change_deadline_minutes * 60_000);
}

export function toView(row: AppointmentRow): AppointmentView {
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    startsAt: toHelsinkiIso(row.starts_at),
    endsAt: toHelsinkiIso(row.ends_at),
    changeableUntil: toHelsinkiIso(changeDeadline(row)),
    channel: row.channel,
    language: row.language,
    service: { id: row.service_id, code: row.service_code, name: row.service_name },
    unit: { id: row.unit_id, code: row.unit_code, name: row.unit_name, address: row.unit_address },
    staff: { id: row.staff_id, name: row.staff_name },
    contact: { name: row.contact_name, email: row.contact_email, phone: row.contact_phone },
    childName: row.child_name,
    note: row.note,
    cancelReason: row.cancel_reason,
    conflict: row.conflict && row.status === 'booked',
  };
}
