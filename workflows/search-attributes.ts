import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import type { DepartmentState } from '../libs/domain/index.js';

export const DEPARTMENT_KEY = defineSearchAttributeKey('OnboardingDepartment', SearchAttributeType.KEYWORD);
export const STAGE_KEY = defineSearchAttributeKey('OnboardingStage', SearchAttributeType.KEYWORD);
export const CENTRE_KEY = defineSearchAttributeKey('OnboardingCentre', SearchAttributeType.KEYWORD);
export const OVERDUE_KEY = defineSearchAttributeKey('OnboardingOverdue', SearchAttributeType.BOOL);
export const PAUSED_KEY = defineSearchAttributeKey('OnboardingPaused', SearchAttributeType.BOOL);
export const STAGE_DEADLINE_KEY = defineSearchAttributeKey('OnboardingStageDeadline', SearchAttributeType.DATETIME);

/** Every custom search attribute the workflow writes: the worker registers these, the dev server is started with them. */
export const ONBOARDING_SEARCH_ATTRIBUTE_KEYS = [DEPARTMENT_KEY, STAGE_KEY, CENTRE_KEY, OVERDUE_KEY, PAUSED_KEY, STAGE_DEADLINE_KEY] as const;

/** What operations staff filter workflows by in the Temporal UI and visibility queries. */
export function searchAttributesFor(state: DepartmentState): SearchAttributeUpdatePair[] {
  return [
    { key: DEPARTMENT_KEY, value: state.code },
    { key: STAGE_KEY, value: state.stage },
    { key: CENTRE_KEY, value: state.centre },
    { key: OVERDUE_KEY, value: state.overdue },
    { key: PAUSED_KEY, value: state.paused },
    { key: STAGE_DEADLINE_KEY, value: state.stageDeadlineAt ? new Date(state.stageDeadlineAt) : null },
  ];
}
