import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiError } from '../common/api-error.js';
import { ROLES, type Principal, type Role } from './roles.js';

export type Authentication = { readonly principal: Principal } | { readonly refusal: ApiError } | { readonly anonymous: true };

interface BearerRequest {
  readonly headers: Record<string, string | string[] | undefined>;
}

function bearerToken(request: BearerRequest): string | undefined | null {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  if (typeof header !== 'string') return null;
  const match = /^Bearer ([A-Za-z0-9_\-.]{1,4096})$/.exec(header.trim());
  return match ? match[1] : null;
}

function toPrincipal(claims: Record<string, unknown>): Principal {
  const { sub, roles, exp } = claims;
  const departments = claims.departments ?? [];
  if (typeof exp !== 'number') throw new ApiError(401, 'invalid-token', 'the token must carry an expiry (exp)');
  if (typeof sub !== 'string' || sub.trim().length === 0 || sub.length > 200) {
    throw new ApiError(401, 'invalid-token', 'the token has no valid sub claim');
  }
  if (!Array.isArray(roles) || roles.length === 0 || roles.some((role) => !ROLES.includes(role as Role))) {
    throw new ApiError(401, 'invalid-token', 'the token roles claim must list known roles');
  }
  if (!Array.isArray(departments) || departments.some((code) => typeof code !== 'string' || code.length > 20)) {
    throw new ApiError(401, 'invalid-token', 'the token departments claim must be a list of codes');
  }
  return { sub, roles: roles as Role[], departments: (departments as string[]).map((code) => code.toUpperCase()) };
}

/**
 * Verifies the bearer token once per request (HS256, expiry, and issuer/audience when
 * configured, through @nestjs/jwt); the rate limiter and the access guard share the result.
 */
@Injectable()
export class Authenticator {
  private readonly outcomes = new WeakMap<object, Promise<Authentication>>();

  constructor(private readonly jwt: JwtService) {}

  authenticate(request: BearerRequest): Promise<Authentication> {
    let outcome = this.outcomes.get(request);
    if (!outcome) {
      outcome = this.verify(request);
      this.outcomes.set(request, outcome);
    }
    return outcome;
  }

  private async verify(request: BearerRequest): Promise<Authentication> {
    const token = bearerToken(request);
    if (token === undefined) return { anonymous: true };
    if (token === null) return { refusal: new ApiError(401, 'invalid-token', 'the Authorization header must be "Bearer <token>"') };
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync<Record<string, unknown>>(token, { algorithms: ['HS256'] });
    } catch {
      return { refusal: new ApiError(401, 'invalid-token', 'the bearer token is invalid or expired') };
    }
    try {
      return { principal: toPrincipal(claims) };
    } catch (error) {
      return { refusal: error as ApiError };
    }
  }
}
