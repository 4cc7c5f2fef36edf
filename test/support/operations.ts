import proto from '@temporalio/proto';
import { StuckMonitor, type SweepReport } from '../../libs/operations/index.js';
import type { Stack } from './stack.js';

export interface StuckEntry {
  readonly code: string;
  readonly stage: string | null;
  readonly centre: string | null;
  readonly reason: string;
  readonly since: string;
  readonly detail: Record<string, unknown>;
  readonly links: { readonly workflow?: string; readonly department: string };
}

/** One sweep of the stack's task queue, as a worker's stuck monitor runs it on its interval. */
export function sweepStuck(stack: Stack): Promise<SweepReport> {
  return new StuckMonitor({
    client: stack.temporal,
    db: stack.db,
    namespace: stack.config.temporalNamespace,
    taskQueue: stack.config.temporalTaskQueue,
    intervalMs: 1000,
    batchSize: 100,
    holder: `test-sweeper-${stack.config.temporalTaskQueue}`,
  }).sweepOnce();
}

/** GET /api/operations/stuck as operations staff, for these departments only (the database is shared by the run). */
export async function stuckList(stack: Stack, codes: readonly string[], query: Record<string, string> = {}): Promise<StuckEntry[]> {
  const response = await stack.http
    .get('/api/operations/stuck')
    .query({ limit: '1000', ...query })
    .set('Authorization', `Bearer ${stack.token('operations')}`);
  if (response.status !== 200) throw new Error(`stuck list answered ${response.status}: ${JSON.stringify(response.body)}`);
  return (response.body as StuckEntry[]).filter((entry) => codes.includes(entry.code));
}

/** Polls until `check` returns a value (not undefined/false), or fails with the last state seen. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

const { EventType } = proto.temporal.api.enums.v1;

/**
 * The attempt on which the department's latest run of this activity completed, from its
 * workflow history. A reset starts attempts again at 1; a backoff retry would carry on
 * counting, so this tells the two apart whatever the machine's speed.
 */
export async function completedAttempt(stack: Stack, code: string, activity: string): Promise<number | undefined> {
  const history = await stack.temporal.workflow.getHandle(`onboarding-${code}`).fetchHistory();
  const events = history.events ?? [];
  const scheduled = new Set(
    events
      .filter((event) => event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && event.activityTaskScheduledEventAttributes?.activityType?.name === activity)
      .map((event) => String(event.eventId)),
  );
  const completed = events.filter(
    (event) => event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED && scheduled.has(String(event.activityTaskCompletedEventAttributes?.scheduledEventId)),
  );
  const last = completed.at(-1);
  if (!last) return undefined;
  const started = events.find((event) => String(event.eventId) === String(last.activityTaskCompletedEventAttributes?.startedEventId));
  return started?.activityTaskStartedEventAttributes?.attempt ?? undefined;
}
