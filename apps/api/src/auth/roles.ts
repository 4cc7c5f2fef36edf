export const ROLES = ['lead', 'programme', 'centre', 'operations', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The caller, from a verified bearer token. */
export interface Principal {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly departments: readonly string[];
}

/** Roles whose access is limited to the departments named in their token. */
export const SCOPED_ROLES: readonly Role[] = ['lead', 'centre'];
