import { randomUUID } from 'node:crypto';
import { EventStore, StreamVersionConflict, commandEventId, type EventMetadata, type StoredEvent } from '../event-store/index.js';

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

/**
 * Appends one operations event. An action sent with an Idempotency-Key (its `commandId`)
 * gets an event id derived from it, so running the same action again answers the event
 * already stored and appends nothing.
 */
export async function recordOperationsEvent(
  store: EventStore,
  code: string,
  type: string,
  data: Record<string, unknown>,
  metadata: EventMetadata & { readonly commandId?: string },
  recordedAt = new Date().toISOString(),
): Promise<StoredEvent> {
  const streamId = operationsStreamId(code);
  const eventId = metadata.commandId ? commandEventId(streamId, metadata.commandId) : randomUUID();
  const event = { eventId, type, data: { ...data, at: recordedAt }, metadata, recordedAt };
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
