import { parseArgs } from 'node:util';
import { DEPARTMENT_CODE_PATTERN, DEPARTMENT_CODE_RULE } from '../../../../libs/domain/index.js';
import { ROLES, SCOPED_ROLES, SUBJECT_PATTERN, type Role } from './roles.js';
import type { TokenClaims } from './tokens.js';

export const TOKEN_USAGE = `Usage: npm run -s token -- --role <role> [--dept <CODE>] [--sub <name>] [--hours <n>]

  --role   ${ROLES.join(', ')} (repeat or comma-separate for several)
  --dept   department code(s) the token covers; required for lead and centre
  --sub    who the token names in the audit trail (default: <role>-<your user name>)
  --hours  lifetime, 1 to 24 (default 8)

Prints a bearer token signed with AUTH_JWT_SECRET (embedded mode: DATA_DIR/jwt-secret),
with AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE when they are set.`;

export class TokenRequestError extends Error {}

export interface TokenRequest {
  readonly claims: TokenClaims;
  readonly expiresInSeconds: number;
}

function list(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
}

/** The command line of `npm run token`, checked so that a typo never yields a useless token. */
export function parseTokenRequest(argv: readonly string[], defaultUser: string): TokenRequest | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        role: { type: 'string', multiple: true },
        dept: { type: 'string', multiple: true },
        sub: { type: 'string' },
        hours: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new TokenRequestError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const roles = list(values.role);
  if (roles.length === 0) throw new TokenRequestError('--role is required');
  const unknown = roles.filter((role) => !ROLES.includes(role as Role));
  if (unknown.length > 0) throw new TokenRequestError(`unknown role ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
  const departments = list(values.dept).map((code) => code.toUpperCase());
  const badCode = departments.find((code) => !DEPARTMENT_CODE_PATTERN.test(code));
  if (badCode) throw new TokenRequestError(`"${badCode}" is not a department code (${DEPARTMENT_CODE_RULE})`);
  const scoped = roles.filter((role) => SCOPED_ROLES.includes(role as Role));
  if (scoped.length > 0 && departments.length === 0) {
    throw new TokenRequestError(`a ${scoped.join('/')} token must name its departments with --dept`);
  }
  const sub = (values.sub ?? `${roles[0]}-${defaultUser}`).trim();
  if (!SUBJECT_PATTERN.test(sub)) throw new TokenRequestError('--sub must be 1-200 letters, digits or . @ : + - _');
  const hours = values.hours === undefined ? 8 : Number(values.hours);
  if (!Number.isInteger(hours) || hours < 1 || hours > 24) throw new TokenRequestError('--hours must be a whole number from 1 to 24');
  return { claims: { sub, roles: [...new Set(roles)] as Role[], departments: [...new Set(departments)] }, expiresInSeconds: hours * 3600 };
}
