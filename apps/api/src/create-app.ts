import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { AppModule, type ApiDependencies } from './app.module.js';
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

/** The whole HTTP pipeline, shared by `main.ts` and the tests so both exercise the same app. */
export async function createApp(deps: ApiDependencies): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.create(deps), {
    bodyParser: false,
    logger: deps.config.logLevel === 'debug' ? ['log', 'error', 'warn', 'debug'] : ['error', 'warn'],
  });
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(helmet());
  app.use(requestIds);
  app.useBodyParser('json', { limit: '100kb', strict: true });
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
