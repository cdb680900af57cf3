import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

/** C0 controls and DEL; a multi-line text may hold newlines and tabs. */
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f]/;
/** Bidirectional embeddings, overrides and isolates: they can make a text read differently than it is stored. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
/** A character a reader sees: not white space, not a control or format character. */
const VISIBLE = /[^\p{White_Space}\p{C}]/u;

/** Whether a (trimmed) text follows the text rule: no control or direction characters, something visible. */
export function isFreeText(value: string, multiline: boolean): boolean {
  return !(multiline ? CONTROL_MULTILINE : CONTROL).test(value) && !BIDI_CONTROL.test(value) && VISIBLE.test(value);
}

/** Trims, and writes a multi-line text's line breaks as `\n` (a browser's text area sends `\r\n`). */
function normalize(value: unknown, multiline: boolean): unknown {
  if (typeof value !== 'string') return value;
  return (multiline ? value.replace(/\r\n/g, '\n') : value).trim();
}

/**
 * A free text written by staff (a note, a reason, a purpose): trimmed, at
 * most `maxLength` characters, no control characters (newline and tab allowed
 * when multi-line), no bidirectional overrides, at least one visible
 * character. A missing value breaks `requiredRule` (the catalogue's rule name).
 */
export function FreeText(options: { maxLength: number; multiline?: boolean; requiredRule?: string }): PropertyDecorator {
  const multiline = options.multiline ?? false;
  const rules = [
    Transform(({ value }) => normalize(value, multiline)),
    ValidateBy({ name: options.requiredRule ?? 'isDefined', validator: { validate: (v) => v !== undefined && v !== null } }),
    ValidateBy({ name: 'isString', validator: { validate: (v) => v === undefined || v === null || typeof v === 'string' } }),
    ValidateBy({ name: 'maxLength', constraints: [options.maxLength], validator: { validate: (v) => typeof v !== 'string' || [...v].length <= options.maxLength } }),
    ValidateBy({ name: 'freeText', validator: { validate: (v) => typeof v !== 'string' || isFreeText(v, multiline) } }),
  ];
  return (target, property) => rules.forEach((rule) => rule(target, property));
}
