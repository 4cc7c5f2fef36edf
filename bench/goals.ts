/** The goal each figure is held to (issue 13), and whether this run met it. */
export interface GoalVerdict {
  readonly goal: string;
  readonly value: number | null;
  readonly met: boolean | null;
}

type Reading = object;
/** The number at a dotted path of a figure (`ratio.p50`), or null when the run has none there. */
const at = (figure: Reading, path: string): number | null => {
  const value = path.split('.').reduce<unknown>(
    (node, key) => (typeof node === 'object' && node !== null && key in node ? (node as Record<string, unknown>)[key] : undefined),
    figure,
  );
  return typeof value === 'number' ? value : null;
};

interface Goal {
  readonly goal: string;
  readonly value: (figure: Reading) => number | null;
  readonly atMost?: number;
  readonly atLeast?: number;
}

const GOALS: Record<string, readonly Goal[]> = {
  'advance-refused-latency': [{ goal: 'refused advance ÷ bare refused Update, p50 ≤ 1.3', value: (f) => at(f, 'ratio.p50'), atMost: 1.3 }],
  'advance-accepted-latency': [{ goal: 'accepted advance ÷ bare accepted Update, p50 ≤ 1.3', value: (f) => at(f, 'ratio.p50'), atMost: 1.3 }],
  'reassign-latency': [{ goal: 'reassign (a one-activity command) ÷ bare accepted Update, p50 ≤ 1.3', value: (f) => at(f, 'ratio.p50'), atMost: 1.3 }],
  'event-store-hash-chained-append': [{ goal: 'hash-chained appends/s ÷ raw INSERTs/s ≥ 0.5', value: (f) => at(f, 'throughputPerSecond.ratio'), atLeast: 0.5 }],
  'event-store-append-with-projections': [
    { goal: 'appends with inline projections/s ÷ raw INSERTs/s ≥ 0.5', value: (f) => at(f, 'throughputPerSecond.ratio'), atLeast: 0.5 },
  ],
  'event-store-8-writers-vs-1': [{ goal: '8 writers ÷ 1 writer throughput ≥ 1.5', value: (f) => at(f, 'throughputPerSecond.ratio'), atLeast: 1.5 }],
  'state-rebuild-verified-vs-select': [
    {
      goal: 'verified rebuild ÷ raw SELECT throughput ≥ 0.3 (baseline p50 ÷ measured p50)',
      value: (f) => {
        const measured = at(f, 'api.p50');
        const baseline = at(f, 'baseline.p50');
        return measured && baseline ? Math.round((baseline / measured) * 100) / 100 : null;
      },
      atLeast: 0.3,
    },
  ],
  'stuck-list-10k': [
    { goal: 'stuck list ÷ raw indexed read, p50 ≤ 3', value: (f) => at(f, 'ratio.p50'), atMost: 3 },
    { goal: 'stuck list ÷ raw indexed read, p99 ≤ 2', value: (f) => at(f, 'ratio.p99'), atMost: 2 },
  ],
  'console-department-page': [
    { goal: 'console department page ÷ GET /api/departments/:code, p50 ≤ 2', value: (f) => at(f, 'ratio.p50'), atMost: 2 },
    { goal: 'console department page ÷ GET /api/departments/:code, p99 ≤ 2', value: (f) => at(f, 'ratio.p99'), atMost: 2 },
  ],
  'onboarding-throughput': [{ goal: 'onboardings to LIVE/s ÷ bare workflows with as many activities/s ≥ 0.5', value: (f) => at(f, 'throughputPerSecond.ratio'), atLeast: 0.5 }],
  'worker-memory-per-cached-workflow': [{ goal: 'worker heap per cached onboarding ÷ per cached trivial workflow ≤ 2', value: (f) => at(f, 'ratio'), atMost: 2 }],
  'event-store-vs-emmett-append': [{ goal: "our appends/s ÷ Emmett's appendToStream/s ≥ 1.0", value: (f) => at(f, 'throughputPerSecond.ratio'), atLeast: 1 }],
};

export function judge(figure: { readonly name: string }): GoalVerdict[] {
  return (GOALS[figure.name] ?? []).map(({ goal, value, atMost, atLeast }) => {
    const reading = value(figure);
    const met = reading === null ? null : (atMost === undefined || reading <= atMost) && (atLeast === undefined || reading >= atLeast);
    return { goal, value: reading, met };
  });
}
