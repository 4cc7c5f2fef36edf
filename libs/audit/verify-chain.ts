import { GENESIS_HASH, hashEvent, type StoredEvent, type StreamHead } from '../event-store/index.js';

export type ChainProblem =
  /** The event's stored hash is not SHA-256(prevHash ‖ canonical JSON) of what is stored now. */
  | 'hash-mismatch'
  /** A version is missing: the events jump from v-1 to a later version, or end before the head. */
  | 'missing-event'
  /** The event's own hash is consistent, but the next event (or the stream head) committed to another one. */
  | 'rehashed-event'
  /** The event's prevHash does not name the hash of the event before it. */
  | 'broken-link'
  /** The stream head says the stream ends elsewhere than its last stored event. */
  | 'head-mismatch';

export interface ChainVerification {
  readonly valid: boolean;
  /** Events checked, up to and including the first invalid one. */
  readonly checkedEvents: number;
  readonly firstInvalidVersion?: number;
  readonly problem?: ChainProblem;
  /** Version and hash of the last event, as stored. */
  readonly lastVersion: number;
  readonly lastHash: string;
}

type ChainEvent = Pick<StoredEvent, 'streamId' | 'version' | 'eventId' | 'type' | 'data' | 'metadata' | 'recordedAt' | 'prevHash' | 'hash'>;

/**
 * Walks one stream from the genesis hash. Each event must sit at the next version, name
 * the previous event's hash, and hash to what is stored. When an event is self-consistent
 * but its successor (or the stream head) committed to a different hash, the earlier event
 * is the one whose content no longer matches the chain: it was rewritten and rehashed.
 */
export function verifyChain(events: readonly ChainEvent[], head?: Pick<StreamHead, 'version' | 'hash'>): ChainVerification {
  let prevHash = GENESIS_HASH;
  let expectedVersion = 1;
  const invalid = (version: number, problem: ChainProblem, checked: number): ChainVerification => ({
    valid: false,
    checkedEvents: checked,
    firstInvalidVersion: version,
    problem,
    lastVersion: events.at(-1)?.version ?? 0,
    lastHash: events.at(-1)?.hash ?? GENESIS_HASH,
  });
  for (const [index, event] of events.entries()) {
    if (event.version !== expectedVersion) return invalid(expectedVersion, 'missing-event', index);
    const selfConsistent = hashEvent(event.prevHash, event) === event.hash;
    if (!selfConsistent) return invalid(event.version, 'hash-mismatch', index + 1);
    if (event.prevHash !== prevHash) {
      // The chain recorded another predecessor than the one stored now.
      return index === 0 ? invalid(event.version, 'broken-link', 1) : invalid(event.version - 1, 'rehashed-event', index + 1);
    }
    prevHash = event.hash;
    expectedVersion += 1;
  }
  if (head && head.version > 0) {
    if (head.version > events.length) return invalid(events.length + 1, 'missing-event', events.length);
    if (head.version < events.length) return invalid(head.version + 1, 'head-mismatch', events.length);
    if (head.hash !== prevHash) return invalid(head.version, 'rehashed-event', events.length);
  }
  return { valid: true, checkedEvents: events.length, lastVersion: events.length, lastHash: prevHash };
}
