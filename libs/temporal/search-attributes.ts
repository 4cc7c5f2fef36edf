/**
 * Custom search attributes that operations staff filter onboardings by. The worker
 * registers them on a cluster that lacks them; the embedded dev server gets them as
 * `--search-attribute` flags.
 */
export const SEARCH_ATTRIBUTE_TYPES = {
  OnboardingDepartment: 'Keyword',
  OnboardingStage: 'Keyword',
  OnboardingCentre: 'Keyword',
  OnboardingOverdue: 'Bool',
  OnboardingPaused: 'Bool',
  OnboardingStageDeadline: 'Datetime',
} as const;

export type SearchAttributeName = keyof typeof SEARCH_ATTRIBUTE_TYPES;
export type SearchAttributeKind = (typeof SEARCH_ATTRIBUTE_TYPES)[SearchAttributeName];
