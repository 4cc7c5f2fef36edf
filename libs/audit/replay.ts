import type { HistoryAndWorkflowId } from '@temporalio/client';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Progress } from './progress.js';

export interface ReplayFailure {
  /** `nondeterminism`: today's code makes other decisions than the history records. */
  readonly kind: 'nondeterminism' | 'replay-failed';
  readonly message: string;
  /** The history event at which the code diverged, when Temporal names it. */
  readonly eventId?: number;
}

export interface ReplayOutcome {
  readonly workflowId: string;
  readonly runId: string;
  readonly ok: boolean;
  readonly error?: ReplayFailure;
}

export type WorkflowCode = { readonly workflowBundle: WorkflowBundleWithSourceMap } | { readonly workflowsPath: string };

/** Bundling takes seconds; callers keep the promise and reuse it. */
export function bundleWorkflows(workflowsPath: string): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, logger: silentLogger });
}

/**
 * Replays recorded histories against workflow code, without a server: the same decisions
 * must come out, or the code would no longer drive the recorded onboardings correctly.
 */
export async function replayHistories(
  histories: Iterable<HistoryAndWorkflowId> | AsyncIterable<HistoryAndWorkflowId>,
  code: WorkflowCode,
  progress?: Progress,
): Promise<ReplayOutcome[]> {
  const workflowBundle = 'workflowBundle' in code ? code.workflowBundle : await bundleWorkflows(code.workflowsPath);
  const outcomes: ReplayOutcome[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle, replayName: 'ssc-audit-replay' }, histories)) {
    outcomes.push({
      workflowId: result.workflowId,
      runId: result.runId,
      ok: result.error === undefined,
      ...(result.error ? { error: describeFailure(result.error) } : {}),
    });
    progress?.tick();
  }
  return outcomes;
}

function describeFailure(error: Error): ReplayFailure {
  const eventId = divergedAt(error.message);
  return {
    kind: error instanceof DeterminismViolationError || /nondetermini/i.test(error.message) ? 'nondeterminism' : 'replay-failed',
    message: error.message,
    ...(eventId === undefined ? {} : { eventId }),
  };
}

/** Core names the history event it could not match, e.g. "… for event 5 …" or "event_id: 5". */
export function divergedAt(message: string): number | undefined {
  const match = /event(?:[ _]?id)?[:\s#]+(\d+)/i.exec(message);
  return match ? Number(match[1]) : undefined;
}

const silentLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
