import { randomUUID } from 'node:crypto';
import { EventStore, StreamVersionConflict, type EventMetadata, type StoredEvent } from '../event-store/index.js';

/**
 * Actions operations staff take on the machinery rather than on the onboarding (a retry)
 * are events of their own stream, `operations-<CODE>`: hash-chained and attributed like
 * any other, and writable while the department's workflow, the single writer of
 * `department-<CODE>`, is the thing that is stuck.
 */
export const OPERATIONS_STREAM_PREFIX = 'operations-';

export function operationsStreamId(code: string): string {
  return `${OPERATIONS_STREAM_PREFIX}${code.toUpperCase()}`;
}

export async function recordOperationsEvent(
  store: EventStore,
  code: string,
  type: string,
  data: Record<string, unknown>,
  metadata: EventMetadata,
  recordedAt = new Date().toISOString(),
): Promise<StoredEvent> {
  const streamId = operationsStreamId(code);
  const event = { eventId: randomUUID(), type, data: { ...data, at: recordedAt }, metadata, recordedAt };
  for (let attempt = 1; ; attempt += 1) {
    try {
      const { events } = await store.append(streamId, await store.streamVersion(streamId), [event]);
      return events[0];
    } catch (error) {
      // Two operators acting on one department at once: take the new head and try again.
      if (!(error instanceof StreamVersionConflict) || attempt >= 5) throw error;
    }
  }
}
