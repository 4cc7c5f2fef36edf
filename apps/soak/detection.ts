import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { workflowIdFor } from '../../libs/domain/index.js';
import { signToken } from '../api/src/auth/tokens.js';

const { EventType } = proto.temporal.api.enums.v1;

export interface DetectionOptions {
  readonly temporal: Client;
  readonly taskQueue: string;
  /** An API process, asked as operations staff would ask it. */
  readonly apiUrl: string;
  readonly jwtSecret: string;
  readonly sweepIntervalMs: number;
  readonly sweepBatch: number;
  /** Give up waiting for the listing after this long. */
  readonly timeoutMs?: number;
}

export interface DetectionResult {
  /** Whether the server answers a visibility query on `TemporalReportedProblems`, and what it said. */
  readonly reportedProblemsQuery: { readonly offered: boolean; readonly answer: string };
  /** Running onboardings the rotating scan had to page through. */
  readonly runningWorkflows: number;
  readonly sweepIntervalMs: number;
  readonly sweepBatch: number;
  /** Whether the stuck list showed the failing workflow task before the timeout. */
  readonly listed: boolean;
  /** From the first failed workflow task (the server's event time) until GET /api/operations/stuck listed it. */
  readonly detectionMs: number | null;
  /**
   * Each sweep reads the next page of running onboardings and starts over at the end, so a
   * failing workflow is listed by the sweep that reaches its page: within one full pass of
   * one sweep per page. Derived from the figures above; `detectionMs` is one draw from it.
   */
  readonly fullPassMs: number;
}

/**
 * Starts an onboarding workflow whose every workflow task fails (it is given no input, so
 * the workflow code throws before its first command, as after a bad deploy or a client
 * that sent garbage), then measures how long operations staff wait before
 * GET /api/operations/stuck lists it as `workflow-task-failing`. The workflow is terminated
 * afterwards; it never had an event stream.
 */
export async function measureFailingTaskDetection(options: DetectionOptions): Promise<DetectionResult> {
  const code = `TASKFAIL${Date.now() % 100}`;
  const workflowId = workflowIdFor(code);
  const handle = await options.temporal.workflow.start('onboarding', { taskQueue: options.taskQueue, workflowId, args: [] });
  try {
    const failedAt = await firstWorkflowTaskFailure(options.temporal, workflowId);
    const reportedProblemsQuery = await probeReportedProblems(options.temporal);
    const runningWorkflows = await countRunning(options.temporal, options.taskQueue);
    const token = signToken({ sub: 'soak-operations', roles: ['operations'], departments: [] }, { secret: options.jwtSecret });
    const deadline = Date.now() + (options.timeoutMs ?? Math.max(10 * 60_000, 4 * Math.ceil(runningWorkflows / options.sweepBatch + 1) * options.sweepIntervalMs));
    let listedAt: number | undefined;
    while (listedAt === undefined && Date.now() < deadline) {
      if (await isListed(options.apiUrl, token, code)) listedAt = Date.now();
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return {
      reportedProblemsQuery,
      runningWorkflows,
      sweepIntervalMs: options.sweepIntervalMs,
      sweepBatch: options.sweepBatch,
      listed: listedAt !== undefined,
      detectionMs: listedAt === undefined ? null : listedAt - failedAt,
      fullPassMs: Math.ceil(runningWorkflows / options.sweepBatch) * options.sweepIntervalMs,
    };
  } finally {
    await handle.terminate('soak: time to detection measured').catch(() => undefined);
  }
}

/** When the server recorded the workflow's first failed workflow task. */
async function firstWorkflowTaskFailure(client: Client, workflowId: string): Promise<number> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const { history } = await client.workflowService.getWorkflowExecutionHistory({ namespace: client.options.namespace, execution: { workflowId } });
    const failed = history?.events?.find((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    if (failed?.eventTime) return Number(failed.eventTime.seconds) * 1000 + Math.floor((failed.eventTime.nanos ?? 0) / 1e6);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${workflowId}: no workflow task failed within 120 s`);
}

/**
 * Newer Temporal servers mark a workflow whose tasks keep failing with the system search
 * attribute `TemporalReportedProblems`, so a visibility query finds it at once. Asked of
 * the server that runs, not assumed from its version.
 */
export async function probeReportedProblems(client: Client): Promise<{ offered: boolean; answer: string }> {
  try {
    const response = await client.workflowService.countWorkflowExecutions({
      namespace: client.options.namespace,
      query: 'TemporalReportedProblems IS NOT NULL',
    });
    return { offered: true, answer: `${String(response.count)} workflows reported with problems` };
  } catch (error) {
    return { offered: false, answer: error instanceof Error ? error.message : String(error) };
  }
}

async function countRunning(client: Client, taskQueue: string): Promise<number> {
  const response = await client.workflowService.countWorkflowExecutions({
    namespace: client.options.namespace,
    query: `WorkflowType = 'onboarding' AND ExecutionStatus = 'Running' AND TaskQueue = ${JSON.stringify(taskQueue)}`,
  });
  return Number(response.count);
}

async function isListed(apiUrl: string, token: string, code: string): Promise<boolean> {
  try {
    const response = await fetch(`${apiUrl}/api/operations/stuck?reason=workflow-task-failing&limit=1000`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) return false;
    const entries = (await response.json()) as { code: string }[];
    return entries.some((entry) => entry.code === code);
  } catch {
    return false;
  }
}
