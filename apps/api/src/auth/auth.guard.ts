import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ApiError } from '../common/api-error.js';
import { ACCESS_KEY, type AccessRule, type AuthenticatedRequest } from './access.decorator.js';
import { ROLES, SCOPED_ROLES, type Principal, type Role } from './roles.js';

function bearerToken(request: AuthenticatedRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header.trim());
  return match?.[1];
}

function toPrincipal(claims: Record<string, unknown>): Principal {
  const sub = claims.sub;
  const roles = claims.roles;
  const departments = claims.departments ?? [];
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) throw new ApiError(401, 'invalid-token', 'the token has no valid sub claim');
  if (!Array.isArray(roles) || roles.some((role) => !ROLES.includes(role as Role))) {
    throw new ApiError(401, 'invalid-token', 'the token roles claim must list known roles');
  }
  if (!Array.isArray(departments) || departments.some((code) => typeof code !== 'string')) {
    throw new ApiError(401, 'invalid-token', 'the token departments claim must be a list of codes');
  }
  return { sub, roles: roles as Role[], departments: (departments as string[]).map((code) => code.toUpperCase()) };
}

/**
 * Authenticates the bearer token and applies the route's access rule: role first (403
 * forbidden-role), then department scope for leads and centres (403 out-of-scope).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (rule?.public) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request);
    if (!token) throw new ApiError(401, 'unauthenticated', 'a bearer token is required');
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync<Record<string, unknown>>(token, { algorithms: ['HS256'] });
    } catch {
      throw new ApiError(401, 'invalid-token', 'the bearer token is invalid or expired');
    }
    const principal = toPrincipal(claims);
    request.principal = principal;
    if (!rule) throw new ApiError(403, 'forbidden', 'this route has no access rule');
    request.actingRole = actingRole(principal, rule);
    if (rule.departmentScoped && SCOPED_ROLES.includes(request.actingRole)) {
      const code = request.params.code?.toUpperCase();
      if (code && !principal.departments.includes(code)) {
        throw new ApiError(403, 'out-of-scope', `your token does not cover department ${code}`);
      }
    }
    return true;
  }
}

/** The most privileged of the caller's roles that the rule admits, so scoped roles apply only when needed. */
function actingRole(principal: Principal, rule: AccessRule): Role {
  if (principal.roles.includes('admin')) return 'admin';
  const allowed = rule.roles === 'any' ? principal.roles : principal.roles.filter((role) => (rule.roles as readonly Role[]).includes(role));
  if (allowed.length === 0) {
    throw new ApiError(403, 'forbidden-role', `this action needs one of the roles: ${rule.roles === 'any' ? 'any' : rule.roles.join(', ')}`);
  }
  const unscoped = allowed.find((role) => !SCOPED_ROLES.includes(role));
  return unscoped ?? allowed[0];
}
