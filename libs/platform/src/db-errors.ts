import { QueryFailedError } from 'typeorm';
import { DomainError } from './errors';

/** PostgreSQL's SQLSTATE of a failed query, if it is one. */
export function pgErrorCode(error: unknown): string | undefined {
  return error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';
export const EXCLUSION_VIOLATION = '23P01';

/** Maps unique and foreign-key violations to 409/422 errors naming the field; other errors pass through. */
export function rethrowConstraintViolation(fields: { unique?: string; reference?: string }) {
  return (error: unknown): never => {
    const code = pgErrorCode(error);
    if (code === UNIQUE_VIOLATION && fields.unique) throw new DomainError('already_exists', { field: fields.unique });
    if (code === FOREIGN_KEY_VIOLATION && fields.reference) throw new DomainError('unknown_reference', { field: fields.reference });
    throw error;
  };
}
