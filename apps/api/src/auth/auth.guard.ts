import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DEPARTMENT_CODE_PATTERN } from '../../../../libs/domain/index.js';
import { ApiError } from '../common/api-error.js';
import { ACCESS_KEY, type AccessRule, type AuthenticatedRequest } from './access.decorator.js';
import { Authenticator } from './authenticator.js';
import { SCOPED_ROLES, type Principal, type Role } from './roles.js';

/**
 * Authenticates the bearer token and applies the route's access rule: role first (403
 * forbidden-role), then department scope for leads and centres (403 out-of-scope).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (rule?.public) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const outcome = await this.authenticator.authenticate(request);
    if ('refusal' in outcome) throw outcome.refusal;
    if ('anonymous' in outcome) throw new ApiError(401, 'unauthenticated', 'a bearer token is required');
    const principal = outcome.principal;
    request.principal = principal;
    if (!rule) throw new ApiError(403, 'forbidden', 'this route has no access rule');
    request.actingRole = admit(principal, rule, request.params.code);
    return true;
  }
}

/** Why a rule refuses a caller: the 403's code and message. */
export interface Refusal {
  readonly code: 'forbidden-role' | 'out-of-scope';
  readonly message: string;
}

/**
 * The role the caller acts in under this rule, or a 403: role first (forbidden-role), then
 * department scope for leads and centres (out-of-scope). The console applies the API's rules
 * through this too.
 */
export function admit(principal: Principal, rule: AccessRule, rawCode: string | undefined): Role {
  const decided = admission(principal, rule, rawCode);
  if (typeof decided === 'string') return decided;
  throw new ApiError(403, decided.code, decided.message);
}

/**
 * `admit`'s decision without throwing: the console asks it of every link and form on a page,
 * and a thrown error costs a stack trace each time.
 */
export function admission(principal: Principal, rule: AccessRule, rawCode: string | undefined): Role | Refusal {
  const role = actingRole(principal, rule);
  if (typeof role !== 'string') return role;
  if (rule.departmentScoped && SCOPED_ROLES.includes(role)) {
    const code = rawCode?.toUpperCase();
    if (code && !principal.departments.includes(code)) {
      const named = DEPARTMENT_CODE_PATTERN.test(code) ? ` ${code}` : '';
      return { code: 'out-of-scope', message: `your token does not cover department${named}` };
    }
  }
  return role;
}

/** The most privileged of the caller's roles that the rule admits, so scoped roles apply only when needed. */
function actingRole(principal: Principal, rule: AccessRule): Role | Refusal {
  if (principal.roles.includes('admin')) return 'admin';
  const allowed = rule.roles === 'any' ? principal.roles : principal.roles.filter((role) => (rule.roles as readonly Role[]).includes(role));
  if (allowed.length === 0) {
    return { code: 'forbidden-role', message: `this action needs one of the roles: ${rule.roles === 'any' ? 'any' : rule.roles.join(', ')}` };
  }
  const unscoped = allowed.find((role) => !SCOPED_ROLES.includes(role));
  return unscoped ?? allowed[0];
}
