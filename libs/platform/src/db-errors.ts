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

/** Network errors of a connection to PostgreSQL that cannot be made or was lost. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
/**
 * SQLSTATEs of a database that is down, starting or stopping: class 08
 * (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now, 53300 too_many_connections.
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
/** What `pg` and `pg-pool` say when a connection ends or cannot be had in time. */
const UNAVAILABLE_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/i;

/**
 * Is this error the database being unreachable (down, restarting, out of
 * connections) rather than a fault of the statement or the request? Looks
 * through TypeORM's wrapper (`driverError`), `cause` and AggregateError
 * (Node reports a refused connection to every resolved address as one).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (CONNECTION_ERRNOS.has(e.code) || UNAVAILABLE_SQLSTATE.test(e.code))) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  const inner = [e.driverError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return inner.some((i) => i !== error && isDatabaseUnavailable(i, depth + 1));
}
