import type { Role } from '../../../../libs/domain/index.js';

export { ROLES, type Role } from '../../../../libs/domain/index.js';

/** The caller, from a verified bearer token. */
export interface Principal {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly departments: readonly string[];
}

/** A user name as a development token or the development sign-in takes it (the token's `sub`). */
export const SUBJECT_PATTERN = /^[\w.@:+-]{1,200}$/;

/** Roles whose access is limited to the departments named in their token. */
export const SCOPED_ROLES: readonly Role[] = ['lead', 'centre'];
