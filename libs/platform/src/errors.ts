import type { ErrorCode } from './i18n/fi';
import type { Lang } from './i18n';

export type { ErrorCode };

/** One field's problem, named by its path in the request (e.g. `contact.email`). */
export interface FieldError {
  field: string;
  rule: string;
  params?: Record<string, string | number>;
  /** Parameters worded per language, e.g. the labels of the questions a message names. */
  texts?: Record<string, Record<'fi' | 'sv' | 'en', string>>;
  /** The question's label in each language, shown before the message. */
  label?: Record<'fi' | 'sv' | 'en', string>;
}

/**
 * The only error domain code throws. It carries a stable code; the HTTP layer
 * maps the code to a status and to a message in the caller's language.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly fields: FieldError[] = [],
    /** The language to word it in when the request named one (otherwise the caller's Accept-Language). */
    readonly language?: Lang,
  ) {
    super(code);
    this.name = 'DomainError';
  }
}
