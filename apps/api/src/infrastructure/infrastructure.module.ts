import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { EventStore } from '../../../../libs/event-store/index.js';
import { DepartmentReadModel, INLINE_PROJECTIONS, LessonReadModel, StuckReadModel } from '../../../../libs/projections/index.js';
import { OnboardingGateway } from '../../../../libs/temporal/index.js';
import { IdempotencyService } from '../common/idempotency.js';
import { IdempotencyKeyPurge } from '../common/idempotency-purge.js';
import { APP_CONFIG, SQL_CLIENT } from '../common/tokens.js';
import { CommandService } from '../departments/command.service.js';
import { LessonCommands } from '../lessons/lesson-commands.js';
import type { ApiDependencies } from './api-dependencies.js';

/**
 * The API's one wiring of the outside world: configuration, database, Temporal client, the
 * event store, the read models, the workflow gateway, idempotency (and its purge) and the command handlers.
 * Global, so every feature module (departments, operations, audit, console) injects these
 * same instances instead of building its own.
 */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(deps: ApiDependencies): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: deps.config },
      { provide: SQL_CLIENT, useValue: deps.db },
      { provide: Client, useValue: deps.temporal },
      { provide: EventStore, useValue: new EventStore(deps.db, INLINE_PROJECTIONS) },
      { provide: DepartmentReadModel, useValue: new DepartmentReadModel(deps.db) },
      { provide: LessonReadModel, useValue: new LessonReadModel(deps.db) },
      { provide: StuckReadModel, useValue: new StuckReadModel(deps.db, deps.config.decisionWaitLimitMs) },
      {
        provide: OnboardingGateway,
        useValue: new OnboardingGateway(deps.temporal, deps.config.temporalTaskQueue, deps.config.commandTimeoutMs, deps.config.registrationTimeoutMs),
      },
      IdempotencyService,
      IdempotencyKeyPurge,
      CommandService,
      LessonCommands,
    ];
    return { module: InfrastructureModule, providers, exports: providers.map((provider) => ('provide' in provider ? provider.provide : provider)) };
  }
}
