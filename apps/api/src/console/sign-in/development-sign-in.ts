import { DEPARTMENT_CODE_PATTERN } from '../../../../../libs/domain/index.js';
import { ROLES, SCOPED_ROLES, SUBJECT_PATTERN, type Role } from '../../auth/roles.js';
import type { ConsoleUser } from '../session/console-session.js';

export interface SignInForm {
  readonly role?: unknown;
  readonly name?: unknown;
  readonly departments?: unknown;
}

export type FieldErrors = Record<string, string>;

/** The development form's answers as a console user, or what to fix, field by field. */
export function readSignInForm(form: SignInForm): { user: ConsoleUser } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const role = typeof form.role === 'string' ? form.role : '';
  const name = typeof form.name === 'string' ? form.name.trim() : '';
  const departments = (typeof form.departments === 'string' ? form.departments : '')
    .split(',')
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);
  if (!ROLES.includes(role as Role)) errors.role = 'Select your role';
  if (name === '') errors.name = 'Enter your name';
  else if (!SUBJECT_PATTERN.test(name)) errors.name = 'Name must be letters, digits and . @ : + - _ only, with no spaces';
  const badCode = departments.find((code) => !DEPARTMENT_CODE_PATTERN.test(code));
  if (badCode) errors.departments = `“${badCode}” is not a department code: 2 to 10 letters and digits, starting with a letter`;
  else if (SCOPED_ROLES.includes(role as Role) && departments.length === 0) {
    errors.departments = 'Enter the codes of the departments you work on, such as DFT';
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { user: { sub: name, roles: [role as Role], departments: [...new Set(departments)], method: 'development' } };
}

/** A path on this site to go back to after signing in; anything else (another host, `//evil`) goes home. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (value.startsWith('/sign-in') || value.startsWith('/sign-out')) return '/';
  return value.slice(0, 500);
}
