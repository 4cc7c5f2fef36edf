import { Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { throwError, timeout, type Observable } from 'rxjs';
import type { AppConfig } from '../../../../libs/config/index.js';
import { ApiError } from './api-error.js';
import { APP_CONFIG } from './tokens.js';

const UNBOUNDED = Symbol('unbounded-request');

/** Audit work that reads every stream or workflow by design (replay, rebuild) is not held to the command deadline. */
export const Unbounded = () => SetMetadata(UNBOUNDED, true);

/**
 * COMMAND_TIMEOUT_MS bounds the whole request, whatever it waits on: a locked table, an
 * exhausted pool, a Temporal Update. The caller hears 503 in time and retries with the
 * same Idempotency-Key; work still running behind the answer can only complete the
 * command, which the retry then finds.
 */
@Injectable()
export class RequestDeadline implements NestInterceptor {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const unbounded = this.reflector.getAllAndOverride<boolean>(UNBOUNDED, [context.getHandler(), context.getClass()]);
    if (unbounded) return next.handle();
    return next.handle().pipe(
      timeout({
        first: this.config.commandTimeoutMs,
        with: () =>
          throwError(
            () =>
              new ApiError(503, 'request-timeout', 'the request did not complete in time; retry it (with the same Idempotency-Key for a command)'),
          ),
      }),
    );
  }
}
