import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { EventStore } from '../../libs/event-store/index.js';
import { pairedRun } from '../stats.js';
import { benchEvent, openEventStoreBench, withThroughput } from './event-store-database.js';
import { pairedFigure, type Figure } from './figure.js';

/**
 * Our append beside Emmett's `appendToStream` (event-driven-io/emmett-postgresql, a dev
 * dependency used only here) on the same PostgreSQL database: the same event, one per
 * call, to one stream each, with the expected version checked on both sides. Emmett keeps
 * its own tables (emt_*) in the bench database. Goal: our rate ÷ Emmett's ≥ 1.0.
 */
export const emmettAppend: Figure = {
  name: 'event-store-vs-emmett-append',
  async measure({ env, samples, warmup, signal, log }) {
    const bench = await openEventStoreBench(env);
    const emmett = getPostgreSQLEventStore(env.config.databaseUrl!);
    try {
      const ours = new EventStore(bench.db);
      const stream = `bench-emmett-${Date.now().toString(36)}`;
      // Emmett creates its schema on first use: do it before timing.
      await emmett.appendToStream(`${stream}-schema`, [{ type: 'SchemaReady', data: {} }]);
      log(`${this.name}: ${warmup} + ${samples} pairs`);
      const series = await pairedRun(
        async (index) => {
          await ours.append(`${stream}-ours`, index, [benchEvent(index)]);
        },
        async (index) => {
          const event = benchEvent(index);
          await emmett.appendToStream(`${stream}-emmett`, [{ type: event.type, data: event.data as Record<string, unknown>, metadata: event.metadata as unknown as Record<string, unknown> }], {
            expectedStreamVersion: BigInt(index),
          });
        },
        { samples, warmup, signal },
      );
      const figure = pairedFigure(
        this.name,
        {
          api: 'EventStore.append (no projections) of one event with its expected version: one append_events call, SHA-256 chained',
          baseline: "Emmett's PostgreSQL appendToStream of the same event with expectedStreamVersion, same database",
        },
        series,
      );
      return { ...withThroughput(figure, series.measured, series.baseline), goal: { metric: 'throughputPerSecond.ratio (ours ÷ Emmett)', atLeast: 1.0 } };
    } finally {
      await emmett.close();
      await bench.close();
    }
  },
};
