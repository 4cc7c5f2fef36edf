import type { Client } from '@temporalio/client';
import { isGrpcServiceError } from '@temporalio/client';
import type { WorkflowDiagnosis } from './diagnosis.js';

/** One failing step and what a retry does to it. */
export type RetryTarget =
  | {
      readonly kind: 'activity';
      readonly activity: string;
      readonly activityId: string;
      readonly attempt: number;
      readonly lastFailure: string | null;
      readonly nextAttemptAt: string | null;
      /** Temporal's ResetActivity: attempts start again from 1 and a retry waiting out its backoff is scheduled now. */
      readonly action: 'reset-activity';
    }
  | {
      readonly kind: 'workflow-task';
      readonly attempt: number;
      readonly cause: string | null;
      readonly lastFailure: string | null;
      /**
       * Temporal retries a failing workflow task by itself; resetting the sticky queue sends
       * the next attempt to any worker on the shared queue (a fixed deployment) instead of
       * the cache of the worker that keeps failing it.
       */
      readonly action: 'reset-sticky-task-queue';
    };

/** What a retry would touch, from a diagnosis taken just before. */
export function retryTargets(diagnosis: WorkflowDiagnosis): RetryTarget[] {
  const activities: RetryTarget[] = diagnosis.activities.map((activity) => ({
    kind: 'activity',
    activity: activity.activity,
    activityId: activity.activityId,
    attempt: activity.attempt,
    lastFailure: activity.lastFailure,
    nextAttemptAt: activity.nextAttemptAt,
    action: 'reset-activity',
  }));
  const task = diagnosis.workflowTask;
  const workflowTask: RetryTarget[] = task
    ? [{ kind: 'workflow-task', attempt: task.attempt, cause: task.cause, lastFailure: task.lastFailure, action: 'reset-sticky-task-queue' }]
    : [];
  return [...workflowTask, ...activities];
}

export interface RetryResult {
  readonly target: RetryTarget;
  /** False when the step finished by itself between the diagnosis and the retry. */
  readonly applied: boolean;
}

/** Makes each failing step run again now, as far as Temporal allows. */
export async function retryFailedSteps(
  client: Client,
  namespace: string,
  workflowId: string,
  targets: readonly RetryTarget[],
  identity: string,
): Promise<RetryResult[]> {
  const results: RetryResult[] = [];
  for (const target of targets) {
    try {
      if (target.kind === 'activity') {
        await client.workflowService.resetActivity({
          namespace,
          execution: { workflowId },
          id: target.activityId,
          identity,
          resetHeartbeat: true,
        });
      } else {
        await client.workflowService.resetStickyTaskQueue({ namespace, execution: { workflowId } });
      }
      results.push({ target, applied: true });
    } catch (error) {
      if (isGrpcServiceError(error) && error.code === 5 /* NOT_FOUND: the activity completed meanwhile */) {
        results.push({ target, applied: false });
        continue;
      }
      throw error;
    }
  }
  return results;
}
