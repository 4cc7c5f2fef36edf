import { WorkflowNotFoundError, type Client, type HistoryAndWorkflowId } from '@temporalio/client';
import { historyToJSON, type History } from '@temporalio/common/lib/proto-utils.js';

export interface WorkflowRunHistory extends HistoryAndWorkflowId {
  readonly runId: string;
  readonly history: History;
}

/** The history of one run (the latest when no run id is given). */
export async function fetchRunHistory(client: Client, workflowId: string, runId?: string): Promise<WorkflowRunHistory> {
  const resolvedRunId = runId ?? (await client.workflow.getHandle(workflowId).describe()).runId;
  const history = await client.workflow.getHandle(workflowId, resolvedRunId).fetchHistory();
  return { workflowId, runId: resolvedRunId, history };
}

/**
 * Every run of a workflow, oldest first: the latest run, then each run it continued as
 * new from, read off the started event, so nothing depends on visibility being current.
 */
export async function fetchRunChain(client: Client, workflowId: string): Promise<WorkflowRunHistory[]> {
  const runs: WorkflowRunHistory[] = [];
  let runId: string | undefined;
  do {
    const run = await fetchRunHistory(client, workflowId, runId);
    runs.unshift(run);
    runId = previousRunId(run.history) ?? undefined;
  } while (runId && runs.length < 10_000);
  return runs;
}

function previousRunId(history: History): string | null | undefined {
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
}

/** The proto3 JSON form that `temporal workflow show --output json` writes and replayers read. */
export function historyAsJson(history: History): { events: unknown[] } {
  return JSON.parse(historyToJSON(history)) as { events: unknown[] };
}

export function isWorkflowNotFound(error: unknown): boolean {
  return error instanceof WorkflowNotFoundError || (error as { code?: number })?.code === 5;
}
