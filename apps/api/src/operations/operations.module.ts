import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { AppConfig } from '../../../../libs/config/index.js';
import { createJsonLogger } from '../../../../libs/operations/index.js';
import { APP_CONFIG } from '../common/tokens.js';
import { EscalateController } from './escalate/escalate.controller.js';
import { ApiMetrics } from './metrics/api-metrics.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { RequestObserver } from './request-observer.middleware.js';
import { RetryController } from './retry/retry.controller.js';
import { RetryService } from './retry/retry.service.js';
import { StuckController } from './stuck/stuck.controller.js';
import { OPERATIONS_LOGGER } from './tokens.js';

/**
 * What operations staff on call use: the stuck list, retry and escalate, Prometheus
 * `/metrics`, and a JSON log line per request carrying its request and correlation ids.
 * The event store, read models and command service come from the InfrastructureModule.
 */
@Module({
  controllers: [StuckController, RetryController, EscalateController, MetricsController],
  providers: [
    ApiMetrics,
    {
      provide: OPERATIONS_LOGGER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createJsonLogger({ service: 'api', level: config.logLevel }),
    },
    RetryService,
    RequestObserver,
  ],
})
export class OperationsModule implements NestModule {

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestObserver).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
