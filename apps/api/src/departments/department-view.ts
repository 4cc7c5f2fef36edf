import { penceToPounds, type DepartmentState } from '../../../../libs/domain/index.js';
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
      at: state.baseline.at,
    },
    savings: state.savings.map(({ amountPence, ...record }) => ({ ...record, amountGbp: penceToPounds(amountPence) })),
    workflowId,
    links: workflowLink(workflowId, temporalUiUrl, namespace),
  };
}

/** Where a person opens the workflow in the Temporal UI, when its address is known. */
export function workflowLink(workflowId: string, temporalUiUrl: string | undefined, namespace: string): { workflow?: string } {
  if (!temporalUiUrl) return {};
  return { workflow: `${temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${workflowId}` };
}

export type DepartmentView = ReturnType<typeof toDepartmentView>;
