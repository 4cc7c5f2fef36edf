/** The stable codes of the domain's refusals; the API's error filter decides their HTTP statuses. */
export type DomainErrorCode =
  | 'invalid-command'
  | 'already-registered'
  | 'department-not-found'
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
  | 'lesson-already-recorded'
  | 'lesson-not-found'
  | 'lesson-mandatory-unchanged'
  | 'unknown-saving'
  | 'not-overdue'
  | 'escalation-not-due';

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
