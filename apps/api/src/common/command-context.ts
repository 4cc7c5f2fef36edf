import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CommandContext } from '../../../../workflows/contract.js';
import type { AuthenticatedRequest } from '../auth/access.decorator.js';
import { ApiError } from './api-error.js';

/** Who sends a command and under which ids, as the guard, the request-id middleware and the idempotency interceptor left them. */
export function commandContextOf(request: AuthenticatedRequest): CommandContext {
  if (!request.principal || !request.actingRole) throw new ApiError(401, 'unauthenticated', 'a bearer token is required');
  const requestId = request.requestId ?? randomUUID();
  return {
    actor: { sub: request.principal.sub, role: request.actingRole },
    requestId,
    correlationId: request.correlationId ?? requestId,
    ...(request.commandId ? { commandId: request.commandId } : {}),
  };
}

/**
 * The command context of this request (actor, request and correlation ids, and the command id
 * derived from its Idempotency-Key), so that services receive the context, never the request.
 */
export const CommandCall = createParamDecorator((_data: unknown, context: ExecutionContext): CommandContext => {
  return commandContextOf(context.switchToHttp().getRequest<AuthenticatedRequest>());
});
