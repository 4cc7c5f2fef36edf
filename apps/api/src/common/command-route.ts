import { applyDecorators, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Role } from '../auth/roles.js';
import { Idempotent } from './idempotency.interceptor.js';

/**
 * A command's route: a POST answered 200 with what it did, who may send it (the `@Access`
 * rule, which the console's forms read too) and its summary in the OpenAPI document.
 */
export function CommandRoute(summary: string, roles: readonly Role[], options: { readonly path?: string; readonly departmentScoped?: boolean } = {}) {
  return applyDecorators(
    options.path === undefined ? Post() : Post(options.path),
    HttpCode(200),
    Access(roles, { departmentScoped: options.departmentScoped ?? false }),
    ApiOperation({ summary }),
  );
}

/**
 * A controller of commands: bearer tokens, its OpenAPI tag, and every route idempotent
 * under an `Idempotency-Key`.
 */
export function CommandController(path: string, tag: string) {
  return applyDecorators(ApiTags(tag), ApiBearerAuth(), Idempotent(), Controller(path));
}
