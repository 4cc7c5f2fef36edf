import { Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { EventStore } from '../../../../libs/event-store/index.js';
import { createJsonLogger } from '../../../../libs/operations/index.js';
import { DepartmentReadModel, INLINE_PROJECTIONS, StuckReadModel } from '../../../../libs/projections/index.js';
import { OnboardingGateway } from '../../../../libs/temporal/index.js';
import type { ApiDependencies } from '../app.module.js';
import { IdempotencyService } from '../common/idempotency.js';
import { APP_CONFIG, SQL_CLIENT } from '../common/tokens.js';
import { CommandService } from '../departments/command.service.js';
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
 */
@Module({})
export class OperationsModule implements NestModule {
  static create(deps: ApiDependencies): DynamicModule {
    return {
      module: OperationsModule,
      controllers: [StuckController, RetryController, EscalateController, MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: deps.config },
        { provide: SQL_CLIENT, useValue: deps.db },
        { provide: Client, useValue: deps.temporal },
        { provide: EventStore, useValue: new EventStore(deps.db, INLINE_PROJECTIONS) },
        { provide: DepartmentReadModel, useValue: new DepartmentReadModel(deps.db) },
        { provide: StuckReadModel, useValue: new StuckReadModel(deps.db, deps.config.decisionWaitLimitMs) },
        {
          provide: OnboardingGateway,
          useValue: new OnboardingGateway(deps.temporal, deps.config.temporalTaskQueue, deps.config.commandTimeoutMs),
        },
        { provide: ApiMetrics, useValue: new ApiMetrics() },
        { provide: OPERATIONS_LOGGER, useValue: createJsonLogger({ service: 'api', level: deps.config.logLevel }) },
        IdempotencyService,
        CommandService,
        RetryService,
        RequestObserver,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestObserver).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
