import type { EntityManager } from 'typeorm';
import type { Lang } from '@app/platform';
import type { DeadlineKind } from '@app/forms';
import { type AssessmentResult, CLOCK_LABELS, type ContactChannel, type Decision, type InformedParty } from './legal-clocks.dto';

/** One legal clock of a submission, as the inbox shows it. */
export interface DeadlineView {
  kind: DeadlineKind;
  label: string;
  /** Overdue from this instant on; null for a clock that was recorded without a deadline. */
  dueAt: Date | null;
  /** A working-day deadline's last day (Helsinki), e.g. `2026-03-12`. */
  dueDate: string | null;
  /** Whether what the clock waits for has been recorded. */
  met: boolean;
  /** When it was done, as recorded. */
  metAt: Date | null;
  /** Done before `dueAt`; null while open or without a deadline. */
  metInTime: boolean | null;
  /** Open, past `dueAt`, and the submission not closed. */
  overdue: boolean;
  /** The assessment's result, the decision or the contact's channel. */
  result: { value: string; label: string } | null;
  metBy: { id: string; name: string } | null;
}

export interface InformedView {
  who: InformedParty;
  label: string;
  at: Date;
}

export interface ClockState {
  deadlines: DeadlineView[];
  /** Past an open deadline, and not closed. */
  overdue: boolean;
  /** Child-welfare notifications: when the child and the guardians were told. */
  informed: InformedView[];
}

const KIND_ORDER = `array_position(ARRAY['assessment', 'decision', 'first-contact'], d.kind)`;

/**
 * A submission is overdue when it is not closed and one of its clocks is
 * open past its deadline. `$now` names the parameter holding the time.
 */
export const overdueSql = (alias: string, now: string) => `(${alias}.status <> 'closed' AND EXISTS (
  SELECT 1 FROM submission_deadline od WHERE od.submission_id = ${alias}.id AND od.met_at IS NULL AND od.due_at <= ${now}))`;

function resultLabel(kind: DeadlineKind, value: string, lang: Lang): string {
  const labels =
    kind === 'assessment'
      ? CLOCK_LABELS.assessment[value as AssessmentResult]
      : kind === 'decision'
        ? CLOCK_LABELS.decision[value as Decision]
        : CLOCK_LABELS.channel[value as ContactChannel];
  return labels?.[lang] ?? value;
}

/** The clocks of submissions (id → state), as of `now`, labels in `lang`. */
export async function clocksOf(tx: EntityManager, submissions: { id: string; status: string }[], now: Date, lang: Lang): Promise<Map<string, ClockState>> {
  const states = new Map<string, ClockState>(submissions.map((s) => [s.id, { deadlines: [], overdue: false, informed: [] }]));
  if (!submissions.length) return states;
  const closed = new Set(submissions.filter((s) => s.status === 'closed').map((s) => s.id));
  const ids = submissions.map((s) => s.id);
  const deadlines = await tx.query(
    `SELECT d.submission_id, d.kind, d.due_at, d.due_date, d.met_at, d.result, d.met_by, st.name AS met_by_name
       FROM submission_deadline d LEFT JOIN staff st ON st.id = d.met_by
      WHERE d.submission_id = ANY($1::uuid[]) ORDER BY d.submission_id, ${KIND_ORDER}`,
    [ids],
  );
  for (const d of deadlines) {
    const state = states.get(d.submission_id)!;
    const kind = d.kind as DeadlineKind;
    const overdue = !closed.has(d.submission_id) && d.met_at === null && d.due_at !== null && d.due_at <= now;
    state.overdue ||= overdue;
    state.deadlines.push({
      kind,
      label: CLOCK_LABELS.kind[kind][lang],
      dueAt: d.due_at,
      dueDate: d.due_date,
      met: d.met_at !== null,
      metAt: d.met_at,
      metInTime: d.met_at === null || d.due_at === null ? null : d.met_at < d.due_at,
      overdue,
      result: d.result ? { value: d.result, label: resultLabel(kind, d.result, lang) } : null,
      metBy: d.met_by ? { id: d.met_by, name: d.met_by_name } : null,
    });
  }
  const informed = await tx.query(
    `SELECT submission_id, who, at FROM submission_informed WHERE submission_id = ANY($1::uuid[]) ORDER BY submission_id, array_position(ARRAY['child', 'guardians'], who)`,
    [ids],
  );
  for (const i of informed) states.get(i.submission_id)!.informed.push({ who: i.who, label: CLOCK_LABELS.informed[i.who as InformedParty][lang], at: i.at });
  return states;
}
