import { JwtService } from '@nestjs/jwt';
import type { Role } from './roles.js';

export interface TokenClaims {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly departments?: readonly string[];
}

export interface SigningOptions {
  readonly secret: string;
  readonly issuer?: string;
  readonly audience?: string;
  readonly expiresInSeconds?: number;
}

/** Issues an HS256 token for people and tests (`npm run token`). */
export function signToken(claims: TokenClaims, options: SigningOptions): string {
  return new JwtService({ secret: options.secret }).sign(
    { sub: claims.sub, roles: [...claims.roles], departments: (claims.departments ?? []).map((code) => code.toUpperCase()) },
    {
      algorithm: 'HS256',
      expiresIn: options.expiresInSeconds ?? 8 * 3600,
      ...(options.issuer ? { issuer: options.issuer } : {}),
      ...(options.audience ? { audience: options.audience } : {}),
    },
  );
}
