import { penceToPounds, type DepartmentState } from '../domain/index.js';

export interface DepartmentSavings {
  readonly code: string;
  readonly name: string;
  readonly centre: string;
  readonly stage: string;
  readonly baselineAnnualCostGbp: number | null;
  readonly implementationCostGbp: number | null;
  /** Savings caused by the programme: the figure the programme may claim. */
  readonly programmeSavingsGbp: number;
  /** Reductions caused by spending constraints: reported, never claimed. */
  readonly spendingConstraintReductionsGbp: number;
  readonly byPeriod: ReadonlyArray<{ period: string; programmeGbp: number; spendingConstraintGbp: number }>;
}

export interface SavingsReport {
  readonly departments: readonly DepartmentSavings[];
  readonly totals: {
    readonly programmeSavingsGbp: number;
    readonly spendingConstraintReductionsGbp: number;
    readonly implementationCostGbp: number;
    /** Programme savings less implementation cost: the honest net figure. */
    readonly netProgrammeSavingsGbp: number;
    readonly departmentsReporting: number;
  };
}

/**
 * Savings that the programme caused are kept apart from reductions that spending
 * constraints caused, as the auditors asked. All sums are done in pence.
 */
export function savingsReport(states: readonly DepartmentState[]): SavingsReport {
  let programme = 0;
  let constraint = 0;
  let implementation = 0;
  const departments = states.map((state) => {
    const periods = new Map<string, { programme: number; constraint: number }>();
    let own = 0;
    let ownConstraint = 0;
    for (const record of state.savings) {
      const entry = periods.get(record.period) ?? { programme: 0, constraint: 0 };
      if (record.attribution === 'programme') {
        entry.programme += record.amountPence;
        own += record.amountPence;
      } else {
        entry.constraint += record.amountPence;
        ownConstraint += record.amountPence;
      }
      periods.set(record.period, entry);
    }
    programme += own;
    constraint += ownConstraint;
    implementation += state.baseline?.implementationCostPence ?? 0;
    return {
      code: state.code,
      name: state.name,
      centre: state.centre,
      stage: state.stage,
      baselineAnnualCostGbp: state.baseline ? penceToPounds(state.baseline.annualCostPence) : null,
      implementationCostGbp: state.baseline ? penceToPounds(state.baseline.implementationCostPence) : null,
      programmeSavingsGbp: penceToPounds(own),
      spendingConstraintReductionsGbp: penceToPounds(ownConstraint),
      byPeriod: [...periods.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([period, sums]) => ({ period, programmeGbp: penceToPounds(sums.programme), spendingConstraintGbp: penceToPounds(sums.constraint) })),
    };
  });
  return {
    departments,
    totals: {
      programmeSavingsGbp: penceToPounds(programme),
      spendingConstraintReductionsGbp: penceToPounds(constraint),
      implementationCostGbp: penceToPounds(implementation),
      netProgrammeSavingsGbp: penceToPounds(programme - implementation),
      departmentsReporting: states.filter((state) => state.savings.length > 0).length,
    },
  };
}
