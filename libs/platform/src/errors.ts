import type { ErrorCode } from './i18n/fi';

export type { ErrorCode };

/** One field's problem, named by its path in the request (e.g. `contact.email`). */
export interface FieldError {
  field: string;
  rule: string;
  params?: Record<string, string | number>;
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
  ) {
    super(code);
    this.name = 'DomainError';
  }
}
