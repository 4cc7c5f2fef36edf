/** The roles people act in; every event records the one its command was given in. */
export const ROLES = ['lead', 'programme', 'centre', 'operations', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
