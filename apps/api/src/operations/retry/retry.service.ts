import { Inject, Injectable } from '@nestjs/common';
import { Client, isGrpcServiceError } from '@temporalio/client';
import type { AppConfig } from '../../../../../libs/config/index.js';
import { EventStore, type StoredEvent } from '../../../../../libs/event-store/index.js';
import {
  diagnoseWorkflow,
  observedFacts,
  operationsStreamId,
  recordOperationsEvent,
  retryFailedSteps,
  retryTargets,
  type RetryResult,
  type RetryTarget,
} from '../../../../../libs/operations/index.js';
import { DepartmentReadModel, OBSERVED_STUCK_REASONS, StuckReadModel } from '../../../../../libs/projections/index.js';
import { onboardingWorkflowId, type CommandContext } from '../../../../../workflows/contract.js';
import { ApiError, departmentNotFound } from '../../common/api-error.js';
import { APP_CONFIG } from '../../common/tokens.js';
import { normaliseCode } from '../../departments/command.service.js';

export interface RetryResponse {
  readonly code: string;
  readonly workflowId: string;
  readonly retried: readonly RetryResult[];
  /** The `RetryRequested` event in `operations-<CODE>`, with the operator as its actor. */
  readonly event: StoredEvent;
}

/**
 * Makes a department's failing steps run again now: Temporal's ResetActivity for an
 * activity waiting out its retry backoff, a sticky-queue reset for a failing workflow task.
 */
@Injectable()
export class RetryService {
  constructor(
    private readonly temporal: Client,
    private readonly store: EventStore,
    private readonly departments: DepartmentReadModel,
    private readonly stuck: StuckReadModel,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async retry(rawCode: string, reason: string | undefined, context: CommandContext): Promise<RetryResponse> {
    const code = normaliseCode(rawCode);
    const workflowId = onboardingWorkflowId(code);
    const namespace = this.config.temporalNamespace;
    const identity = `${context.actor.sub} (${context.actor.role}) via ssc-onboarding API`;
    const recorded = await this.recorded(code, context);
    if (recorded) {
      // Recorded already by an earlier run of this command whose answer was lost (or whose
      // holder of the key stopped answering): carry out what it recorded, append nothing.
      const targets = (recorded.data as { targets: RetryTarget[] }).targets;
      const retried = await this.temporalCall(() => retryFailedSteps(this.temporal, namespace, workflowId, targets, identity));
      await this.refreshObserved(code, workflowId);
      return { code, workflowId, retried, event: recorded };
    }
    const diagnosis = await this.temporalCall(() => diagnoseWorkflow(this.temporal, namespace, workflowId));
    // A registration whose first append is failing has a workflow but no read-model row yet.
    if (!diagnosis.running && !(await this.departments.get(code))) {
      throw departmentNotFound(code);
    }
    const targets = retryTargets(diagnosis);
    if (targets.length === 0) {
      throw new ApiError(409, 'nothing-to-retry', `no activity or workflow task of ${code} is failing`, { workflowId });
    }
    const event = await recordOperationsEvent(
      this.store,
      code,
      'RetryRequested',
      { code, workflowId, targets, ...(reason ? { reason } : {}) },
      { ...context, workflowId },
    );
    const retried = await this.temporalCall(() => retryFailedSteps(this.temporal, namespace, workflowId, targets, identity));
    await this.refreshObserved(code, workflowId);
    return { code, workflowId, retried, event };
  }

  /** The RetryRequested this command (by the id from its Idempotency-Key) appended before, if any. */
  private async recorded(code: string, { commandId }: CommandContext): Promise<StoredEvent | undefined> {
    if (!commandId) return undefined;
    const [event] = await this.store.findByCommandId(operationsStreamId(code), commandId);
    return event?.type === 'RetryRequested' ? event : undefined;
  }

  /** The stuck list shows the retry at once instead of after the next sweep. */
  private async refreshObserved(code: string, workflowId: string): Promise<void> {
    try {
      const now = new Date();
      const facts = observedFacts(await diagnoseWorkflow(this.temporal, this.config.temporalNamespace, workflowId), now);
      for (const reason of OBSERVED_STUCK_REASONS) {
        await this.stuck.saveObserved(code, reason, facts[reason as keyof typeof facts], now.toISOString());
      }
    } catch {
      // The next sweep will; the retry itself has happened.
    }
  }

  private async temporalCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isGrpcServiceError(error) && [4, 14].includes(error.code ?? -1)) {
        throw new ApiError(503, 'temporal-unavailable', 'the workflow service did not answer; try again');
      }
      throw error;
    }
  }
}
