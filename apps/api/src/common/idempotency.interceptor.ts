import { applyDecorators, Injectable, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { from, lastValueFrom, map, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/access.decorator.js';
import { commandContextOf } from './command-context.js';
import { IdempotencyService } from './idempotency.js';

interface CommandRequest extends AuthenticatedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

/**
 * `Idempotency-Key` around a command route: the same caller, route, key and body get the
 * first answer again and run nothing. The handler sees the key as its context's `commandId`.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<CommandRequest>();
    const { actor } = commandContextOf(request);
    const key = request.headers['idempotency-key'];
    const call = this.idempotency.run({
      scope: `${actor.sub}|${request.method} ${request.path}`,
      key: Array.isArray(key) ? key[0] : key,
      body: request.body,
      run: (dedupeId) => {
        request.commandId = dedupeId;
        return lastValueFrom(next.handle());
      },
    });
    return from(call).pipe(map((result) => result.value));
  }
}

/** Marks a controller or route as a command: idempotent under `Idempotency-Key`, and says so in the OpenAPI document. */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      schema: { type: 'string', pattern: '^[A-Za-z0-9_\\-:.]{1,200}$' },
      description:
        'Sent again with the same key and body, the command is answered with its first result and appends nothing, also when the copies ' +
        'arrive at once through different API processes (a copy waits for the first answer). 409 idempotency-key-reused: the key was used ' +
        'with another body. 503 idempotency-key-in-progress (with Retry-After): the first copy is still running; send it again for its result.',
    }),
  );
