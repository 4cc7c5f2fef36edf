import { performance } from 'node:perf_hooks';

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
}

/** Nearest-rank percentiles, in milliseconds rounded to hundredths. */
export function percentiles(samples: readonly number[]): Percentiles {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]);
  return { p50: at(50), p99: at(99) };
}

/**
 * Calls a series needs for its p99 to be more than its few slowest calls: with 200, the p99
 * is the third-slowest, and whether one pause of the garbage collector lands among the
 * baseline's three slowest flips a p99 ratio from about 1.6 to over 3 between runs of the
 * same code. A figure judged on its p99 measures at least this many, whatever BENCH_SAMPLES asks.
 */
export const P99_SAMPLES = 1000;

export function samplesForP99(requested: number): number {
  return Math.max(requested, P99_SAMPLES);
}

export function ratio(measured: Percentiles, baseline: Percentiles): Percentiles {
  return { p50: round(measured.p50 / baseline.p50), p99: round(measured.p99 / baseline.p99) };
}

/** Milliseconds one call takes. */
export async function timed(call: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

export interface PairedSeries {
  readonly measured: number[];
  readonly baseline: number[];
}

export interface PairedRunOptions {
  readonly samples: number;
  readonly warmup: number;
  readonly signal: AbortSignal;
}

/**
 * Runs the operation and its baseline alternately, one call at a time, so that drift
 * (a GC pause, the server compacting) lands on both series alike. Warm-up calls are
 * made the same way and thrown away.
 */
export async function pairedRun(
  measured: (index: number) => Promise<void>,
  baseline: (index: number) => Promise<void>,
  options: PairedRunOptions,
): Promise<PairedSeries> {
  const [measuredMs, baselineMs] = await rotatedRun([measured, baseline], options);
  return { measured: measuredMs, baseline: baselineMs };
}

/**
 * pairedRun for any number of calls: each round makes every call once, and who goes first
 * rotates from round to round, so no series always follows the same other one. One series
 * of milliseconds per call, in the order the calls were given.
 */
export async function rotatedRun(calls: readonly ((index: number) => Promise<void>)[], options: PairedRunOptions): Promise<number[][]> {
  const series = calls.map((): number[] => []);
  for (let index = 0; index < options.warmup + options.samples; index += 1) {
    const round: number[] = [];
    for (let turn = 0; turn < calls.length; turn += 1) {
      options.signal.throwIfAborted();
      const which = (index + turn) % calls.length;
      round[which] = await timed(() => calls[which](index));
    }
    if (index >= options.warmup) round.forEach((ms, which) => series[which].push(ms));
  }
  return series;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
