import type { Client } from '@temporalio/client';
import { isGrpcServiceError } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { StuckFact } from '../projections/index.js';

const { EventType, PendingActivityState, PendingWorkflowTaskState, WorkflowExecutionStatus, WorkflowTaskFailedCause } =
  proto.temporal.api.enums.v1;

type Timestamp = { seconds?: unknown; nanos?: number | null } | null | undefined;

/** An activity of the workflow that has failed at least once and is being retried. */
export interface FailingActivity {
  readonly activityId: string;
  readonly activity: string;
  /** Temporal's attempt number: the attempt running now, or the one waiting for its retry. */
  readonly attempt: number;
  readonly failedAttempts: number;
  readonly state: string;
  readonly lastFailure: string | null;
  readonly lastAttemptAt: string | null;
  readonly nextAttemptAt: string | null;
  readonly lastWorker: string | null;
}

/** The workflow task has failed (or timed out) and keeps being retried: the code cannot make progress. */
export interface FailingWorkflowTask {
  readonly attempt: number;
  readonly failedAttempts: number;
  readonly state: string;
  /** `non-deterministic-error`, `workflow-worker-unhandled-failure`, `timeout`… */
  readonly cause: string | null;
  readonly lastFailure: string | null;
  /** When the first failure of this run of failures was written to history. */
  readonly failingSince: string | null;
  readonly lastWorker: string | null;
}

export interface WorkflowDiagnosis {
  readonly workflowId: string;
  /** False when there is no such workflow, or it has finished. */
  readonly running: boolean;
  readonly activities: readonly FailingActivity[];
  readonly workflowTask: FailingWorkflowTask | null;
}

/**
 * One look at one workflow: which of its steps are failing right now. Costs a describe,
 * plus a short read of the end of its history when the workflow task is failing; the
 * sweep only does this for a few candidates at a time.
 */
export async function diagnoseWorkflow(client: Client, namespace: string, workflowId: string): Promise<WorkflowDiagnosis> {
  let described;
  try {
    described = await client.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId } });
  } catch (error) {
    if (isGrpcServiceError(error) && error.code === 5 /* NOT_FOUND */) return { workflowId, running: false, activities: [], workflowTask: null };
    throw error;
  }
  const running = described.workflowExecutionInfo?.status === WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  if (!running) return { workflowId, running, activities: [], workflowTask: null };
  const activities = (described.pendingActivities ?? [])
    .filter((pending) => (pending.attempt ?? 1) > 1)
    .map((pending): FailingActivity => ({
      activityId: pending.activityId ?? '',
      activity: pending.activityType?.name ?? 'unknown',
      attempt: pending.attempt ?? 1,
      failedAttempts: (pending.attempt ?? 1) - 1,
      state: enumName(PendingActivityState, pending.state, 'PENDING_ACTIVITY_STATE_'),
      lastFailure: pending.lastFailure?.message ?? null,
      lastAttemptAt: instant(pending.lastAttemptCompleteTime),
      nextAttemptAt: instant(pending.nextAttemptScheduleTime),
      lastWorker: pending.lastWorkerIdentity || null,
    }));
  const task = described.pendingWorkflowTask;
  const workflowTask =
    task && (task.attempt ?? 1) > 1
      ? {
          attempt: task.attempt ?? 1,
          failedAttempts: (task.attempt ?? 1) - 1,
          state: enumName(PendingWorkflowTaskState, task.state, 'PENDING_WORKFLOW_TASK_STATE_'),
          ...(await lastWorkflowTaskFailure(client, namespace, workflowId)),
        }
      : null;
  return { workflowId, running, activities, workflowTask };
}

/** The failure Temporal wrote to history when this run of workflow task failures began. */
async function lastWorkflowTaskFailure(
  client: Client,
  namespace: string,
  workflowId: string,
): Promise<Pick<FailingWorkflowTask, 'cause' | 'lastFailure' | 'failingSince' | 'lastWorker'>> {
  const { history } = await client.workflowService.getWorkflowExecutionHistoryReverse({
    namespace,
    execution: { workflowId },
    maximumPageSize: 50,
  });
  for (const event of history?.events ?? []) {
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) {
      const failed = event.workflowTaskFailedEventAttributes;
      return {
        cause: enumName(WorkflowTaskFailedCause, failed?.cause, 'WORKFLOW_TASK_FAILED_CAUSE_'),
        lastFailure: failed?.failure?.message ?? null,
        failingSince: instant(event.eventTime),
        lastWorker: failed?.identity || null,
      };
    }
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) {
      return { cause: 'timeout', lastFailure: 'the workflow task timed out on the worker', failingSince: instant(event.eventTime), lastWorker: null };
    }
  }
  return { cause: null, lastFailure: null, failingSince: null, lastWorker: null };
}

export interface ObservedFacts {
  readonly 'activity-failing': StuckFact | null;
  readonly 'workflow-task-failing': StuckFact | null;
}

/** What a diagnosis means for the stuck list; `firstFailedAt` is when a worker first saw an attempt fail. */
export function observedFacts(diagnosis: WorkflowDiagnosis, now: Date, firstFailedAt?: string): ObservedFacts {
  const [first] = diagnosis.activities;
  const activityFailing: StuckFact | null = first
    ? {
        reason: 'activity-failing',
        since: earliest([firstFailedAt, ...diagnosis.activities.map((activity) => activity.lastAttemptAt)]) ?? now.toISOString(),
        detail: {
          activity: first.activity,
          activityId: first.activityId,
          attempts: first.attempt,
          failedAttempts: first.failedAttempts,
          lastFailure: first.lastFailure,
          nextAttemptAt: first.nextAttemptAt,
          state: first.state,
          ...(diagnosis.activities.length > 1 ? { activities: diagnosis.activities } : {}),
        },
      }
    : null;
  const task = diagnosis.workflowTask;
  const workflowTaskFailing: StuckFact | null = task
    ? {
        reason: 'workflow-task-failing',
        since: task.failingSince ?? now.toISOString(),
        detail: {
          attempts: task.attempt,
          failedAttempts: task.failedAttempts,
          cause: task.cause,
          lastFailure: task.lastFailure,
          lastWorker: task.lastWorker,
          state: task.state,
        },
      }
    : null;
  return { 'activity-failing': activityFailing, 'workflow-task-failing': workflowTaskFailing };
}

function earliest(instants: readonly (string | null | undefined)[]): string | undefined {
  const known = instants.filter((value): value is string => typeof value === 'string');
  return known.length === 0 ? undefined : known.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}

function instant(ts: Timestamp): string | null {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return null;
  const seconds = typeof ts.seconds === 'object' && 'toNumber' in ts.seconds ? (ts.seconds as { toNumber(): number }).toNumber() : Number(ts.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

/** `PENDING_ACTIVITY_STATE_SCHEDULED` → `scheduled`; `..._NON_DETERMINISTIC_ERROR` → `non-deterministic-error`. */
function enumName(values: Record<string | number, string | number>, value: number | null | undefined, prefix: string): string {
  const name = value === null || value === undefined ? undefined : values[value];
  return typeof name === 'string' ? name.replace(prefix, '').toLowerCase().replace(/_/g, '-') : 'unspecified';
}
