import type { EntityManager } from 'typeorm';
import type { Lang } from '@app/platform';
import type { Priority, SubmissionStatus } from './delivery.dto';
import { type DeadlineView, type InformedView, clocksOf } from './legal-clocks';

/**
 * What may be known of a submission without opening it: the metadata that
 * stays in clear for inboxes and administration. Never an answer, a note or
 * a message.
 */
export interface SubmissionMetadata {
  id: string;
  reference: string;
  form: { id: string; version: number; title: string };
  purpose: string;
  /** The language it was filled in. */
  language: Lang;
  priority: Priority;
  status: SubmissionStatus;
  /** The outcome chosen when it was closed (a value of the form's outcome list). */
  outcome: string | null;
  /** Whether the sender identified themself. */
  identified: boolean;
  submittedAt: Date;
  statusChangedAt: Date | null;
  closedAt: Date | null;
  /** The unit it is with now. */
  unit: { id: string; code: string; name: string } | null;
  assignedTo: { id: string; name: string } | null;
  /** The legal clocks: each deadline, whether it is met (in time) or overdue. */
  deadlines: DeadlineView[];
  /** Past an open deadline, and not closed. */
  overdue: boolean;
  /** Child-welfare notifications: when the child and the guardians were told. */
  informed: InformedView[];
  /** When its content (answers, notes, messages) was purged at the end of its retention period; the metadata stays. */
  purgedAt: Date | null;
}

/** Selects the columns `toMetadata` reads, as `s` (submission), `u` (its unit) and `a` (the assignee). */
export const METADATA_FROM = `
  SELECT s.id, s.reference, s.form_id, s.form_version, s.purpose, s.language, s.priority, s.status, s.outcome, s.identified,
         s.submitted_at, s.status_changed_at, s.closed_at, s.purged_at, s.unit_id, u.code AS unit_code, u.name AS unit_name,
         s.assigned_to, a.name AS assignee_name
    FROM submission s
    LEFT JOIN unit u ON u.id = s.unit_id
    LEFT JOIN staff a ON a.id = s.assigned_to`;

/** Metadata of the rows, form titles and unit names in `lang`; deadlines overdue as of `now`. */
export async function toMetadata(tx: EntityManager, rows: Record<string, never>[], lang: Lang, now: Date): Promise<SubmissionMetadata[]> {
  const forms = [...new Set(rows.map((r) => `${r.form_id}\u0000${r.form_version}`))].map((key) => key.split('\u0000'));
  const titles = new Map<string, Record<Lang, string>>();
  if (forms.length) {
    const found = await tx.query(
      `SELECT f.form_id, f.version, f.definition->'title' AS title
         FROM form_definition f JOIN unnest($1::text[], $2::int[]) AS k(form_id, version) ON k.form_id = f.form_id AND k.version = f.version`,
      [forms.map(([id]) => id), forms.map(([, version]) => Number(version))],
    );
    for (const f of found) titles.set(`${f.form_id}\u0000${f.version}`, f.title);
  }
  const clocks = await clocksOf(tx, rows.map((r) => ({ id: r.id, status: r.status })), now, lang);
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    form: { id: r.form_id, version: r.form_version, title: titles.get(`${r.form_id}\u0000${r.form_version}`)?.[lang] ?? r.form_id },
    purpose: r.purpose,
    language: r.language,
    priority: r.priority,
    status: r.status,
    outcome: r.outcome,
    identified: r.identified,
    submittedAt: r.submitted_at,
    statusChangedAt: r.status_changed_at,
    closedAt: r.closed_at,
    unit: r.unit_id ? { id: r.unit_id, code: r.unit_code, name: (r.unit_name as Record<Lang, string>)[lang] } : null,
    assignedTo: r.assigned_to ? { id: r.assigned_to, name: r.assignee_name } : null,
    ...clocks.get(r.id)!,
    purgedAt: r.purged_at,
  }));
}

/** One submission's metadata, deadlines overdue as of `now`. */
export async function metadataOf(tx: EntityManager, submissionId: string, lang: Lang, now: Date): Promise<SubmissionMetadata> {
  const rows = await tx.query(`${METADATA_FROM} WHERE s.id = $1`, [submissionId]);
  return (await toMetadata(tx, rows, lang, now))[0];
}
