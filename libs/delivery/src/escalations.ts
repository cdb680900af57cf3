import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, Clock, LANGUAGES, type Lang } from '@app/platform';
import type { DeadlineKind } from '@app/forms';
import { type JobToRender, type OutboxJob, OutboxRenderers, OutboxService, renderEach, renderEscalation } from '@app/notifications';

export type EscalationStage = 'warning' | 'overdue';

/** A deadline e-mail's plain facts: ids and codes only. */
interface EscalationFacts {
  submissionId: string;
  deadline: DeadlineKind;
  stage: EscalationStage;
}

/** The outbox key that makes each (submission, deadline, stage) one message, whatever the number of instances. */
export function escalationKey(submissionId: string, deadline: DeadlineKind, stage: EscalationStage): string {
  return `escalation:${submissionId}:${deadline}:${stage}`;
}

/** The submission in its unit's inbox, for the staff pages. */
export function inboxUrl(publicUrl: string, submissionId: string): string {
  return `${publicUrl}/staff/inbox/${submissionId}`;
}

/**
 * Escalation of the legal clocks: the unit is e-mailed once when a deadline
 * is one working day away (see `deadlinesOf` for the moment) and once when
 * it has passed, per deadline. Clocks that are met, and submissions that are
 * closed, never escalate. The e-mails carry no content: the reference, the
 * form's title, which deadline, when it falls due and a link.
 */
@Injectable()
export class Escalations implements OnModuleInit {
  private readonly logger = new Logger(Escalations.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly renderers: OutboxRenderers,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.renderers.register(['escalation'], (jobs) => renderEach(jobs, (job) => this.render(job)));
  }

  /**
   * Plans the e-mails that are due. Each stage of a deadline is marked
   * planned in the row that claims it (`FOR UPDATE SKIP LOCKED`: instances
   * running this at once take disjoint rows, and a row claimed and committed
   * by one no longer matches for another), and its outbox job carries a
   * unique key; both in one transaction. A warning whose deadline has
   * already passed is not sent: the overdue message is.
   */
  async plan(): Promise<number> {
    const now = this.clock.now();
    const planned = await this.db.transaction(async (tx) => {
      const [claimed]: [{ submission_id: string; kind: DeadlineKind; stage: EscalationStage }[], number] = await tx.query(
        `WITH due AS (
           SELECT d.submission_id, d.kind
             FROM submission_deadline d JOIN submission s ON s.id = d.submission_id
            WHERE d.met_at IS NULL AND s.status <> 'closed'
              AND ((d.due_at <= $1 AND d.overdue_planned_at IS NULL)
                OR (d.due_at > $1 AND d.warn_at <= $1 AND d.warning_planned_at IS NULL))
            ORDER BY d.due_at, d.submission_id, d.kind
            LIMIT 500
              FOR UPDATE OF d SKIP LOCKED)
         UPDATE submission_deadline d
            SET overdue_planned_at = CASE WHEN d.due_at <= $1 THEN $1 ELSE d.overdue_planned_at END,
                warning_planned_at = CASE WHEN d.due_at > $1 THEN $1 ELSE d.warning_planned_at END
           FROM due WHERE d.submission_id = due.submission_id AND d.kind = due.kind
         RETURNING d.submission_id, d.kind, CASE WHEN d.due_at <= $1 THEN 'overdue' ELSE 'warning' END AS stage`,
        [now],
      );
      const jobs: OutboxJob[] = claimed.map((c) => ({
        kind: 'escalation',
        facts: { submissionId: c.submission_id, deadline: c.kind, stage: c.stage } satisfies EscalationFacts,
        dedupeKey: escalationKey(c.submission_id, c.kind, c.stage),
      }));
      return this.outbox.enqueue(tx, jobs);
    });
    if (planned) this.logger.log(`planned ${planned} deadline e-mails`);
    return planned;
  }

  /**
   * Renders at sending time: nothing if the clock was met or the submission
   * closed meanwhile. To the unit's address, or without one to its active
   * handlers, in the first language most of them use (Finnish by default).
   */
  private async render(job: JobToRender) {
    const facts = job.facts as unknown as EscalationFacts;
    const [row] = await this.db.query(
      `SELECT s.reference, s.status, s.unit_id, u.email AS unit_email, d.due_at, d.due_date, d.met_at, f.definition->'title' AS title
         FROM submission s
         JOIN submission_deadline d ON d.submission_id = s.id AND d.kind = $2
         JOIN unit u ON u.id = s.unit_id
         JOIN form_definition f ON f.form_id = s.form_id AND f.version = s.form_version
        WHERE s.id = $1`,
      [facts.submissionId, facts.deadline],
    );
    if (!row || row.status === 'closed' || row.met_at) return null;
    const handlers: { email: string; languages: Lang[] }[] = await this.db.query(
      `SELECT st.email, st.languages FROM staff_unit su JOIN staff st ON st.id = su.staff_id AND st.active
        WHERE su.unit_id = $1 AND 'handler' = ANY(su.roles) ORDER BY st.email`,
      [row.unit_id],
    );
    const recipients = row.unit_email ? [row.unit_email as string] : handlers.map((h) => h.email);
    if (!recipients.length) {
      this.logger.warn(`deadline e-mail ${job.id} for submission ${facts.submissionId}: unit ${row.unit_id} has no e-mail address and no handlers`);
      return null;
    }
    const language = mostUsed(handlers.map((h) => h.languages[0]).filter(Boolean));
    const mail = renderEscalation({
      stage: facts.stage,
      deadline: facts.deadline,
      language,
      reference: row.reference,
      formTitle: (row.title as Record<Lang, string>)[language],
      dueAt: row.due_at,
      dueDate: row.due_date,
      link: inboxUrl(this.config.publicUrl, facts.submissionId),
    });
    return { recipient: recipients.join(', '), recipients, mail };
  }
}

/** The language most often given, ties in the order fi, sv, en; Finnish when none. */
function mostUsed(languages: Lang[]): Lang {
  let best: Lang = 'fi';
  let count = 0;
  for (const lang of LANGUAGES) {
    const n = languages.filter((l) => l === lang).length;
    if (n > count) [best, count] = [lang, n];
  }
  return best;
}
