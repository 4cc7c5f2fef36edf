import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { Client } from '@temporalio/client';
import type { AppConfig } from '../../../libs/config/index.js';
import type { SqlClient } from '../../../libs/database/index.js';
import { EventStore } from '../../../libs/event-store/index.js';
import { DepartmentReadModel, INLINE_PROJECTIONS, LessonReadModel } from '../../../libs/projections/index.js';
import { OnboardingGateway } from '../../../libs/temporal/index.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthGuard } from './auth/auth.guard.js';
import { Authenticator } from './auth/authenticator.js';
import { RateLimiter } from './auth/rate-limit.js';
import { ErrorFilter } from './common/error-filter.js';
import { IdempotencyService } from './common/idempotency.js';
import { RequestDeadline } from './common/request-deadline.js';
import { APP_CONFIG, SQL_CLIENT } from './common/tokens.js';
import { CommandService } from './departments/command.service.js';
import { AdvanceStageController } from './departments/commands/advance-stage/advance-stage.controller.js';
import { RecordAssessmentController } from './departments/commands/assessment/record-assessment.controller.js';
import { RecordBaselineController } from './departments/commands/baseline/record-baseline.controller.js';
import { DeviationsController } from './departments/commands/deviations/deviations.controller.js';
import { GoLiveDecisionController } from './departments/commands/go-live/go-live-decision.controller.js';
import { AcknowledgeLessonController } from './departments/commands/lessons/acknowledge-lesson.controller.js';
import { LifecycleController } from './departments/commands/lifecycle/lifecycle.controller.js';
import { RecordMigrationController } from './departments/commands/migration/record-migration.controller.js';
import { RecordSavingsController } from './departments/commands/savings/record-savings.controller.js';
import { DepartmentQueriesController } from './departments/queries/department-queries.controller.js';
import { RegisterDepartmentController } from './departments/register-department/register-department.controller.js';
import { HealthController } from './health/health.controller.js';
import { LessonsController } from './lessons/lessons.controller.js';
import { OperationsModule } from './operations/operations.module.js';
import { ReportsController } from './reports/reports.controller.js';
import { DashboardController } from './dashboard/dashboard.controller.js';

/** What the API needs from the outside world; `main.ts` and the tests build it. */
export interface ApiDependencies {
  readonly config: AppConfig;
  readonly db: SqlClient;
  readonly temporal: Client;
}

@Module({})
export class AppModule {
  static create(deps: ApiDependencies): DynamicModule {
    const store = new EventStore(deps.db, INLINE_PROJECTIONS);
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: deps.config },
      { provide: SQL_CLIENT, useValue: deps.db },
      { provide: Client, useValue: deps.temporal },
      { provide: EventStore, useValue: store },
      { provide: DepartmentReadModel, useValue: new DepartmentReadModel(deps.db) },
      { provide: LessonReadModel, useValue: new LessonReadModel(deps.db) },
      {
        provide: OnboardingGateway,
        useValue: new OnboardingGateway(deps.temporal, deps.config.temporalTaskQueue, deps.config.commandTimeoutMs),
      },
      IdempotencyService,
      CommandService,
      Authenticator,
      RateLimiter,
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_FILTER, useClass: ErrorFilter },
      { provide: APP_INTERCEPTOR, useClass: RequestDeadline },
    ];
    return {
      module: AppModule,
      imports: [
        AuditModule.create(deps),
        OperationsModule.create(deps),
        JwtModule.register({
          secret: deps.config.authJwtSecret,
          verifyOptions: {
            algorithms: ['HS256'],
            ...(deps.config.authJwtIssuer ? { issuer: deps.config.authJwtIssuer } : {}),
            ...(deps.config.authJwtAudience ? { audience: deps.config.authJwtAudience } : {}),
          },
        }),
      ],
      controllers: [
        HealthController,
        RegisterDepartmentController,
        DepartmentQueriesController,
        AcknowledgeLessonController,
        RecordAssessmentController,
        RecordBaselineController,
        DeviationsController,
        RecordMigrationController,
        GoLiveDecisionController,
        AdvanceStageController,
        RecordSavingsController,
        LifecycleController,
        LessonsController,
        ReportsController,
        DashboardController,
      ],
      providers,
    };
  }
}
