import { TypeORMError } from 'typeorm';
import { NoRendererError } from './renderers';

/** Why one attempt at a message failed, and whether another attempt could succeed. */
export interface DeliveryFailure {
  permanent: boolean;
  /** For the outbox row (admins see it): the cause, with e-mail addresses masked. */
  message: string;
  /** For the log: the kind of failure, without any personal data. */
  reason: string;
}

const ADDRESS = /([^\s<>"'@,;:()[\]]+)@([^\s<>"'@,;:()[\]]+)/g;

/** `maija@example.fi` → `m***@example.fi`, everywhere in a text. */
export function maskAddresses(text: string): string {
  return text.replace(ADDRESS, (_, local: string, domain: string) => `${local.slice(0, 1)}***@${domain}`);
}

/** The message of anything thrown, Error or not (some libraries reject with plain objects or strings). */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message || thrown.name;
  if (typeof thrown === 'string') return thrown;
  if (thrown && typeof thrown === 'object') {
    const { message, name } = thrown as { message?: unknown; name?: unknown };
    if (typeof message === 'string' && message) return message;
    if (typeof name === 'string' && name) return name;
    try {
      return JSON.stringify(thrown).slice(0, 500);
    } catch {
      return Object.prototype.toString.call(thrown);
    }
  }
  return String(thrown);
}

/**
 * The database or the network failed, not the job: the same job may render
 * next time. TypeORM's errors (failed queries, lost connections), PostgreSQL's
 * (an SQLSTATE), and Node's system errors (ECONNREFUSED…).
 */
function isInfrastructureError(thrown: unknown): boolean {
  if (thrown instanceof TypeORMError || thrown instanceof NoRendererError) return true;
  if (!(thrown instanceof Error)) return false;
  const { code, syscall } = thrown as { code?: unknown; syscall?: unknown };
  if (typeof code === 'string' && (/^[0-9A-Z]{5}$/.test(code) || typeof syscall === 'string')) return true;
  // pg's own connection errors are plain Errors.
  return /connection|connect ETIMEDOUT|timeout/i.test(thrown.message);
}

/** A job whose renderer threw: permanent, unless the database or the network failed while it rendered. */
export function renderFailure(thrown: unknown): DeliveryFailure {
  const permanent = !isInfrastructureError(thrown);
  return {
    permanent,
    message: `could not render: ${maskAddresses(describeThrown(thrown))}`.slice(0, 500),
    reason: permanent ? 'rendering failed' : 'rendering failed for now (database)',
  };
}

interface SmtpErrorFields {
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
}

/**
 * A message the mail server or nodemailer refused. Permanent: a 5xx reply to
 * the recipient (`RCPT TO`) or the message (`DATA`), and an envelope or
 * message nodemailer refuses to send at all (e.g. no valid recipient).
 * Everything else may pass later: connection failures and timeouts, 4xx
 * replies, and 5xx replies to the connection, the greeting, the login or the
 * sender, which are about the server's or this service's configuration, not
 * the message.
 */
export function sendFailure(thrown: unknown): DeliveryFailure {
  const { code, responseCode, command } = (thrown && typeof thrown === 'object' ? thrown : {}) as SmtpErrorFields;
  const reply = typeof responseCode === 'number' ? responseCode : undefined;
  const permanent =
    reply !== undefined
      ? reply >= 500 && reply < 600 && (command === 'RCPT TO' || command === 'DATA')
      : code === 'EENVELOPE' || code === 'EMESSAGE';
  const what = [typeof code === 'string' ? code : undefined, reply, typeof command === 'string' ? command : undefined].filter((x) => x !== undefined).join(' ');
  return {
    permanent,
    message: `could not send: ${maskAddresses(describeThrown(thrown))}`.slice(0, 500),
    reason: `${permanent ? 'refused' : 'not sent for now'}${what ? ` (${what})` : ''}`,
  };
}
