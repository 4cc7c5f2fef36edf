import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { errorMessage, type JsonLogger } from './json-log.js';

export interface ActivityObserverOptions {
  readonly log: JsonLogger;
  /** Told of every failed attempt, so the stuck sweep looks at that workflow first. */
  readonly onAttemptFailed?: (workflowId: string, failedAt: string) => void;
}

/** The request and correlation ids a command carried, as the workflow put them in the events' metadata. */
function correlationOf(args: readonly unknown[]): Record<string, unknown> {
  const first = args[0] as { events?: { metadata?: Record<string, unknown> }[] } | undefined;
  const metadata = first?.events?.[0]?.metadata;
  if (!metadata) return {};
  return { requestId: metadata.requestId, correlationId: metadata.correlationId, causationId: metadata.causationId };
}

/**
 * Logs every failed attempt and every recovery of an onboarding activity as one JSON line
 * carrying the workflow, the attempt and the correlation id of the command behind it.
 */
export function activityObserver(options: ActivityObserverOptions): ActivityInterceptorsFactory {
  return (context) => ({
    inbound: {
      async execute(input, next) {
        const { info } = context;
        const workflowId = info.workflowExecution?.workflowId ?? '';
        const fields = {
          workflowId,
          runId: info.workflowExecution?.runId,
          activity: info.activityType,
          attempt: info.attempt,
          ...correlationOf(input.args),
        };
        try {
          const result = await next(input);
          if (info.attempt > 1) options.log.info('activity recovered', fields);
          return result;
        } catch (error) {
          options.log.warn('activity attempt failed', { ...fields, error: errorMessage(error) });
          options.onAttemptFailed?.(workflowId, new Date().toISOString());
          throw error;
        }
      },
    },
  });
}
