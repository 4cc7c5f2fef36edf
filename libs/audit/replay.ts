import type { HistoryAndWorkflowId } from '@temporalio/client';
import { DeterminismViolationError } from '@temporalio/workflow';
import { WORKFLOW_BUNDLER_OPTIONS } from '../temporal/worker.js';
import { bundleWorkflowCode, Worker, type ReplayWorkerOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import type { Progress } from './progress.js';

export interface ReplayFailure {
  /** `nondeterminism`: today's code makes other decisions than the history records. */
  readonly kind: 'nondeterminism' | 'replay-failed';
  readonly message: string;
  /** The first history event the code cannot replay past: where it diverged. */
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
  return bundleWorkflowCode({ workflowsPath, logger: silentLogger, ...WORKFLOW_BUNDLER_OPTIONS });
}

/**
 * Replays recorded histories against workflow code, without a server: the same decisions
 * must come out, or the code would no longer drive the recorded onboardings correctly.
 * For a history that diverges, the first history event at which it fails is found by
 * replaying ever shorter prefixes of it (core's messages do not always name the event).
 */
export async function replayHistories(
  histories: Iterable<HistoryAndWorkflowId> | AsyncIterable<HistoryAndWorkflowId>,
  code: WorkflowCode,
  progress?: Progress,
): Promise<ReplayOutcome[]> {
  const workflowBundle = 'workflowBundle' in code ? code.workflowBundle : await bundleWorkflows(code.workflowsPath);
  const options = { workflowBundle, replayName: 'ssc-audit-replay' };
  const recorded: HistoryAndWorkflowId[] = [];
  for await (const history of histories) recorded.push(history);
  const outcomes: ReplayOutcome[] = [];
  for await (const result of Worker.runReplayHistories(options, recorded)) {
    let error: ReplayFailure | undefined;
    if (result.error) {
      const history = recorded.find((candidate) => runIdOf(candidate) === result.runId) ?? recorded[outcomes.length];
      error = describeFailure(result.error, await divergencePoint(options, history));
    }
    outcomes.push({ workflowId: result.workflowId, runId: result.runId, ok: !error, ...(error ? { error } : {}) });
    progress?.tick();
  }
  return outcomes;
}

function runIdOf(recorded: HistoryAndWorkflowId): string | undefined {
  const history = recorded.history as History;
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.originalExecutionRunId ?? undefined;
}

/**
 * The id of the first event whose presence makes the history fail to replay: a history
 * cut before it replays cleanly (the last task of a cut history is simply not compared),
 * one that includes it does not. Bisection keeps this to a handful of replays.
 */
async function divergencePoint(options: ReplayWorkerOptions, recorded: HistoryAndWorkflowId): Promise<number | undefined> {
  const events = (recorded.history as History).events ?? [];
  const fails = async (length: number) => {
    try {
      await Worker.runReplayHistory(options, { events: events.slice(0, length) }, recorded.workflowId);
      return false;
    } catch {
      return true;
    }
  };
  let low = 1;
  let high = events.length;
  if (high === 0 || !(await fails(high))) return undefined;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (await fails(middle)) high = middle;
    else low = middle + 1;
  }
  return Number(String(events[high - 1].eventId));
}

function describeFailure(error: Error, eventId: number | undefined): ReplayFailure {
  return {
    kind: error instanceof DeterminismViolationError || /nondetermini/i.test(error.message) ? 'nondeterminism' : 'replay-failed',
    message: error.message,
    ...(eventId === undefined ? {} : { eventId }),
  };
}

const silentLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
