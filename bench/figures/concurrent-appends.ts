import { performance } from 'node:perf_hooks';
import { EventStore } from '../../libs/event-store/index.js';
import { percentiles, ratio } from '../stats.js';
import { benchEvent, openEventStoreBench } from './event-store-database.js';
import type { Figure, LatencyFigure } from './figure.js';

const WRITERS = 8;

/**
 * Whether appends to different streams wait on each other: 8 writers each appending to
 * its own stream at once, against 1 writer alone, the same number of appends each round.
 * Each round runs both sides, and which side goes first alternates from round to round, so
 * drift lands on both. Every writer knows its stream's version before the clock starts
 * (read once, then counted), so only appends are timed. Latency is per append;
 * `throughputPerSecond.ratio` above 1 means the writers ran side by side.
 */
export const concurrentAppends: Figure = {
  name: 'event-store-8-writers-vs-1',
  async measure({ env, samples, warmup, signal, log }) {
    const bench = await openEventStoreBench(env);
    try {
      const store = new EventStore(bench.db);
      const prefix = `bench-writers-${Date.now().toString(36)}`;
      const perRound = WRITERS * 4;
      const rounds = Math.max(1, Math.ceil((warmup + samples) / perRound));
      const warmupRounds = Math.min(rounds - 1, Math.ceil(warmup / perRound));
      const single = { latencies: [] as number[], elapsedMs: 0, appends: 0 };
      const eight = { latencies: [] as number[], elapsedMs: 0, appends: 0 };
      const singleStreams = [`${prefix}-single`];
      const eightStreams = Array.from({ length: WRITERS }, (_, writer) => `${prefix}-w${writer}`);
      const versions = new Map<string, number>();
      for (const streamId of [...singleStreams, ...eightStreams]) versions.set(streamId, await store.streamVersion(streamId));
      log(`${this.name}: ${rounds} rounds of ${perRound} appends per side (${warmupRounds} thrown away)`);
      for (let round = 0; round < rounds; round += 1) {
        signal.throwIfAborted();
        const keep = round >= warmupRounds;
        const runOne = () => runWriters(store, singleStreams, versions, perRound);
        const runMany = () => runWriters(store, eightStreams, versions, perRound / WRITERS);
        let one: Awaited<ReturnType<typeof runWriters>>;
        let many: Awaited<ReturnType<typeof runWriters>>;
        if (round % 2 === 0) {
          one = await runOne();
          many = await runMany();
        } else {
          many = await runMany();
          one = await runOne();
        }
        if (!keep) continue;
        for (const [series, run] of [[single, one], [eight, many]] as const) {
          series.latencies.push(...run.latencies);
          series.elapsedMs += run.elapsedMs;
          series.appends += run.latencies.length;
        }
      }
      const measured = percentiles(eight.latencies);
      const baseline = percentiles(single.latencies);
      const perSecond = (side: typeof single) => Math.round((side.appends / side.elapsedMs) * 1000 * 10) / 10;
      const result: LatencyFigure = {
        name: this.name,
        unit: 'ms',
        api: measured,
        baseline,
        ratio: ratio(measured, baseline),
        samples: eight.latencies.length,
        operations: {
          api: `${WRITERS} writers at once, each appending one event at a time to its own stream`,
          baseline: '1 writer appending one event at a time to one stream, the same number of appends',
        },
        writers: WRITERS,
        throughputPerSecond: {
          measured: perSecond(eight),
          baseline: perSecond(single),
          ratio: Math.round((perSecond(eight) / perSecond(single)) * 100) / 100,
        },
      };
      return result;
    } finally {
      await bench.close();
    }
  },
};

/** Every stream gets its own sequential writer; all writers start together. `versions` is kept up to date. */
async function runWriters(store: EventStore, streams: readonly string[], versions: Map<string, number>, appendsPerWriter: number) {
  const latencies: number[] = [];
  const events = new Map(streams.map((streamId) => [streamId, Array.from({ length: appendsPerWriter }, (_, index) => benchEvent(index))]));
  const started = performance.now();
  await Promise.all(
    streams.map(async (streamId) => {
      for (const event of events.get(streamId)!) {
        const before = performance.now();
        await store.append(streamId, versions.get(streamId)!, [event]);
        latencies.push(performance.now() - before);
        versions.set(streamId, versions.get(streamId)! + 1);
      }
    }),
  );
  return { latencies, elapsedMs: performance.now() - started };
}
