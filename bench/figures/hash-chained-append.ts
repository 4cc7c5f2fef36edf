import { EventStore } from '../../libs/event-store/index.js';
import { appendBesidePlainInsert, openEventStoreBench } from './event-store-database.js';
import type { Figure } from './figure.js';

/**
 * What the hash chain and the per-stream head lock cost on PostgreSQL: one event appended
 * through an event store without projections (transaction, head row locked FOR UPDATE,
 * duplicate check, SHA-256 over canonical JSON, INSERT, head updated) against a plain INSERT
 * of the very same row into a table with the same columns and indexes. Appends per second
 * are reported beside the latencies. The worker's real path, with the inline projections in
 * the same transaction, is `event-store-append-with-projections`.
 */
export const hashChainedAppend: Figure = {
  name: 'event-store-hash-chained-append',
  async measure(context) {
    const bench = await openEventStoreBench(context.env);
    try {
      const streamId = `bench-chain-${Date.now().toString(36)}`;
      return await appendBesidePlainInsert(context, bench, { store: new EventStore(bench.db), streamId, already: 0 }, {
        name: this.name,
        api: 'EventStore.append without projections of one event to one stream: head lock, duplicate check, SHA-256 chain, INSERT, head update, in one transaction',
      });
    } finally {
      await bench.close();
    }
  },
};
