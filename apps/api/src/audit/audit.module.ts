import { Module, type DynamicModule } from '@nestjs/common';
import { Client } from '@temporalio/client';
import type { ApiDependencies } from '../app.module.js';
import { APP_CONFIG, SQL_CLIENT } from '../common/tokens.js';
import { CurrentWorkflowCode, DigestKeyring } from './audit-dependencies.js';
import { DigestController } from './digest/digest.controller.js';
import { WorkflowHistoryController } from './history/workflow-history.controller.js';
import { VerifyStreamController } from './integrity/verify-stream.controller.js';
import { RebuildProjectionsController, RebuildRunner } from './rebuild/rebuild-projections.controller.js';
import { ReplayController } from './replay/replay.controller.js';
import { DepartmentStateController } from './time-travel/department-state.controller.js';

/**
 * The auditors' endpoints: integrity, signed digests, time travel, Temporal history and
 * replay, and the administrators' projection rebuild. Every one reads; only the rebuild
 * writes, and only to read models.
 */
@Module({})
export class AuditModule {
  static create(deps: ApiDependencies): DynamicModule {
    return {
      module: AuditModule,
      controllers: [
        VerifyStreamController,
        DepartmentStateController,
        WorkflowHistoryController,
        ReplayController,
        DigestController,
        RebuildProjectionsController,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: deps.config },
        { provide: SQL_CLIENT, useValue: deps.db },
        { provide: Client, useValue: deps.temporal },
        { provide: DigestKeyring, useValue: new DigestKeyring(deps.config.auditSigningKeyPem) },
        CurrentWorkflowCode,
        RebuildRunner,
      ],
    };
  }
}
