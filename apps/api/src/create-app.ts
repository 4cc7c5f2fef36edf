import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../../../libs/config/index.js';
import { AppModule } from './app.module.js';
import type { ApiDependencies } from './infrastructure/api-dependencies.js';
import { RateLimiter } from './auth/rate-limit.js';
import { ApiError } from './common/api-error.js';
import { RedactingLogger } from './common/redacting-logger.js';
import { safeInput } from './common/safe-input.js';
import { cspNonce, helmetOptions, useConsole } from './console/console-pipeline.js';
import { isConsoleRequest } from './console/console-requests.js';
import { createValidationPipe } from './common/validation.js';

const REQUEST_ID = /^[A-Za-z0-9_\-:.]{1,100}$/;

/** Request and correlation ids: taken from the caller when well-formed, otherwise made here. */
function requestIds(request: Request & { requestId?: string; correlationId?: string }, response: Response, next: NextFunction) {
  const given = request.header('x-request-id');
  request.requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
  const correlation = request.header('x-correlation-id');
  request.correlationId = correlation && REQUEST_ID.test(correlation) ? correlation : request.requestId;
  response.setHeader('x-request-id', request.requestId);
  response.setHeader('x-correlation-id', request.correlationId);
  next();
}

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * A body that is not JSON is refused, not silently ignored: otherwise a form post would
 * reach the handler as an empty command.
 */
function jsonBodiesOnly(request: Request, _response: Response, next: NextFunction) {
  // The console's forms are URL-encoded; its own pipeline decides what it accepts.
  if (isConsoleRequest(request) || !hasBody(request) || request.is('application/json')) return next();
  next(new ApiError(415, 'unsupported-media-type', 'request bodies must be application/json'));
}

/** Answers about departments are for the caller alone: no shared or browser cache keeps them. */
function noStore(_request: Request, response: Response, next: NextFunction) {
  response.setHeader('Cache-Control', 'no-store');
  next();
}

function enableCors(app: NestExpressApplication, config: AppConfig): void {
  if (config.corsOrigins.length === 0) return;
  app.enableCors({
    origin: [...config.corsOrigins],
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id', 'X-Correlation-Id'],
    exposedHeaders: ['X-Request-Id', 'X-Correlation-Id', 'Retry-After'],
    credentials: false,
    maxAge: 600,
  });
}

/** The whole HTTP pipeline, shared by `main.ts` and the tests so both exercise the same app. */
export async function createApp(deps: ApiDependencies): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.create(deps), {
    bodyParser: false,
    // A failed start throws to the caller (tests, bench, main) instead of exiting the process.
    abortOnError: false,
    logger: new RedactingLogger(deps.config),
  });
  app.disable('x-powered-by');
  // Answers are no-store (the API) or made for one session with fresh form keys (the console):
  // an ETag would hash every body for a cache that never matches it. Static assets keep theirs.
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.config.trustProxy);
  app.use(cspNonce);
  app.use(helmet(helmetOptions(deps.config)));
  enableCors(app, deps.config);
  app.use(requestIds);
  // Before the rate limiter, which authenticates each request once: a console user is known by then.
  await useConsole(app, deps.config, deps.db);
  app.use(app.get(RateLimiter).middleware);
  app.use('/api', noStore);
  app.use(jsonBodiesOnly);
  // Compressed bodies are refused (415) so the size limit bounds what is parsed.
  app.useBodyParser('json', { limit: '100kb', strict: true, inflate: false });
  app.use(safeInput);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('ssc-onboarding')
      .setDescription('Onboarding of government departments into shared services centres')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
