import { createSecretKey } from 'node:crypto';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuditModule } from './audit/audit.module.js';
import { AuthGuard } from './auth/auth.guard.js';
import { Authenticator } from './auth/authenticator.js';
import { IdentityProvider } from './auth/identity-provider.js';
import { RateLimiter } from './auth/rate-limit.js';
import { ErrorFilter } from './common/error-filter.js';
import { RequestDeadline } from './common/request-deadline.js';
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
import { InfrastructureModule } from './infrastructure/infrastructure.module.js';
import type { ApiDependencies } from './infrastructure/api-dependencies.js';
import { HealthController } from './health/health.controller.js';
import { LessonsController } from './lessons/lessons.controller.js';
import { OperationsModule } from './operations/operations.module.js';
import { ReportsController } from './reports/reports.controller.js';
import { CONSOLE_CONTROLLERS, CONSOLE_PROVIDERS } from './console/console-controllers.js';
import { RecordCostController } from './departments/commands/costs/record-cost.controller.js';
import { ReplanController } from './departments/commands/replan/replan.controller.js';
import { LedgerCostsController } from './ledger/ledger-costs.controller.js';

export type { ApiDependencies } from './infrastructure/api-dependencies.js';

@Module({})
export class AppModule {
  static create(deps: ApiDependencies): DynamicModule {
    const providers: Provider[] = [
      IdentityProvider,
      Authenticator,
      RateLimiter,
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_FILTER, useClass: ErrorFilter },
      { provide: APP_INTERCEPTOR, useClass: RequestDeadline },
      ...CONSOLE_PROVIDERS,
    ];
    return {
      module: AppModule,
      imports: [
        InfrastructureModule.forRoot(deps),
        AuditModule,
        OperationsModule,
        JwtModule.register({
          // A key object, made once: given the text, jsonwebtoken would try (and fail) to
          // parse it as a public key on every request before taking it as a secret.
          secret: deps.config.authJwtSecret ? createSecretKey(Buffer.from(deps.config.authJwtSecret)) : undefined,
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
        RecordCostController,
        ReplanController,
        LedgerCostsController,
        ...CONSOLE_CONTROLLERS,
      ],
      providers,
    };
  }
}
