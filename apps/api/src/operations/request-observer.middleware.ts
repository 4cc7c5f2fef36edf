import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { JsonLogger } from '../../../../libs/operations/index.js';
import type { AuthenticatedRequest } from '../auth/access.decorator.js';
import { ApiMetrics } from './metrics/api-metrics.js';
import { OPERATIONS_LOGGER } from './tokens.js';

type ObservedRequest = Request & AuthenticatedRequest;

/**
 * Times every request and, when its answer has gone out, records it in the latency
 * histogram and the command counter and writes one JSON log line with the request and
 * correlation ids that the same command carries into its events' metadata.
 */
@Injectable()
export class RequestObserver implements NestMiddleware {
  constructor(
    private readonly metrics: ApiMetrics,
    @Inject(OPERATIONS_LOGGER) private readonly log: JsonLogger,
  ) {}

  use(request: ObservedRequest, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    let errorCode: string | undefined;
    const json = response.json.bind(response);
    response.json = (body: unknown) => {
      if (response.statusCode >= 400 && body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string') {
        errorCode = (body as { code: string }).code;
      }
      return json(body);
    };
    response.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The route template, never the raw path, so labels stay few.
      const route = typeof request.route?.path === 'string' ? request.route.path : 'unmatched';
      const status = response.statusCode;
      this.metrics.observe({ method: request.method, route, status, seconds, code: errorCode });
      this.log.log(status >= 500 ? 'error' : 'info', 'request', {
        method: request.method,
        route,
        path: request.path,
        status,
        durationMs: Math.round(seconds * 1e4) / 10,
        requestId: request.requestId,
        correlationId: request.correlationId,
        actor: request.principal?.sub,
        role: request.actingRole,
        code: errorCode,
      });
    });
    next();
  }
}
