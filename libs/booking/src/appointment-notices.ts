import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig, Clock, type Lang, addWorkingDays, helsinkiDateOf } from '@app/platform';
import { MAX_REMINDER_OFFSET_MINUTES } from './booking.dto';
import {
  type AppointmentMail, type JobToRender, type OutboxJob, OutboxRenderers, OutboxService, renderAppointmentMail, renderEach, renderStaffNotice,
} from '@app/notifications';

export type AppointmentEvent = 'booked' | 'rescheduled' | 'cancelled';

const MAIL_KIND: Record<AppointmentEvent, AppointmentMail['kind']> = { booked: 'confirmation', rescheduled: 'rescheduled', cancelled: 'cancelled' };

interface NoticeRow {
  id: string;
  reference: string;
  status: string;
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
  pre_information_form: string | null;
  unit_name: Record<Lang, string>;
  address: string | null;
  staff_email: string;
  staff_languages: Lang[];
}

const NOTICE_COLUMNS = `
  a.id, a.reference, a.status, a.language, a.contact_name, a.contact_email, a.channel, a.starts_at, a.ends_at, a.ics_sequence,
  a.cancel_reason, sv.name AS service_name, sv.staff_notice_working_days, sv.pre_information_form, u.name AS unit_name, u.address,
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

/** What a change tells its e-mails: secrets for links, and the times and sequence as they were at the change. */
export interface ChangeFacts {
  /** Whether the family gave an e-mail address. */
  familyEmail: boolean;
  /** The times, unless the statement that writes the jobs adds them itself (booking). */
  startsAt?: Date;
  endsAt?: Date;
  sequence: number;
  manageToken?: string;
  preInformationToken?: string;
  previousStartsAt?: Date;
}

/** A job's plain facts; times are ISO strings as JSON carries them. */
interface JobFacts {
  by?: 'family' | 'staff';
  event?: AppointmentEvent;
  startsAt?: string;
  endsAt?: string;
  sequence?: number;
  previousStartsAt?: string;
}

const FAMILY_KINDS = ['confirmation', 'rescheduled', 'cancelled', 'reminder'] as const;

/**
 * Plans the e-mails an appointment change causes, as outbox jobs in the
 * change's own transaction: the family's confirmation, move or cancellation
 * (with a calendar file), and a content-free notice to staff when a family
 * changes something in the next few working days. Reminders are planned by
 * a job. Messages are rendered when the dispatcher sends them.
 */
@Injectable()
export class AppointmentNotices implements OnModuleInit {
  private readonly logger = new Logger(AppointmentNotices.name);
  private readonly organizerEmail: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly renderers: OutboxRenderers,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.organizerEmail = /<([^>]+)>/.exec(config.mailFrom)?.[1] ?? config.mailFrom;
  }

  onModuleInit(): void {
    this.renderers.register([...FAMILY_KINDS, 'staff-notice'], async (jobs) => {
      const rows = await this.load(jobs.map((job) => job.appointmentId));
      return renderEach(jobs, (job) => {
        const row = job.appointmentId ? rows.get(job.appointmentId) : undefined;
        return job.kind === 'staff-notice' ? this.renderStaffNotice(job, row) : this.renderFamilyMail(job, row);
      });
    });
  }

  /** Plans a move's or a cancellation's e-mails in its transaction, withdrawing reminders for the old time. */
  async afterChange(tx: EntityManager, appointmentId: string, event: Exclude<AppointmentEvent, 'booked'>, by: 'family' | 'staff', facts: ChangeFacts): Promise<void> {
    await this.outbox.cancelPending(tx, appointmentId, 'reminder');
    await this.outbox.enqueue(tx, this.plan(appointmentId, event, by, facts));
  }

  /** The outbox jobs a change causes; the caller writes them in its transaction. */
  plan(appointmentId: string, event: AppointmentEvent, by: 'family' | 'staff', facts: ChangeFacts): OutboxJob[] {
    const times: JobFacts = {
      ...(facts.startsAt ? { startsAt: facts.startsAt.toISOString() } : {}),
      ...(facts.endsAt ? { endsAt: facts.endsAt.toISOString() } : {}),
      sequence: facts.sequence,
      ...(facts.previousStartsAt ? { previousStartsAt: facts.previousStartsAt.toISOString() } : {}),
    };
    const jobs: OutboxJob[] = [];
    if (facts.familyEmail) {
      const secrets = { ...(facts.manageToken ? { manageToken: facts.manageToken } : {}), ...(facts.preInformationToken ? { preInformationToken: facts.preInformationToken } : {}) };
      jobs.push({ kind: MAIL_KIND[event], appointmentId, facts: { by, ...times } satisfies JobFacts, ...(Object.keys(secrets).length ? { secrets } : {}) });
    }
    if (by === 'family') jobs.push({ kind: 'staff-notice', appointmentId, facts: { event, ...times } satisfies JobFacts });
    return jobs;
  }

  /**
   * Plans the reminders that are due: one per (appointment, offset, time),
   * enforced by the outbox's unique dedupe key, so every instance may run
   * this at once. Cancelled appointments get none; a moved one gets
   * reminders for its new time, if it was moved before the reminder moment.
   */
  async planReminders(): Promise<number> {
    const due: { id: string; offset_minutes: number; epoch: number }[] = await this.db.query(
      `SELECT a.id, o.offset_minutes, extract(epoch FROM a.starts_at)::bigint AS epoch
         FROM appointment a JOIN service sv ON sv.id = a.service_id
         CROSS JOIN LATERAL unnest(sv.reminder_offsets_minutes) AS o(offset_minutes)
        WHERE a.status = 'booked' AND a.contact_email IS NOT NULL AND a.starts_at > $1
          AND a.starts_at <= $1::timestamptz + interval '${MAX_REMINDER_OFFSET_MINUTES} minutes'
          AND a.starts_at - o.offset_minutes * interval '1 minute' <= $1
          AND a.updated_at <= a.starts_at - o.offset_minutes * interval '1 minute'
          AND NOT EXISTS (SELECT 1 FROM outbox x WHERE x.dedupe_key =
                'reminder:' || a.id || ':' || o.offset_minutes || ':' || extract(epoch FROM a.starts_at)::bigint)`,
      [this.clock.now()],
    );
    const planned = await this.outbox.enqueue(
      this.db.manager,
      due.map((r) => ({ kind: 'reminder', appointmentId: r.id, dedupeKey: `reminder:${r.id}:${r.offset_minutes}:${r.epoch}` })),
    );
    if (planned) this.logger.log(`planned ${planned} reminders`);
    return planned;
  }

  /** The appointments a batch of messages is about, in one query. */
  private async load(appointmentIds: (string | null)[]): Promise<Map<string, NoticeRow>> {
    const ids = [...new Set(appointmentIds.filter((id): id is string => !!id))];
    const rows: NoticeRow[] = ids.length ? await this.db.query(`SELECT ${NOTICE_COLUMNS} WHERE a.id = ANY($1::uuid[])`, [ids]) : [];
    return new Map(rows.map((row) => [row.id, row]));
  }

  private renderFamilyMail(job: JobToRender, row: NoticeRow | undefined) {
    if (!row?.contact_email) return null;
    const data = job.facts as JobFacts;
    const { manageToken, preInformationToken } = job.secrets;
    const kind = job.kind as AppointmentMail['kind'];
    if (kind === 'reminder' && row.status !== 'booked') return null;
    const mail: AppointmentMail = {
      kind,
      appointmentId: row.id,
      reference: row.reference,
      language: row.language,
      recipient: row.contact_email,
      contactName: row.contact_name,
      serviceName: row.service_name,
      unitName: row.unit_name,
      address: row.address,
      channel: row.channel,
      startsAt: data.startsAt ? new Date(data.startsAt) : row.starts_at,
      endsAt: data.endsAt ? new Date(data.endsAt) : row.ends_at,
      sequence: data.sequence ?? row.ics_sequence,
      changedAt: job.createdAt,
      cancelReason: row.cancel_reason,
      cancelledBy: data.by,
      ...(manageToken ? { manageUrl: manageUrl(this.config.publicUrl, row.id, manageToken) } : {}),
      ...(preInformationToken && row.pre_information_form ? { preInformationUrl: preInformationUrl(this.config.publicUrl, row.id, preInformationToken) } : {}),
    };
    return { recipient: row.contact_email, mail: renderAppointmentMail(mail, { name: row.unit_name[row.language], email: this.organizerEmail }) };
  }

  /** Only when the changed time is within the service's staff-notice window of working days, counted from the change. */
  private renderStaffNotice(job: JobToRender, row: NoticeRow | undefined) {
    const data = job.facts as JobFacts;
    if (!row || row.staff_notice_working_days <= 0) return null;
    const last = addWorkingDays(helsinkiDateOf(job.createdAt), row.staff_notice_working_days).toString();
    const startsAt = new Date(data.startsAt!);
    const soon = [startsAt, data.previousStartsAt ? new Date(data.previousStartsAt) : undefined].some(
      (t) => t && t > job.createdAt && helsinkiDateOf(t).toString() <= last,
    );
    if (!soon) return null;
    const mail = renderStaffNotice({
      kind: data.event!,
      recipient: row.staff_email,
      language: row.staff_languages[0] ?? 'fi',
      startsAt,
      calendarUrl: `${this.config.publicUrl}/staff/calendar`,
    });
    return { recipient: row.staff_email, mail };
  }
}
