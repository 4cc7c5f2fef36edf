import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { AppConfig } from '../../../../libs/config/index.js';
import { ApiError } from '../common/api-error.js';
import { APP_CONFIG } from '../common/tokens.js';
import { IdentityProvider, IdentityProviderUnavailable } from './identity-provider.js';
import { identityFromClaims } from './provider-claims.js';
import { ROLES, type Principal, type Role } from './roles.js';

export type Authentication = { readonly principal: Principal } | { readonly refusal: ApiError } | { readonly anonymous: true };

interface BearerRequest {
  readonly headers: Record<string, string | string[] | undefined>;
  /** Set by the console's pipeline only, from a live session; requests under /api never have one. */
  readonly consoleUser?: Principal;
}

/** Algorithms a provider may sign with; they are only ever checked against the provider's published public keys. */
export const PROVIDER_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA', 'Ed25519'];
/** Seconds of clock difference between the provider and this server that exp and nbf forgive. */
export const PROVIDER_CLOCK_TOLERANCE_SECONDS = 30;

const INVALID = 'the bearer token is invalid or expired';

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

/** The provider or its key set did not answer: not the caller's fault. */
function providerUnreachable(error: unknown): boolean {
  if (error instanceof IdentityProviderUnavailable) return true;
  if (!(error instanceof joseErrors.JOSEError)) return true;
  return ['ERR_JWKS_TIMEOUT', 'ERR_JOSE_GENERIC', 'ERR_JWKS_INVALID'].includes(error.code);
}

/**
 * Verifies the bearer token (or takes the console session's user) once per request; the rate limiter and the access guard share
 * the result. Which check applies is decided by the token's `alg` alone, and the two never
 * mix: HS256 only with AUTH_JWT_SECRET (through @nestjs/jwt), the provider's asymmetric
 * algorithms only against the provider's published keys (through jose). Anything else,
 * `alg: none` included, is refused.
 */
@Injectable()
export class Authenticator {
  private readonly outcomes = new WeakMap<object, Promise<Authentication>>();

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly provider: IdentityProvider,
  ) {}

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
    if (token === undefined) {
      const user = request.consoleUser;
      return user ? { principal: { sub: user.sub, roles: user.roles, departments: user.departments } } : { anonymous: true };
    }
    if (token === null) return { refusal: new ApiError(401, 'invalid-token', 'the Authorization header must be "Bearer <token>"') };
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      return { refusal: new ApiError(401, 'invalid-token', INVALID) };
    }
    if (alg === 'HS256' && this.config.authJwtSecret) return this.verifyShared(token);
    if (typeof alg === 'string' && PROVIDER_ALGORITHMS.includes(alg) && this.provider.config) return this.verifyFromProvider(token);
    return { refusal: new ApiError(401, 'invalid-token', INVALID) };
  }

  private async verifyShared(token: string): Promise<Authentication> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync<Record<string, unknown>>(token, { algorithms: ['HS256'] });
    } catch {
      return { refusal: new ApiError(401, 'invalid-token', INVALID) };
    }
    try {
      return { principal: toPrincipal(claims) };
    } catch (error) {
      return { refusal: error as ApiError };
    }
  }

  private async verifyFromProvider(token: string): Promise<Authentication> {
    const settings = this.provider.config!;
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(token, await this.provider.keys(), {
        issuer: await this.provider.issuer(),
        audience: settings.audience,
        algorithms: PROVIDER_ALGORITHMS,
        clockTolerance: PROVIDER_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (providerUnreachable(error)) {
        return { refusal: new ApiError(503, 'identity-provider-unavailable', 'the identity provider cannot be reached to check the token; try again shortly') };
      }
      return { refusal: new ApiError(401, 'invalid-token', INVALID) };
    }
    const identity = identityFromClaims(claims, settings);
    if (identity === null) return { refusal: new ApiError(401, 'invalid-token', 'the token has no valid sub claim') };
    if ('noRole' in identity) {
      return { refusal: new ApiError(403, 'no-role', 'your account at the identity provider holds no role in this service; ask your administrator for access') };
    }
    return { principal: identity.principal };
  }
}
