import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** The hash that the first event of every stream links to. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event that its hash covers: everything but the database-assigned position. */
export interface HashedEventFields {
  readonly streamId: string;
  readonly version: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly recordedAt: string;
}

export function hashEvent(prevHash: string, event: HashedEventFields): string {
  return createHash('sha256').update(prevHash).update(canonicalEventJson(event)).digest('hex');
}

/** What the hash covers after the previous hash: PostgreSQL's append function hashes the same text. */
export function canonicalEventJson(event: HashedEventFields): string {
  return canonicalJson({
    streamId: event.streamId,
    version: event.version,
    eventId: event.eventId,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt,
  });
}
