import { randomUUID } from 'node:crypto';
import { streamIdFor } from '../../libs/domain/index.js';
import { registered } from '../../libs/domain/testing/onboarding-history.js';
import { EventStore } from '../../libs/event-store/index.js';
import { INLINE_PROJECTIONS } from '../../libs/projections/index.js';
import { appendBesidePlainInsert, openEventStoreBench } from './event-store-database.js';
import type { Figure } from './figure.js';

/** A newly registered department's stream, as the worker appends it (the store then remembers its row). */
async function registeredDepartment(store: EventStore, tag: string): Promise<string> {
  const code = `B${tag}${randomUUID().replace(/-/g, '').slice(0, 8)}`.toUpperCase();
  const streamId = streamIdFor(code);
  const at = new Date().toISOString();
  await store.append(streamId, 0, [
    {
      eventId: randomUUID(),
      type: 'DepartmentRegistered',
      data: { ...registered.data, code, name: `Bench department ${code}`, at },
      metadata: { actor: { sub: 'bench-programme', role: 'programme' } },
      recordedAt: at,
    },
  ]);
  return streamId;
}

/**
 * The product's append path as the worker runs it: EventStore.append with the inline
 * projections, for a domain event on a registered department's stream, one after another
 * at the stream's head as a department's workflow appends; against a plain INSERT of the
 * very same row into a table with the same columns and indexes. The chain-only figure
 * leaves the projections out.
 *
 * The store remembers the row it wrote, so in this steady state each append is the one
 * statement; `coldPath` is the same figure measured with a store that remembers nothing
 * (each append reads the department row first), which is what the first append after a
 * worker starts or takes a department over costs.
 */
export const projectedAppend: Figure = {
  name: 'event-store-append-with-projections',
  async measure(context) {
    const bench = await openEventStoreBench(context.env);
    try {
      const store = new EventStore(bench.db, INLINE_PROJECTIONS);
      // Baselines recorded again and again after the registration: each one changes the read model row.
      const steady = await appendBesidePlainInsert(context, bench, { store, streamId: await registeredDepartment(store, 'P'), already: 1 }, {
        name: this.name,
        api: "EventStore.append of one BaselineRecorded to a registered department's stream with the inline projections, at the stream's head: one statement appends (head lock, duplicate check, SHA-256 chain, INSERT, head update) and writes the department read model folded onto the row the store remembers writing, and its stuck facts",
      });
      const forgetful = new EventStore(bench.db, INLINE_PROJECTIONS, { memory: { maxStreams: 0, maxChars: 0 } });
      const cold = await appendBesidePlainInsert(context, bench, { store: forgetful, streamId: await registeredDepartment(forgetful, 'C'), already: 1 }, {
        name: `${this.name} (cold path)`,
        api: 'the same, with a store that remembers nothing: the department row is read before each statement',
      });
      return { ...steady, coldPath: cold.throughputPerSecond };
    } finally {
      await bench.close();
    }
  },
};
