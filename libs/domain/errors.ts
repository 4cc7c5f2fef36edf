export type DomainErrorCode =
  | 'invalid-command'
  | 'already-registered'
  | 'not-registered'
  | 'stage-mismatch'
  | 'gates-unmet'
  | 'department-paused'
  | 'department-not-paused'
  | 'department-finished'
  | 'wrong-stage'
  | 'unknown-deviation'
  | 'deviation-already-exists'
  | 'deviation-already-decided'
  | 'deadline-not-reached'
  | 'deadline-already-missed'
  | 'lesson-already-recorded';

/** The one place where a refusal becomes an HTTP status; the API maps errors through it. */
export const DOMAIN_ERROR_STATUS: Readonly<Record<DomainErrorCode, 400 | 404 | 409 | 422>> = {
  'invalid-command': 400,
  'not-registered': 404,
  'unknown-deviation': 404,
  'already-registered': 409,
  'stage-mismatch': 409,
  // Both are "it already exists" conflicts, like already-registered.
  'deviation-already-exists': 409,
  'lesson-already-recorded': 409,
  'gates-unmet': 422,
  'department-paused': 422,
  'department-not-paused': 422,
  'department-finished': 422,
  'wrong-stage': 422,
  'deviation-already-decided': 422,
  'deadline-not-reached': 422,
  'deadline-already-missed': 422,
};

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: DomainErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

export function invalidCommand(message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('invalid-command', message, details);
}
