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
    links: temporalUiUrl
      ? { workflow: `${temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${workflowId}` }
      : {},
  };
}

export type DepartmentView = ReturnType<typeof toDepartmentView>;
