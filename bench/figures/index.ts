import { advanceBreakdown } from './advance-breakdown.js';
import { advanceAcceptedLatency, advanceRefusedLatency, reassignLatency } from './command-latency.js';
import { consoleDepartmentPage } from './console-department-page.js';
import { concurrentAppends } from './concurrent-appends.js';
import { emmettAppend } from './emmett-append.js';
import { hashChainedAppend } from './hash-chained-append.js';
import { onboardingThroughput } from './onboarding-throughput.js';
import { projectedAppend } from './projected-append.js';
import { stuckListFilteredLatency, stuckListLatency } from './stuck-list.js';
import { verifiedStateRebuild } from './verified-state-rebuild.js';
import { workerMemory } from './worker-memory.js';
import type { Figure } from './figure.js';

export type { BreakdownFigure, Figure, FigureContext, FigureResult, LatencyFigure, MemoryFigure, Throughput, ThroughputFigure } from './figure.js';
export { pairedFigure } from './figure.js';

/** Every figure `npm run bench` measures, in this order, on one environment. */
export const FIGURES: readonly Figure[] = [
  advanceRefusedLatency,
  advanceAcceptedLatency,
  reassignLatency,
  advanceBreakdown,
  workerMemory,
  onboardingThroughput,
  hashChainedAppend,
  projectedAppend,
  concurrentAppends,
  emmettAppend,
  verifiedStateRebuild,
  consoleDepartmentPage,
  // Last: it leaves 10,000 departments (without workflows) in the bench database.
  stuckListLatency,
  stuckListFilteredLatency,
];
