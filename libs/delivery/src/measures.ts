import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsOptional, IsUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { DomainError, IsDateOrDateTime } from '@app/platform';
import { type AuthContext, isAdmin } from '@app/identity';

/** The period and unit of the measures: a date is a whole Helsinki day (`to` inclusive), an instant is taken as is (`to` exclusive). */
export class MeasuresQuery {
  /** Default: the first day of the Helsinki month eleven months back. */
  @IsOptional() @IsDateOrDateTime() from?: string;
  /** Default: now. */
  @IsOptional() @IsDateOrDateTime() to?: string;
  /** One unit; default every unit with something in the period. */
  @IsOptional() @IsUUID() unit?: string;
}

/** Hours (or days) from arrival: how many, the median and the 90th percentile (interpolated, `percentile_cont`). */
export interface TimeStat {
  count: number;
  median: number | null;
  p90: number | null;
}

/** One unit's submissions that arrived in one Helsinki month (pre-information is counted with bookings, not here). */
export interface SubmissionMonth {
  unitId: string;
  /** `YYYY-MM`, Helsinki. */
  month: string;
  submissions: {
    total: number;
    /** Not closed yet. */
    open: number;
    byForm: Record<string, number>;
    byPriority: Record<string, number>;
    /** Closed ones, by the outcome they were closed with. */
    byOutcome: Record<string, number>;
  };
  /** Hours from arrival to the first acknowledgement, the first contact, the urgency assessment and the decision. */
  hoursTo: { acknowledgement: TimeStat; firstContact: TimeStat; assessment: TimeStat; decision: TimeStat };
  /**
   * Child-welfare notifications decided within their deadline (7 working
   * days): of those decided or past their deadline (undecided ones still in
   * time are not counted yet), how many were decided in time.
   */
  decidedInTime: { decided: number; of: number; share: number | null };
}

const MONTH = (column: string) => `to_char(${column} AT TIME ZONE 'Europe/Helsinki', 'YYYY-MM')`;

/** Count, median and 90th percentile of hours from arrival to `column`, as `<name>_n`, `<name>_median`, `<name>_p90`. */
const stat = (column: string, name: string) => {
  const hours = `extract(epoch FROM ${column} - submitted_at)::float8 / 3600`;
  return `count(${column})::int AS ${name}_n,
          round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours}))::numeric, 2)::float8 AS ${name}_median,
          round((percentile_cont(0.9) WITHIN GROUP (ORDER BY ${hours}))::numeric, 2)::float8 AS ${name}_p90`;
};

const toStat = (r: Record<string, number | null>, name: string): TimeStat => ({ count: r[`${name}_n`] ?? 0, median: r[`${name}_median`], p90: r[`${name}_p90`] });

/**
 * Measures of handling ("time to first contact"), computed in SQL over the
 * submissions, their history (`submission_event`) and their legal clocks
 * (`submission_deadline`), per unit (the one a submission is with now) and
 * per Helsinki month of arrival.
 */
@Injectable()
export class SubmissionMeasures {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async byUnitAndMonth(auth: AuthContext, from: Date, to: Date, unitId: string | null, now: Date): Promise<SubmissionMonth[]> {
    if (!isAdmin(auth)) throw new DomainError('forbidden');
    const filter = `s.purpose <> 'pre-information' AND s.unit_id IS NOT NULL AND s.submitted_at >= $1 AND s.submitted_at < $2 AND ($3::uuid IS NULL OR s.unit_id = $3)`;
    const counts: { unit_id: string; month: string; form_id: string | null; priority: string | null; outcome: string | null; g: number; n: number; open: number }[] =
      await this.db.query(
        `SELECT unit_id, month, form_id, priority, outcome, GROUPING(form_id, priority, outcome) AS g, count(*)::int AS n,
                count(*) FILTER (WHERE status <> 'closed')::int AS open
           FROM (SELECT s.unit_id, ${MONTH('s.submitted_at')} AS month, s.form_id, s.priority, s.outcome, s.status FROM submission s WHERE ${filter}) s
          GROUP BY GROUPING SETS ((unit_id, month), (unit_id, month, form_id), (unit_id, month, priority), (unit_id, month, outcome))`,
        [from, to, unitId],
      );
    const times: Record<string, never>[] = await this.db.query(
      `WITH base AS (
         SELECT s.unit_id, ${MONTH('s.submitted_at')} AS month, s.submitted_at,
                (SELECT min(e.at) FROM submission_event e WHERE e.submission_id = s.id AND e.action = 'status' AND e.detail->>'to' = 'acknowledged') AS acknowledged_at,
                fc.met_at AS first_contact_at, ua.met_at AS assessed_at, dc.met_at AS decided_at, dc.due_at AS decision_due_at
           FROM submission s
           LEFT JOIN submission_deadline fc ON fc.submission_id = s.id AND fc.kind = 'first-contact'
           LEFT JOIN submission_deadline ua ON ua.submission_id = s.id AND ua.kind = 'assessment'
           LEFT JOIN submission_deadline dc ON dc.submission_id = s.id AND dc.kind = 'decision'
          WHERE ${filter})
       SELECT unit_id, month, ${stat('acknowledged_at', 'ack')}, ${stat('first_contact_at', 'contact')}, ${stat('assessed_at', 'assessment')}, ${stat('decided_at', 'decision')},
              count(*) FILTER (WHERE decision_due_at IS NOT NULL AND (decided_at IS NOT NULL OR decision_due_at <= $4))::int AS decisions_due,
              count(*) FILTER (WHERE decided_at < decision_due_at)::int AS decided_in_time
         FROM base GROUP BY unit_id, month`,
      [from, to, unitId, now],
    );
    const months = new Map<string, SubmissionMonth>();
    for (const r of counts.filter((c) => c.g === 7)) {
      months.set(`${r.unit_id} ${r.month}`, {
        unitId: r.unit_id,
        month: r.month,
        submissions: { total: r.n, open: r.open, byForm: {}, byPriority: {}, byOutcome: {} },
        hoursTo: { acknowledgement: toStat({}, ''), firstContact: toStat({}, ''), assessment: toStat({}, ''), decision: toStat({}, '') },
        decidedInTime: { decided: 0, of: 0, share: null },
      });
    }
    for (const r of counts) {
      const { submissions } = months.get(`${r.unit_id} ${r.month}`)!;
      if (r.g === 3) submissions.byForm[r.form_id!] = r.n;
      if (r.g === 5) submissions.byPriority[r.priority!] = r.n;
      if (r.g === 6 && r.outcome !== null) submissions.byOutcome[r.outcome] = r.n;
    }
    for (const r of times) {
      const month = months.get(`${r.unit_id} ${r.month}`)!;
      month.hoursTo = { acknowledgement: toStat(r, 'ack'), firstContact: toStat(r, 'contact'), assessment: toStat(r, 'assessment'), decision: toStat(r, 'decision') };
      const of = r.decisions_due as number;
      const decided = r.decided_in_time as number;
      month.decidedInTime = { decided, of, share: of ? Math.round((decided / of) * 1000) / 1000 : null };
    }
    return [...months.values()];
  }
}
