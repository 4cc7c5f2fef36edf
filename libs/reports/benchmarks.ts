import { penceToPounds, type DepartmentState } from '../domain/index.js';

export interface CentreBenchmark {
  readonly centre: string;
  readonly departments: number;
  readonly live: number;
  /** Annual back-office cost per person served, before joining: what the centre must beat. */
  readonly baselineCostPerHeadGbp: number | null;
  readonly programmeSavingsPerHeadGbp: number | null;
  readonly averageAssessmentScore: number | null;
  /** Every approved deviation from the standard operating model costs money. */
  readonly approvedDeviations: number;
  readonly rejectedDeviations: number;
  /** Estimated costs of the approved deviations: what departing from the standard model costs. */
  readonly approvedDeviationOneOffCostGbp: number;
  readonly approvedDeviationAnnualCostGbp: number;
  readonly missedDeadlines: number;
}

function average(values: readonly number[]): number | null {
  return values.length === 0 ? null : Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 100) / 100;
}

/** Performance benchmarks per centre, so departments can compare before and after joining. */
export function benchmarksReport(states: readonly DepartmentState[]): { centres: CentreBenchmark[] } {
  const byCentre = new Map<string, DepartmentState[]>();
  for (const state of states) byCentre.set(state.centre, [...(byCentre.get(state.centre) ?? []), state]);
  const centres = [...byCentre.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([centre, members]) => {
      const withBaseline = members.filter((state) => state.baseline && state.baseline.headcountServed > 0);
      const headcount = withBaseline.reduce((sum, state) => sum + state.baseline!.headcountServed, 0);
      const cost = withBaseline.reduce((sum, state) => sum + state.baseline!.annualCostPence, 0);
      const savings = withBaseline.reduce(
        (sum, state) => sum + state.savings.filter((record) => record.attribution === 'programme').reduce((s, r) => s + r.amountPence, 0),
        0,
      );
      const deviations = members.flatMap((state) => state.deviations);
      const approved = deviations.filter((deviation) => deviation.status === 'approved');
      return {
        centre,
        departments: members.length,
        live: members.filter((state) => state.actualGoLive !== null).length,
        baselineCostPerHeadGbp: headcount === 0 ? null : penceToPounds(Math.round(cost / headcount)),
        programmeSavingsPerHeadGbp: headcount === 0 ? null : penceToPounds(Math.round(savings / headcount)),
        averageAssessmentScore: average(members.flatMap((state) => (state.assessment ? [state.assessment.score] : []))),
        approvedDeviations: deviations.filter((deviation) => deviation.status === 'approved').length,
        rejectedDeviations: deviations.filter((deviation) => deviation.status === 'rejected').length,
        approvedDeviationOneOffCostGbp: penceToPounds(approved.reduce((sum, deviation) => sum + (deviation.oneOffCostPence ?? 0), 0)),
        approvedDeviationAnnualCostGbp: penceToPounds(approved.reduce((sum, deviation) => sum + (deviation.annualCostPence ?? 0), 0)),
        missedDeadlines: members.reduce((sum, state) => sum + state.missedDeadlines.length, 0),
      };
    });
  return { centres };
}
