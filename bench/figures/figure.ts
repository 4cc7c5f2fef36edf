import type { BenchEnvironment } from '../environment.js';
import { percentiles, ratio, type PairedSeries, type Percentiles } from '../stats.js';

export interface FigureContext {
  readonly env: BenchEnvironment;
  /** Measured calls per series, after the warm-up. */
  readonly samples: number;
  readonly warmup: number;
  /** Aborted on Ctrl-C: stop between calls. */
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
}

/** What every line of bench-results/latest.json says: its name and what each side timed. */
interface FigureBase {
  readonly name: string;
  /** What exactly each side timed, so a reader knows what the ratio compares. */
  readonly operations: { readonly api: string; readonly baseline: string };
}

/** Calls per second on each side, and ours ÷ the baseline's. */
export interface Throughput {
  readonly measured: number;
  readonly baseline: number;
  readonly ratio: number;
}

/** The product's call beside what it is built on, timed call by call. */
export interface LatencyFigure extends FigureBase {
  readonly unit: 'ms';
  readonly api: Percentiles;
  readonly baseline: Percentiles;
  /** api / baseline. */
  readonly ratio: Percentiles;
  readonly samples: number;
  readonly throughputPerSecond?: Throughput;
  /** The same calls on their uncached path, beside their own baseline (event-store-append-with-projections: a store that remembers no row). */
  readonly coldPath?: Throughput;
  /** Concurrent writers on the measured side (event-store-8-writers-vs-1). */
  readonly writers?: number;
}

/** Where one call's time goes: medians of its parts, each timed on its own in the same run. */
export interface BreakdownFigure extends FigureBase {
  readonly unit: 'ms';
  readonly samples: number;
  readonly p50: Readonly<Record<string, number>>;
  /** Named remainders (what the parts above leave unexplained) and counts. */
  readonly derived: Readonly<Record<string, number>>;
  readonly roundTrips: Readonly<Record<string, number>>;
}

/** Memory a cached workflow holds in the worker, ours beside a trivial one. */
export interface MemoryFigure extends FigureBase {
  readonly unit: 'KiB';
  readonly workflows: number;
  readonly method: string;
  readonly onboarding: Readonly<Record<string, number>>;
  readonly trivial: Readonly<Record<string, number>>;
  /** onboarding ÷ trivial per workflow; null when the run could not measure it (and `unmeasured` says why). */
  readonly ratio: number | null;
  readonly unmeasured?: string;
}

/** Whole jobs per second, ours beside bare workflows doing as many steps. */
export interface ThroughputFigure extends FigureBase {
  readonly unit: 'per-second';
  readonly concurrent: number;
  readonly rounds: { readonly ours: readonly number[]; readonly bare: readonly number[] };
  readonly throughputPerSecond: Throughput;
}

/** One line of bench-results/latest.json. */
export type FigureResult = LatencyFigure | BreakdownFigure | MemoryFigure | ThroughputFigure;

/** A named measurement; add one to FIGURES in ./index.ts to have `npm run bench` report it. */
export interface Figure {
  readonly name: string;
  measure(context: FigureContext): Promise<FigureResult>;
}

export function pairedFigure(
  name: string,
  operations: FigureBase['operations'],
  series: PairedSeries,
): LatencyFigure {
  const api = percentiles(series.measured);
  const baseline = percentiles(series.baseline);
  return { name, unit: 'ms', api, baseline, ratio: ratio(api, baseline), samples: series.measured.length, operations };
}
