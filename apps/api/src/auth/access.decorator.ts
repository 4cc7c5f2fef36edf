import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal, Role } from './roles.js';

export const ACCESS_KEY = Symbol('access');

export interface AccessRule {
  /** Roles allowed besides `admin`; `any` lets every authenticated role in. */
  readonly roles: readonly Role[] | 'any';
  /** Scoped roles (lead, centre) may act only on departments named in their token. */
  readonly departmentScoped: boolean;
  /** No token needed (health, metrics, docs). */
  readonly public?: boolean;
}

/** Every route declares who may call it; a route without a rule is refused to everyone. */
export const Access = (roles: readonly Role[] | 'any', options: { departmentScoped?: boolean } = {}) =>
  SetMetadata(ACCESS_KEY, { roles, departmentScoped: options.departmentScoped ?? false } satisfies AccessRule);

export const Public = () => SetMetadata(ACCESS_KEY, { roles: 'any', departmentScoped: false, public: true } satisfies AccessRule);

export interface AuthenticatedRequest {
  principal?: Principal;
  /** The role the caller acts in for this request, recorded in event metadata. */
  actingRole?: Role;
  requestId?: string;
  correlationId?: string;
  /** Set by the idempotency interceptor: derived from the Idempotency-Key. */
  commandId?: string;
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, string>;
}

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
});
