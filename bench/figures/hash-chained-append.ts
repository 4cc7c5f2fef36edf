import { EventStore, GENESIS_HASH, hashEvent, type StoredEvent } from '../../libs/event-store/index.js';
import { pairedRun } from '../stats.js';
import { benchEvent, openEventStoreBench, rawInsert } from './event-store-database.js';
import { pairedFigure, type Figure, type LatencyFigure } from './figure.js';

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
  async measure({ env, samples, warmup, signal, log }) {
    const bench = await openEventStoreBench(env);
    try {
      const store = new EventStore(bench.db);
      const streamId = `bench-chain-${Date.now().toString(36)}`;
      // Both sides get the same rows, prepared before timing; the plain side's hashes are precomputed.
      const rows = chainedRows(streamId, warmup + samples);
      log(`${this.name}: ${warmup} + ${samples} pairs`);
      const series = await pairedRun(
        async (index) => {
          await store.append(streamId, index, [rows[index]]);
        },
        async (index) => {
          await rawInsert(bench.db, bench.rawTable, rows[index]);
        },
        { samples, warmup, signal },
      );
      const figure = pairedFigure(
        this.name,
        {
          api: 'EventStore.append without projections of one event to one stream: head lock, duplicate check, SHA-256 chain, INSERT, head update, in one transaction',
          baseline: 'one autocommitted INSERT of the same row into a plain table with the same columns and indexes',
        },
        series,
      );
      return withThroughput(figure, series.measured, series.baseline);
    } finally {
      await bench.close();
    }
  },
};

/** Appends (or inserts) per second over the measured calls, and their ratio. */
export function withThroughput(figure: LatencyFigure, measured: readonly number[], baseline: readonly number[]): LatencyFigure {
  const perSecond = (series: readonly number[]) => Math.round((series.length / series.reduce((sum, ms) => sum + ms, 0)) * 1000 * 10) / 10;
  const throughput = { measured: perSecond(measured), baseline: perSecond(baseline), ratio: Math.round((perSecond(measured) / perSecond(baseline)) * 100) / 100 };
  return { ...figure, throughputPerSecond: throughput };
}

/** The events one stream will hold, each with the hash the event store will give it. */
export function chainedRows(streamId: string, count: number): StoredEvent[] {
  const rows: StoredEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let index = 0; index < count; index += 1) {
    const event = { ...benchEvent(index), streamId, version: index + 1 };
    const hash = hashEvent(prevHash, event);
    rows.push({ ...event, position: 0, prevHash, hash });
    prevHash = hash;
  }
  return rows;
}
