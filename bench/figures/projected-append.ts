import { randomUUID } from 'node:crypto';
import { streamIdFor } from '../../libs/domain/index.js';
import { registered } from '../../libs/domain/testing/onboarding-history.js';
import { EventStore } from '../../libs/event-store/index.js';
import { INLINE_PROJECTIONS } from '../../libs/projections/index.js';
import { appendBesidePlainInsert, openEventStoreBench } from './event-store-database.js';
import type { Figure } from './figure.js';

/**
 * The product's append path as the worker runs it: EventStore.append with the inline
 * projections, so the department read model is loaded, folded with `evolve` and saved and
 * the stuck rows are brought up to date in the same transaction, for a domain event on a
 * registered department's stream; against a plain INSERT of the very same row into a table
 * with the same columns and indexes. The chain-only figure leaves the projections out.
 */
export const projectedAppend: Figure = {
  name: 'event-store-append-with-projections',
  async measure(context) {
    const bench = await openEventStoreBench(context.env);
    try {
      const store = new EventStore(bench.db, INLINE_PROJECTIONS);
      const code = `BP${Date.now().toString(36).toUpperCase()}`.slice(0, 10);
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
      // Baselines recorded again and again after the registration: each one changes the read model row.
      return await appendBesidePlainInsert(context, bench, { store, streamId, already: 1 }, {
        name: this.name,
        api: "EventStore.append of one BaselineRecorded to a registered department's stream with the inline projections: head lock, duplicate check, SHA-256 chain, INSERT, head update, department read model folded and saved, stuck rows updated, in one transaction",
      });
    } finally {
      await bench.close();
    }
  },
};
