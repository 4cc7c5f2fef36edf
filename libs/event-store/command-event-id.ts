import { v5 as nameBasedUuid } from 'uuid';

/**
 * The shape of every id the system issues and is later handed back: event ids, command ids,
 * the ids of records named after them (a saving is its event's id, a deviation dev-<uuid>).
 * Anything else cannot be one of ours, and is answered as unknown without a lookup.
 */
export const ISSUED_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

/** The namespace of ssc-onboarding's name-based event ids (a fixed, random UUID). */
const COMMAND_EVENTS_NAMESPACE = '5d0f3c3e-8a51-4f0e-9b7a-2f6c1e4d9a07';

/**
 * The id of the `index`-th event a command appends to a stream, derived from the command's
 * id (from its Idempotency-Key): the same command run again appends the same ids, which the
 * store finds already stored and answers as a duplicate instead of writing them twice.
 */
export function commandEventId(streamId: string, commandId: string, index = 0): string {
  return nameBasedUuid(`${streamId}\n${commandId}\n${index}`, COMMAND_EVENTS_NAMESPACE);
}
