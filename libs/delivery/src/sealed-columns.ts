/**
 * Where a sealed value (`Envelope.seal`) is kept: three text columns (the
 * master key's id, the wrapped data key, the payload), or one jsonb column
 * holding `{ keyId, wrappedKey, payload }`.
 */
export type SealedLayout = { keyId: string; wrappedKey: string; payload: string } | { json: string };

export interface SealedColumns {
  /** A table with a uuid primary key `id`. */
  table: string;
  layout: SealedLayout;
  /**
   * What the retention purge does with it when a submission's content is
   * purged: `clear` the columns on the `submission` row itself, or `delete`
   * this table's rows of the submission (by `submission_id`). Absent: it is
   * not part of a submission's content.
   */
  purge?: 'clear' | 'delete';
}

const COLUMNS = { keyId: 'key_id', wrappedKey: 'wrapped_key', payload: 'payload' };

/**
 * Every sealed value in the database. Key rotation (`keys:rotate`) rewraps
 * each of them, and retention purges those marked `purge`. A new sealed
 * column is one line here.
 */
export const SEALED_COLUMNS: readonly SealedColumns[] = [
  { table: 'submission', layout: COLUMNS, purge: 'clear' },
  // The address a sender gave for the reply notice.
  { table: 'submission', layout: { json: 'reply_notice_to' }, purge: 'clear' },
  { table: 'submission_note', layout: COLUMNS, purge: 'delete' },
  { table: 'submission_message', layout: COLUMNS, purge: 'delete' },
  { table: 'form_draft', layout: COLUMNS },
  { table: 'outbox', layout: { json: 'secrets' } },
];

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** SQL fragments for one sealed value; names are checked, as they are put into statements. */
export function sealedSql(entry: SealedColumns) {
  const names = [entry.table, ...('json' in entry.layout ? [entry.layout.json] : Object.values(entry.layout))];
  for (const name of names) if (!IDENTIFIER.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  if (entry.purge === 'clear' && entry.table !== 'submission') throw new Error(`only the submission's own columns are cleared by the purge: ${entry.table}`);
  const { layout } = entry;
  if ('json' in layout) {
    const c = `t.${layout.json}`;
    return {
      label: `${entry.table}.${layout.json}`,
      keyId: `(${c}->>'keyId')`,
      select: `${c}->>'keyId' AS key_id, ${c}->>'wrappedKey' AS wrapped_key, ${c}->>'payload' AS payload`,
      /** $1 the key id; `v.wrapped` the new wrapped key. */
      set: `${layout.json} = t.${layout.json} || jsonb_build_object('keyId', $1::text, 'wrappedKey', v.wrapped)`,
      clear: `${layout.json} = NULL`,
    };
  }
  return {
    label: `${entry.table}.${layout.payload}`,
    keyId: `t.${layout.keyId}`,
    select: `t.${layout.keyId} AS key_id, t.${layout.wrappedKey} AS wrapped_key, t.${layout.payload} AS payload`,
    set: `${layout.keyId} = $1::text, ${layout.wrappedKey} = v.wrapped`,
    clear: `${layout.keyId} = NULL, ${layout.wrappedKey} = NULL, ${layout.payload} = NULL`,
  };
}
