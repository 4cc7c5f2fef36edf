import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { DomainError, type DomainErrorCode } from '../../../../libs/domain/index.js';
import { CommandRefused } from '../../../../libs/temporal/index.js';
import { ApiError, type ErrorBody } from './api-error.js';
import { renderConsoleError } from '../console/console-errors.js';
import { inPeoplesWords } from '../console/error-words.js';
import { isConsoleRequest } from '../console/console-requests.js';

/** The one place where a domain refusal becomes an HTTP status (SPEC §5); the domain keeps codes only. */
export const DOMAIN_ERROR_STATUS: Readonly<Record<DomainErrorCode, 400 | 404 | 409 | 422>> = {
  'invalid-command': 400,
  'department-not-found': 404,
  'unknown-deviation': 404,
  'unknown-saving': 404,
  'lesson-not-found': 404,
  'already-registered': 409,
  'stage-mismatch': 409,
  // Both are "it already exists" conflicts, like already-registered.
  'deviation-already-exists': 409,
  'lesson-already-recorded': 409,
  // Marking a lesson as it already is: the change was already made (perhaps by someone else).
  'lesson-mandatory-unchanged': 409,
  'gates-unmet': 422,
  'department-paused': 422,
  'department-not-paused': 422,
  'department-finished': 422,
  'wrong-stage': 422,
  'deviation-already-decided': 422,
  'deadline-not-reached': 422,
  'deadline-already-missed': 422,
  'not-overdue': 422,
  'escalation-not-due': 422,
};

const GATEWAY_STATUS: Record<string, number> = {
  'temporal-unavailable': 503,
  'stream-version-conflict': 409,
  'command-refused': 422,
};

/** Codes Nest and Express raise before our code runs, mapped to stable names. */
const HTTP_CODES: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  429: 'rate-limited',
  503: 'service-unavailable',
};

export function statusForRefusal(code: string): number {
  return DOMAIN_ERROR_STATUS[code as DomainErrorCode] ?? GATEWAY_STATUS[code] ?? 422;
}

function body(status: number, code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', code, message, ...(details ? { details } : {}) };
}

/** How long a caller of a 503 is asked to wait before retrying. */
export const RETRY_AFTER_SECONDS = 2;

const GENERIC_MESSAGE = 'an unexpected error occurred; it has been logged';

/** Errors raised by body-parser before any of our code runs, by their `type`. */
const BODY_PARSER_CODES: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'malformed-json', message: 'the request body is not valid JSON' },
  'entity.too.large': { status: 413, code: 'payload-too-large', message: 'the request body is larger than 100 kB' },
  'charset.unsupported': { status: 415, code: 'unsupported-media-type', message: 'request bodies must be UTF-8 JSON' },
  'encoding.unsupported': { status: 415, code: 'unsupported-media-type', message: 'compressed request bodies are not accepted' },
  'request.aborted': { status: 400, code: 'request-aborted', message: 'the request body was not received in full' },
  'request.size.invalid': { status: 400, code: 'bad-request', message: 'the request body does not match its Content-Length' },
};

/** Refusals the workflow and gateway are known to raise; anything else is a fault, not a refusal. */
function isKnownRefusal(code: string): boolean {
  return code in DOMAIN_ERROR_STATUS || code in GATEWAY_STATUS;
}

/** Socket errors and PostgreSQL's connection-exception, shutdown and capacity classes. */
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0)/;

/** The errno or SQLSTATE of an error, of the driver error TypeORM wraps, or of a cause. */
function errorCodes(exception: unknown): string[] {
  const codes: string[] = [];
  for (let error = exception, depth = 0; error && typeof error === 'object' && depth < 3; depth++) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    error = (error as { driverError?: unknown }).driverError ?? (error as { cause?: unknown }).cause;
  }
  return codes;
}

function isDatabaseUnavailable(exception: unknown): boolean {
  if (exception instanceof Error && /Connection terminated unexpectedly/.test(exception.message)) return true;
  return errorCodes(exception).some((code) => UNAVAILABLE_ERRNO.has(code) || UNAVAILABLE_SQLSTATE.test(code));
}

/** PostgreSQL refusing characters it cannot store (NUL, bad UTF-8): the input's fault, whatever let it through. */
const UNSTORABLE_SQLSTATE = new Set(['22021', '22P05']);

function bodyParserError(exception: unknown): (typeof BODY_PARSER_CODES)[string] | undefined {
  const candidates = [exception, exception instanceof Error ? exception.cause : undefined];
  for (const candidate of candidates) {
    const type = typeof candidate === 'object' && candidate !== null ? (candidate as { type?: unknown }).type : undefined;
    if (typeof type === 'string' && BODY_PARSER_CODES[type]) return BODY_PARSER_CODES[type];
  }
  return undefined;
}

/** The one place where any failure becomes an HTTP answer; nothing internal leaks out. */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof ApiError) {
    return body(exception.getStatus(), exception.code, exception.message, exception.details);
  }
  if (exception instanceof DomainError) {
    return body(statusForRefusal(exception.code), exception.code, exception.message, exception.details);
  }
  if (exception instanceof CommandRefused && isKnownRefusal(exception.code)) {
    return body(statusForRefusal(exception.code), exception.code, exception.message, exception.details);
  }
  const parser = bodyParserError(exception);
  if (parser) return body(parser.status, parser.code, parser.message);
  if (exception instanceof URIError || (exception instanceof HttpException && exception.cause instanceof URIError)) {
    return body(400, 'malformed-url', 'the request URL is not correctly percent-encoded');
  }
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? String((response as { message: unknown }).message)
        : exception.message;
    return body(status, HTTP_CODES[status] ?? `http-${status}`, message);
  }
  const status = exception instanceof HttpException ? exception.getStatus() : httpStatusOf(exception);
  if (status !== undefined && status < 500) {
    return body(status, HTTP_CODES[status] ?? `http-${status}`, STATUS_CODES[status] ?? 'error');
  }
  if (errorCodes(exception).some((code) => UNSTORABLE_SQLSTATE.has(code))) {
    return body(400, 'invalid-characters', 'the request holds characters that cannot be stored');
  }
  if (status === 503 || isDatabaseUnavailable(exception)) {
    return body(503, 'service-unavailable', 'a service the API depends on is unavailable; retry later');
  }
  return body(500, 'internal-error', GENERIC_MESSAGE);
}

function httpStatusOf(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const status = (exception as { status?: unknown; statusCode?: unknown }).status ?? (exception as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request & { requestId?: string }>();
    const error = toErrorBody(exception);
    if (error.statusCode >= HttpStatus.INTERNAL_SERVER_ERROR) {
      // The whole story goes to the log (the logger scrubs secrets), none of it to the caller.
      const where = `request ${request.requestId ?? '-'} ${request.method} ${request.path}`;
      this.logger.error(`${where}: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`);
    }
    if (response.headersSent) return;
    // Every 503 is a dependency that is down or slow: the caller may retry, and when.
    if (error.statusCode === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    if (isConsoleRequest(request)) return renderConsoleError(request, response, inPeoplesWords(error));
    response.status(error.statusCode).json(error);
  }
}
