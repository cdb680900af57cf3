import { isEmail } from 'class-validator';

/**
 * The one rule for text people type, used by every request field (through
 * the decorators in validators.ts) and by the forms runtime for every string
 * answer. Text is normalised first (Unicode NFC, line breaks as `\n`, trimmed),
 * then checked:
 *
 * - no control characters (C0, DEL, C1) and no unpaired surrogates, except
 *   newline and tab in multi-line text;
 * - no line breaks in single-line text;
 * - no bidirectional embeddings, overrides or isolates (U+202A–U+202E,
 *   U+2066–U+2069), which can make text read differently from what it is;
 * - at least one visible character.
 *
 * A person's name is single-line text of letters (any script, with their
 * combining marks), spaces, hyphens, apostrophes (' and ’) and periods; it
 * starts with a letter or an apostrophe, and a period is never directly
 * followed by two letters, so no web address passes as a name.
 */
export type TextRule = 'textControl' | 'textLineBreak' | 'textBidi' | 'textBlank' | 'personName';

export interface TextOptions {
  /** Newlines and tabs allowed (a textarea); otherwise one line. */
  multiline?: boolean;
}

const LINE_BREAKS = /\r\n?|[\u2028\u2029]/g;
const LINE_BREAK = /[\n\r\u2028\u2029\u0085]/;
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F]|\p{Cs}/u;
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|\p{Cs}/u;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

const NAME_CHARACTERS = /^[\p{L}\p{M} '’.-]+$/u;
const NAME_START = /^[\p{L}'’]/u;
const NAME_LETTER = /\p{L}/u;
/** `example.fi`, `www.x`: a period directly followed by two letters. */
const DOMAIN_LIKE = /\.\p{L}\p{M}*\p{L}/u;

/** NFC, line breaks as `\n` in multi-line text, trimmed. Idempotent. */
export function normalizeText(value: string, options: TextOptions = {}): string {
  let text = value.normalize('NFC');
  if (options.multiline) text = text.replace(LINE_BREAKS, '\n');
  return text.trim();
}

/** A person's name normalised: as text, with any kind of space as a plain space. */
export function normalizePersonName(value: string): string {
  return normalizeText(value).replace(/\p{Zs}/gu, ' ');
}

/** The first rule a normalised text breaks, or undefined. */
export function textProblem(value: string, options: TextOptions = {}): TextRule | undefined {
  if (!options.multiline && LINE_BREAK.test(value)) return 'textLineBreak';
  if ((options.multiline ? CONTROL_MULTILINE : CONTROL_SINGLE_LINE).test(value)) return 'textControl';
  if (BIDI.test(value)) return 'textBidi';
  if (!VISIBLE.test(value)) return 'textBlank';
  return undefined;
}

/** The first rule a normalised name breaks, or undefined. */
export function personNameProblem(value: string): TextRule | undefined {
  const problem = textProblem(value);
  if (problem) return problem;
  if (!NAME_CHARACTERS.test(value) || !NAME_START.test(value) || !NAME_LETTER.test(value) || DOMAIN_LIKE.test(value)) return 'personName';
  return undefined;
}

export function isPersonName(value: unknown): boolean {
  return typeof value === 'string' && value === normalizePersonName(value) && personNameProblem(value) === undefined;
}

/**
 * The e-mail addresses we can actually send to: what both the mailer and the
 * calendar file accept. The calendar library checks attendees against the
 * HTML specification's "valid e-mail address" (ASCII only: no internationalised
 * local parts or domains, no quoted local parts, no address literals); the
 * mailer and SMTP further need a dot-atom local part of at most 64 characters
 * and a domain with a top-level domain. At most 254 characters in all.
 */
const HTML_EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export const EMAIL_MAX_LENGTH = 254;

export function isSendableEmail(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= EMAIL_MAX_LENGTH &&
    HTML_EMAIL.test(value) &&
    isEmail(value, { require_tld: true, allow_utf8_local_part: false, allow_ip_domain: false, allow_display_name: false })
  );
}

/** The JSON pointer of the first string or key holding a NUL character (PostgreSQL stores neither), or undefined. */
export function findNulCharacter(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [item, pointer] = stack.pop()!;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return pointer || '/';
    } else if (item && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1').replace(/\u0000/g, '\\u0000')}`;
        if (key.includes('\u0000')) return at;
        stack.push([child, at]);
      }
    }
  }
  return undefined;
}
