import type { Role } from '../../../../libs/domain/index.js';

export { ROLES, type Role } from '../../../../libs/domain/index.js';

/** The caller, from a verified bearer token. */
export interface Principal {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly departments: readonly string[];
}

/** Roles whose access is limited to the departments named in their token. */
export const SCOPED_ROLES: readonly Role[] = ['lead', 'centre'];
