import { invalidCommand } from '../errors.js';

export const DEPARTMENT_CODE_PATTERN = /^[A-Z][A-Z0-9]{1,9}$/;

/**
 * The event stream of a department. Codes are upper case; a lower-case code from a URL
 * is upper-cased first so `dft` and `DFT` never become two streams.
 */
export function streamIdFor(code: string): string {
  const normalised = typeof code === 'string' ? code.trim().toUpperCase() : '';
  if (!DEPARTMENT_CODE_PATTERN.test(normalised)) {
    throw invalidCommand(`'${String(code)}' is not a department code`, { code });
  }
  return `department-${normalised}`;
}

/** The Temporal workflow id of a department's onboarding (SPEC §3). */
export function workflowIdFor(code: string): string {
  return streamIdFor(code).replace(/^department-/, 'onboarding-');
}
