import { HttpException } from '@nestjs/common';

/** Every error leaves the API as `{ statusCode, error, code, message, details? }`. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message, status);
  }
}

/** One code for an unknown department, wherever the API finds it missing (the domain and the gateway use the same). */
export function departmentNotFound(code: string, message = `no department ${code} is registered`, details?: Record<string, unknown>): ApiError {
  return new ApiError(404, 'department-not-found', message, details);
}
