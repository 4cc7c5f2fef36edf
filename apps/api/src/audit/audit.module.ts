import { Module } from '@nestjs/common';
import type { AppConfig } from '../../../../libs/config/index.js';
import { APP_CONFIG } from '../common/tokens.js';
import { CurrentWorkflowCode, DigestKeyring } from './audit-dependencies.js';
import { DigestController } from './digest/digest.controller.js';
import { EvidenceController } from './evidence/evidence.controller.js';
import { WorkflowHistoryController } from './history/workflow-history.controller.js';
import { VerifyAllController } from './integrity/verify-all.controller.js';
import { VerifyStreamController } from './integrity/verify-stream.controller.js';
import { RebuildProjectionsController, RebuildRunner } from './rebuild/rebuild-projections.controller.js';
import { ReplayController } from './replay/replay.controller.js';
import { DepartmentStateController } from './time-travel/department-state.controller.js';

/**
 * The auditors' endpoints: integrity, signed digests, evidence packs, time travel, Temporal
 * history and replay, and the administrators' projection rebuild. Every one reads; only the rebuild
 * writes, and only to read models. Configuration, database and Temporal client come from
 * the InfrastructureModule.
 */
@Module({
  controllers: [
    VerifyStreamController,
    VerifyAllController,
    DepartmentStateController,
    WorkflowHistoryController,
    ReplayController,
    DigestController,
    EvidenceController,
    RebuildProjectionsController,
  ],
  providers: [
    { provide: DigestKeyring, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new DigestKeyring(config.auditSigningKeyPem) },
    CurrentWorkflowCode,
    RebuildRunner,
  ],
})
export class AuditModule {}
