import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig, Clock, type Lang, addWorkingDays, helsinkiDateOf } from '@app/platform';
import { type AppointmentMail, OutboxService, renderAppointmentMail, renderStaffNotice } from '@app/notifications';

export type AppointmentEvent = 'booked' | 'rescheduled' | 'cancelled';

const MAIL_KIND: Record<AppointmentEvent, AppointmentMail['kind']> = { booked: 'confirmation', rescheduled: 'rescheduled', cancelled: 'cancelled' };

interface NoticeRow {
  id: string;
  reference: string;
  language: Lang;
  contact_name: string;
  contact_email: string | null;
  channel: AppointmentMail['channel'];
  starts_at: Date;
  ends_at: Date;
  ics_sequence: number;
  cancel_reason: string | null;
  service_name: Record<Lang, string>;
  staff_notice_working_days: number;
  unit_name: Record<Lang, string>;
  address: string | null;
  staff_email: string;
  staff_languages: Lang[];
}

const NOTICE_COLUMNS = `
  a.id, a.reference, a.language, a.contact_name, a.contact_email, a.channel, a.starts_at, a.ends_at, a.ics_sequence,
  a.cancel_reason, sv.name AS service_name, sv.staff_notice_working_days, u.name AS unit_name, u.address,
  st.email AS staff_email, st.languages AS staff_languages
  FROM appointment a JOIN service sv ON sv.id = a.service_id JOIN unit u ON u.id = a.unit_id JOIN staff st ON st.id = a.staff_id`;

/** The manage link families get; the page behind it is served by the server app. */
export function manageUrl(publicUrl: string, appointmentId: string, token: string): string {
  return `${publicUrl}/appointments/${appointmentId}/manage?token=${encodeURIComponent(token)}`;
}

/** The link to fill in the service's pre-information form for one appointment. */
export function preInformationUrl(publicUrl: string, appointmentId: string, token: string): string {
  return `${publicUrl}/appointments/${appointmentId}/pre-information?token=${encodeURIComponent(token)}`;
}

/**
 * Plans the e-mails an appointment change causes, in the change's own
 * transaction: the family's confirmation, move or cancellation (with a
 * calendar file), and a content-free notice to staff when a family changes
 * something in the next few working days. Reminders are planned by a job.
 */
@Injectable()
export class AppointmentNotices {
  private readonly logger = new Logger(AppointmentNotices.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async afterChange(
    tx: EntityManager,
    appointmentId: string,
    event: AppointmentEvent,
    by: 'family' | 'staff',
    extra: { manageToken?: string; preInformationToken?: string; previousStartsAt?: Date } = {},
  ): Promise<void> {
    const [row]: NoticeRow[] = await tx.query(`SELECT ${NOTICE_COLUMNS} WHERE a.id = $1`, [appointmentId]);
    if (event !== 'booked') await this.outbox.cancelPending(tx, appointmentId, 'reminder');
    if (row.contact_email) {
      const mail = this.familyMail(row, MAIL_KIND[event], {
        ...(extra.manageToken ? { manageUrl: manageUrl(this.config.publicUrl, row.id, extra.manageToken) } : {}),
        ...(extra.preInformationToken ? { preInformationUrl: preInformationUrl(this.config.publicUrl, row.id, extra.preInformationToken) } : {}),
        cancelledBy: by,
      });
      await this.outbox.enqueue(tx, { kind: mail.kind, recipient: row.contact_email, appointmentId, mail: renderAppointmentMail(mail, this.organizer(row)) });
    }
    if (by === 'family' && this.isSoon(row, [row.starts_at, extra.previousStartsAt])) {
      const mail = renderStaffNotice({
        kind: event,
        recipient: row.staff_email,
        language: row.staff_languages[0] ?? 'fi',
        startsAt: row.starts_at,
        calendarUrl: `${this.config.publicUrl}/staff/calendar`,
      });
      await this.outbox.enqueue(tx, { kind: 'staff-notice', recipient: row.staff_email, appointmentId, mail });
    }
  }

  /**
   * Writes the reminders that are due: one per (appointment, offset, time),
   * enforced by the outbox's unique dedupe key, so every instance may run
   * this at once. Cancelled appointments get none; a moved one gets
   * reminders for its new time, if it was moved before the reminder moment.
   */
  async planReminders(): Promise<number> {
    const now = this.clock.now();
    const due: (NoticeRow & { offset_minutes: number })[] = await this.db.query(
      `SELECT ${NOTICE_COLUMNS.replace('FROM appointment a', ', o.offset_minutes FROM appointment a')}
         CROSS JOIN LATERAL unnest(sv.reminder_offsets_minutes) AS o(offset_minutes)
        WHERE a.status = 'booked' AND a.contact_email IS NOT NULL AND a.starts_at > $1
          AND a.starts_at - o.offset_minutes * interval '1 minute' <= $1
          AND a.updated_at <= a.starts_at - o.offset_minutes * interval '1 minute'
          AND NOT EXISTS (SELECT 1 FROM outbox x WHERE x.dedupe_key =
                'reminder:' || a.id || ':' || o.offset_minutes || ':' || extract(epoch FROM a.starts_at)::bigint)`,
      [now],
    );
    let planned = 0;
    for (const row of due) {
      const mail = renderAppointmentMail(this.familyMail(row, 'reminder', {}), this.organizer(row));
      const dedupeKey = `reminder:${row.id}:${row.offset_minutes}:${Math.floor(row.starts_at.getTime() / 1000)}`;
      if (await this.outbox.enqueue(this.db.manager, { kind: 'reminder', recipient: row.contact_email!, appointmentId: row.id, dedupeKey, mail })) planned++;
    }
    if (planned) this.logger.log(`planned ${planned} reminders`);
    return planned;
  }

  private familyMail(row: NoticeRow, kind: AppointmentMail['kind'], extra: Partial<AppointmentMail>): AppointmentMail {
    return {
      kind,
      appointmentId: row.id,
      reference: row.reference,
      language: row.language,
      recipient: row.contact_email!,
      contactName: row.contact_name,
      serviceName: row.service_name,
      unitName: row.unit_name,
      address: row.address,
      channel: row.channel,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      sequence: row.ics_sequence,
      cancelReason: row.cancel_reason,
      ...extra,
    };
  }

  private organizer(row: NoticeRow): { name: string; email: string } {
    const email = /<([^>]+)>/.exec(this.config.mailFrom)?.[1] ?? this.config.mailFrom;
    return { name: row.unit_name[row.language], email };
  }

  /** Within the service's staff-notice window of working days (today counts). */
  private isSoon(row: NoticeRow, times: (Date | undefined)[]): boolean {
    if (row.staff_notice_working_days <= 0) return false;
    const last = addWorkingDays(helsinkiDateOf(this.clock.now()), row.staff_notice_working_days).toString();
    const now = this.clock.now();
    return times.some((t) => t && t > now && helsinkiDateOf(t).toString() <= last);
  }
}
