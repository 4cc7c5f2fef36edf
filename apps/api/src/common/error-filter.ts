import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';
import { DOMAIN_ERROR_STATUS, DomainError, type DomainErrorCode } from '../../../../libs/domain/index.js';
import { CommandRefused } from '../../../../libs/temporal/index.js';
import { ApiError, type ErrorBody } from './api-error.js';

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

/** The one place where any failure becomes an HTTP answer; nothing internal leaks out. */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof ApiError) {
    return body(exception.getStatus(), exception.code, exception.message, exception.details);
  }
  if (exception instanceof DomainError || exception instanceof CommandRefused) {
    return body(statusForRefusal(exception.code), exception.code, exception.message, exception.details);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? String((response as { message: unknown }).message)
        : exception.message;
    return body(status, HTTP_CODES[status] ?? `http-${status}`, message);
  }
  const status = httpStatusOf(exception);
  if (status !== undefined) {
    // body-parser and friends: malformed JSON, too large, bad charset.
    const type = (exception as { type?: string }).type;
    const code = type === 'entity.parse.failed' ? 'malformed-json' : (HTTP_CODES[status] ?? `http-${status}`);
    return body(status, code, code === 'malformed-json' ? 'the request body is not valid JSON' : STATUS_CODES[status] ?? 'error');
  }
  return body(500, 'internal-error', 'an unexpected error occurred; it has been logged');
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
    const response = host.switchToHttp().getResponse<Response>();
    const error = toErrorBody(exception);
    if (error.statusCode >= HttpStatus.INTERNAL_SERVER_ERROR) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (response.headersSent) return;
    response.status(error.statusCode).json(error);
  }
}
