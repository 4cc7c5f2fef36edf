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

/** One line of bench-results/latest.json: the product beside what it is built on. */
export interface FigureResult {
  readonly name: string;
  readonly unit: 'ms';
  readonly api: Percentiles;
  readonly baseline: Percentiles;
  /** api / baseline. */
  readonly ratio: Percentiles;
  readonly samples: number;
  /** What exactly each series timed, so a reader knows what the ratio compares. */
  readonly operations: { readonly api: string; readonly baseline: string };
}

/** A named measurement; add one to FIGURES in ./index.ts to have `npm run bench` report it. */
export interface Figure {
  readonly name: string;
  measure(context: FigureContext): Promise<FigureResult>;
}

export function pairedFigure(
  name: string,
  operations: FigureResult['operations'],
  series: PairedSeries,
): FigureResult {
  const api = percentiles(series.measured);
  const baseline = percentiles(series.baseline);
  return { name, unit: 'ms', api, baseline, ratio: ratio(api, baseline), samples: series.measured.length, operations };
}
