import { DEPARTMENT_CODE_PATTERN, isRole, type Role } from '../../../../libs/domain/index.js';
import type { OidcConfig } from '../../../../libs/config/index.js';
import type { Principal } from './roles.js';

export type ClaimMapping = Pick<OidcConfig, 'rolesClaim' | 'departmentsClaim' | 'roleMap'>;

/**
 * What a provider's claims make of a person: a principal, or nobody when none of their
 * groups or roles maps to a role here (they are refused everywhere, not let in as a guess).
 */
export type ProviderIdentity = { readonly principal: Principal } | { readonly noRole: { readonly sub: string } };

/** A claim by name, or, when no claim has that exact name, by dotted path (`realm_access.roles`). */
export function readClaim(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Providers send lists as arrays, or as one space- or comma-separated string. */
function names(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((entry): entry is string => typeof entry === 'string');
  return [];
}

export function rolesFrom(claims: Readonly<Record<string, unknown>>, mapping: ClaimMapping): Role[] {
  const given = names(readClaim(claims, mapping.rolesClaim));
  const roles = mapping.roleMap ? given.flatMap((name) => mapping.roleMap?.get(name) ?? []) : given.filter(isRole);
  return [...new Set(roles)];
}

/** Department codes; entries that are not codes are left out, which can only narrow a scope. */
export function departmentsFrom(claims: Readonly<Record<string, unknown>>, mapping: ClaimMapping): string[] {
  const codes = names(readClaim(claims, mapping.departmentsClaim)).map((code) => code.toUpperCase());
  return [...new Set(codes.filter((code) => DEPARTMENT_CODE_PATTERN.test(code)))];
}

/** Null when the claims carry no usable subject. */
export function identityFromClaims(claims: Readonly<Record<string, unknown>>, mapping: ClaimMapping): ProviderIdentity | null {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.trim().length === 0 || sub.length > 200) return null;
  const roles = rolesFrom(claims, mapping);
  if (roles.length === 0) return { noRole: { sub } };
  return { principal: { sub, roles, departments: departmentsFrom(claims, mapping) } };
}
