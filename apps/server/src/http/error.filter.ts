import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, type ErrorCode, type FieldError, type Lang, catalogue, interpolate, isDatabaseUnavailable, pickLanguage } from '@app/platform';

/** Seconds a client is asked to wait while the database is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** HTTP status of each domain error code. */
const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  malformed_request: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_found: 404,
  unauthenticated: 401,
  invalid_credentials: 401,
  too_many_attempts: 429,
  rate_limited: 429,
  booking_limit_reached: 429,
  forbidden: 403,
  cross_site_request: 403,
  already_exists: 409,
  unknown_reference: 422,
  invalid_range: 400,
  slot_not_found: 404,
  slot_taken: 409,
  slot_unavailable: 409,
  slot_in_past: 422,
  slot_within_minimum_notice: 422,
  slot_beyond_horizon: 422,
  staff_overlap: 409,
  wrong_service: 422,
  staff_language_mismatch: 422,
  change_deadline_passed: 422,
  appointment_not_active: 409,
  invalid_status_change: 409,
  idempotency_key_reused: 422,
  slot_booked: 409,
  answers_invalid: 422,
  form_lint_failed: 422,
  form_version_exists: 409,
  form_not_draft: 409,
  form_not_published: 404,
  pre_information_by_link_only: 403,
  no_receiving_unit: 422,
  json_too_deep: 400,
  draft_too_large: 413,
  invalid_submission_status: 409,
  submission_closed: 409,
  assignee_not_handler: 403,
  already_in_unit: 409,
  child_welfare_only: 409,
  not_for_child_welfare: 409,
  already_recorded: 409,
  assessment_first: 409,
  receipt_not_found: 404,
  conversation_closed: 409,
  // The content was deleted at the end of its retention period, for good: not "not found", and not coming back.
  submission_purged: 410,
  // Sealed data failed its integrity check (or its master key is missing): a fault of the service, not of the caller.
  record_unreadable: 500,
  internal: 500,
  service_unavailable: 503,
};

/** Codes whose `seconds` tell the client when to try again. */
const RETRY_AFTER = new Set<ErrorCode>(['too_many_attempts', 'rate_limited', 'booking_limit_reached']);

export interface ErrorBody {
  status: number;
  code: ErrorCode;
  message: string;
  fields?: { field: string; rule: string; message: string }[];
}

/** Maps any error to a status and a message in the caller's language (Accept-Language; Finnish by default). */
export function renderError(error: DomainError, lang: Lang): ErrorBody {
  const texts = catalogue(lang);
  const status = STATUS[error.code];
  const fields = error.fields.map((f: FieldError) => {
    const template = texts.validation[f.rule as keyof typeof texts.validation] ?? texts.validation.invalid;
    const worded = Object.fromEntries(Object.entries(f.texts ?? {}).map(([name, value]) => [name, value[lang]]));
    const message = interpolate(template, { ...f.params, ...worded });
    return { field: f.field, rule: f.rule, message: f.label ? `${f.label[lang]}: ${message}` : message };
  });
  // A question is named by its label (already in its message); a request field by its path.
  const summary = fields.map((f, i) => (error.fields[i].label ? f.message : `${f.field}: ${f.message}`)).join(' ');
  const message = interpolate(texts.errors[error.code], error.params) + (summary ? ` ${summary}` : '');
  return { status, code: error.code, message, ...(fields.length ? { fields } : {}) };
}

/** Errors from outside domain code (routing, body parsing) as domain errors. */
function asDomainError(exception: unknown): DomainError | undefined {
  if (exception instanceof DomainError) return exception;
  const status = exception instanceof HttpException ? exception.getStatus() : (exception as { status?: number })?.status;
  const type = (exception as { type?: string })?.type;
  if (status === 413 || type === 'entity.too.large') return new DomainError('payload_too_large');
  if (status === 415 || type === 'charset.unsupported' || type === 'encoding.unsupported') return new DomainError('unsupported_media_type');
  if (status === 400) return new DomainError('malformed_request');
  if (status === 404) return new DomainError('not_found');
  if (status === 401) return new DomainError('unauthenticated');
  if (status === 403) return new DomainError('forbidden');
  return undefined;
}

/** Renders an error as an HTML page, for paths that are pages. */
export interface ErrorPages {
  render(req: Request, res: Response, error: ErrorBody): void;
}

/** Paths that are not pages: the JSON API and the health check answer errors in JSON. */
function isPagePath(path: string): boolean {
  return !/^\/(api|health)(\/|$)/.test(path);
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  constructor(private readonly pages?: ErrorPages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const lang = pickLanguage(request.headers['accept-language']);
    // The health check's own 503 (a dependency is down): its report, with the reason in words.
    if (exception instanceof HttpException && exception.getStatus() === 503) {
      const report = exception.getResponse();
      const { code, message } = renderError(new DomainError('service_unavailable'), lang);
      response.setHeader('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      response.status(503).json({ ...(typeof report === 'object' ? report : {}), code, message });
      return;
    }
    // The database being down or restarting is not a fault of the service: 503, try again.
    const domain = isDatabaseUnavailable(exception) ? new DomainError('service_unavailable') : asDomainError(exception);
    if (!domain) {
      const error = exception as Error;
      this.logger.error(`unhandled ${error?.name}: ${error?.message} (${request.method} ${request.route?.path ?? ''})`, error?.stack);
    } else if (domain.code === 'service_unavailable') {
      const error = exception as Error;
      this.logger.warn(`database unavailable: ${error?.message} (${request.method} ${request.route?.path ?? ''})`);
    }
    const body = renderError(domain ?? new DomainError('internal'), domain?.language ?? lang);
    if (RETRY_AFTER.has(body.code)) response.setHeader('Retry-After', String(domain?.params.seconds ?? 1));
    if (body.code === 'service_unavailable') response.setHeader('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    if (this.pages && isPagePath(request.path) && !response.headersSent) {
      this.pages.render(request, response, body);
      return;
    }
    response.status(body.status).json(body);
  }
}
