import { invalidCommand } from '../errors.js';

/** A department code as stored: upper case. Input may be any case; it is upper-cased first. */
export const DEPARTMENT_CODE_PATTERN = /^[A-Z][A-Z0-9]{1,9}$/;
/** The same rule for input, where `dft` means `DFT`. */
export const DEPARTMENT_CODE_INPUT_PATTERN = new RegExp(DEPARTMENT_CODE_PATTERN.source, 'i');
/** The rule in words, for error messages and the OpenAPI document. */
export const DEPARTMENT_CODE_RULE = '2-10 letters and digits, starting with a letter';

/** A department code as the deciders take it: upper case already (the API upper-cases input). */
export function requireDepartmentCode(value: unknown, field: string): string {
  if (typeof value !== 'string' || !DEPARTMENT_CODE_PATTERN.test(value)) {
    throw invalidCommand(`${field} must be ${DEPARTMENT_CODE_RULE}, in upper case`, { field });
  }
  return value;
}

export const DEPARTMENT_STREAM_PREFIX = 'department-';
export const ONBOARDING_WORKFLOW_ID_PREFIX = 'onboarding-';

/**
 * The event stream of a department. Codes are upper case; a lower-case code from a URL
 * is upper-cased first so `dft` and `DFT` never become two streams.
 */
export function streamIdFor(code: string): string {
  const normalised = typeof code === 'string' ? code.trim().toUpperCase() : '';
  if (!DEPARTMENT_CODE_PATTERN.test(normalised)) {
    throw invalidCommand(`'${String(code)}' is not a department code`, { code });
  }
  return `${DEPARTMENT_STREAM_PREFIX}${normalised}`;
}

/** The department whose stream this is; null for any other stream (a centre's, the programme's). */
export function departmentCodeOf(streamId: string): string | null {
  return streamId.startsWith(DEPARTMENT_STREAM_PREFIX) ? streamId.slice(DEPARTMENT_STREAM_PREFIX.length) : null;
}

/** The Temporal workflow id of a department's onboarding (SPEC §3). */
export function workflowIdFor(code: string): string {
  return ONBOARDING_WORKFLOW_ID_PREFIX + streamIdFor(code).slice(DEPARTMENT_STREAM_PREFIX.length);
}
