import { LocalDate, addWorkingDays, helsinkiDateOf, isWorkingDay, startOfHelsinkiDay } from '@app/platform';
import type { FormDefinition } from './form-definition';

/**
 * The legal clocks a submission can carry:
 * - `assessment`: a child-welfare notification's urgency assessment, at once
 *   (escalated after `handling.assessWithinHours`, 24 by default);
 * - `decision`: whether a child-welfare case is opened, within 7 working days
 *   (Lastensuojelulaki 417/2007 §26; `handling.decisionWorkingDays`);
 * - `first-contact`: a help request's (or another form's) first contact within
 *   `handling.firstResponseWorkingDays`.
 */
export const DEADLINE_KINDS = ['assessment', 'decision', 'first-contact'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DEFAULT_ASSESS_WITHIN_HOURS = 24;
/** Lastensuojelulaki 417/2007 §26: the decision on a notification within 7 working days; a form may set fewer, never more. */
export const DECISION_WORKING_DAYS = 7;

/** One deadline as set on arrival. */
export interface Deadline {
  kind: DeadlineKind;
  /** Overdue from this instant on (for a working-day deadline, the start of the Helsinki day after `dueDate`). */
  dueAt: Date;
  /** A working-day deadline's last day (Helsinki). */
  dueDate: LocalDate | null;
  /**
   * When the unit is told the deadline is near: the start of the working day
   * before the last day (a working-day deadline), or a day before `dueAt`
   * (one in hours). None when that moment is not after arrival: the arrival
   * notice already says it.
   */
  warnAt: Date | null;
}

const HOUR_MS = 3_600_000;

/**
 * The date `days` working days after the day `receivedAt` falls on in
 * Helsinki: the day of receipt is not counted; weekends and Finnish public
 * holidays (with Midsummer Eve and Christmas Eve) are skipped.
 */
export function workingDayDeadline(receivedAt: Date, days: number): LocalDate {
  return addWorkingDays(helsinkiDateOf(receivedAt), days);
}

function lastWorkingDayBefore(date: LocalDate): LocalDate {
  let d = date.minusDays(1);
  while (!isWorkingDay(d)) d = d.minusDays(1);
  return d;
}

function byWorkingDays(kind: DeadlineKind, receivedAt: Date, days: number): Deadline {
  const dueDate = workingDayDeadline(receivedAt, days);
  const warnAt = startOfHelsinkiDay(lastWorkingDayBefore(dueDate));
  return { kind, dueAt: startOfHelsinkiDay(dueDate.plusDays(1)), dueDate, warnAt: warnAt > receivedAt ? warnAt : null };
}

/** The deadlines a submission of this form version gets when it arrives at `receivedAt`. Pre-information has none. */
export function deadlinesOf(definition: FormDefinition, receivedAt: Date): Deadline[] {
  const { handling, purpose } = definition;
  if (purpose === 'pre-information') return [];
  if (purpose === 'child-welfare-notification') {
    const dueAt = new Date(receivedAt.getTime() + (handling.assessWithinHours ?? DEFAULT_ASSESS_WITHIN_HOURS) * HOUR_MS);
    const warnAt = new Date(dueAt.getTime() - 24 * HOUR_MS);
    return [
      { kind: 'assessment', dueAt, dueDate: null, warnAt: warnAt > receivedAt ? warnAt : null },
      byWorkingDays('decision', receivedAt, handling.decisionWorkingDays ?? DECISION_WORKING_DAYS),
    ];
  }
  const days = handling.firstResponseWorkingDays;
  return days !== undefined && days > 0 ? [byWorkingDays('first-contact', receivedAt, days)] : [];
}

/** Which clocks a purpose has, whether or not the form version sets a deadline for them. */
export function clockKindsOf(purpose: FormDefinition['purpose']): DeadlineKind[] {
  if (purpose === 'child-welfare-notification') return ['assessment', 'decision'];
  if (purpose === 'pre-information') return [];
  return ['first-contact'];
}
