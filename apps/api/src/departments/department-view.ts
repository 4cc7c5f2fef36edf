import { penceToPounds, type DepartmentState, type SavingsRecord } from '../../../../libs/domain/index.js';
import { onboardingWorkflowId } from '../../../../workflows/contract.js';

/** A department as the API shows it: money in pounds, and a link to its workflow. */
export function toDepartmentView(state: DepartmentState, temporalUiUrl?: string, namespace = 'default') {
  const workflowId = onboardingWorkflowId(state.code);
  return {
    ...state,
    baseline: state.baseline && {
      annualCostGbp: penceToPounds(state.baseline.annualCostPence),
      implementationCostGbp: penceToPounds(state.baseline.implementationCostPence),
      headcountServed: state.baseline.headcountServed,
      expectedAnnualSavingGbp: optionalPounds(state.baseline.expectedAnnualSavingPence),
      at: state.baseline.at,
    },
    originalPlannedGoLive: state.originalPlannedGoLive || state.plannedGoLive,
    deviations: state.deviations.map(({ oneOffCostPence, annualCostPence, ...deviation }) => ({
      ...deviation,
      oneOffCostGbp: optionalPounds(oneOffCostPence),
      annualCostGbp: optionalPounds(annualCostPence),
    })),
    savings: state.savings.map(savingsView),
    costs: (state.costs ?? []).map(({ amountPence, ...cost }) => ({ ...cost, amountGbp: penceToPounds(amountPence) })),
    withdrawal: state.withdrawal
      ? { ...withoutPence(state.withdrawal, 'sunkCostPence'), sunkCostGbp: penceToPounds(state.withdrawal.sunkCostPence) }
      : null,
    workflowId,
    links: workflowLink(workflowId, temporalUiUrl, namespace),
  };
}

function optionalPounds(pence: number | undefined): number | null {
  return pence === undefined ? null : penceToPounds(pence);
}

function withoutPence<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  const { [key]: _dropped, ...rest } = value;
  return rest;
}

/** Claimed as it stands, as first recorded, each correction and the verification, in pounds. */
function savingsView({ amountPence, originalAmountPence, corrections, verification, ...record }: SavingsRecord) {
  return {
    ...record,
    amountGbp: penceToPounds(amountPence),
    originalAmountGbp: penceToPounds(originalAmountPence ?? amountPence),
    corrections: (corrections ?? []).map(({ previousAmountPence, amountPence: corrected, ...correction }) => ({
      ...correction,
      previousAmountGbp: penceToPounds(previousAmountPence),
      amountGbp: penceToPounds(corrected),
    })),
    verification: verification ? { note: verification.note, at: verification.at, amountGbp: penceToPounds(verification.amountPence) } : null,
  };
}

/** Where a person opens the workflow in the Temporal UI, when its address is known. */
export function workflowLink(workflowId: string, temporalUiUrl: string | undefined, namespace: string): { workflow?: string } {
  return workflowLinks(temporalUiUrl, namespace)(workflowId);
}

/** The same links for many workflows of one namespace: the address's common part is made once, not per row of a list. */
export function workflowLinks(temporalUiUrl: string | undefined, namespace: string): (workflowId: string) => { workflow?: string } {
  if (!temporalUiUrl) return () => ({});
  const workflows = `${temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/`;
  return (workflowId) => ({ workflow: workflows + workflowId });
}

export type DepartmentView = ReturnType<typeof toDepartmentView>;
