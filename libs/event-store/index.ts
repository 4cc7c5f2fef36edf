export { EventStore, rowToEvent } from './event-store.js';
export type { AppendResult, EventStoreOptions, InlineProjection, PendingEvent, ReadStreamOptions, StatementPlan } from './event-store.js';
export { StreamVersionConflict } from './errors.js';
export { canonicalJson } from './canonical-json.js';
export { commandEventId } from './command-event-id.js';
export { GENESIS_HASH, canonicalEventJson, hashEvent } from './hash-chain.js';
export type { HashedEventFields } from './hash-chain.js';
export type { EventActor, EventMetadata, NewEvent, StoredEvent, StreamHead } from './types.js';
