/** Lifecycle order; WITHDRAWN is the exit reachable from every open stage. */
export const STAGES = ['LESSONS', 'READINESS', 'MIGRATION', 'GO_LIVE', 'LIVE', 'CLOSED', 'WITHDRAWN'] as const;
export type Stage = (typeof STAGES)[number];

/** Stages a department is still in (paused or not): everything before CLOSED or WITHDRAWN. */
export const OPEN_STAGES: readonly Stage[] = ['LESSONS', 'READINESS', 'MIGRATION', 'GO_LIVE', 'LIVE'];

export const DEADLINE_STAGES = ['LESSONS', 'READINESS', 'MIGRATION', 'GO_LIVE'] as const satisfies readonly Stage[];
export type DeadlineStage = (typeof DEADLINE_STAGES)[number];

export const DEFAULT_DEADLINES: Readonly<Record<DeadlineStage, string>> = {
  LESSONS: 'P30D',
  READINESS: 'P60D',
  MIGRATION: 'P120D',
  GO_LIVE: 'P30D',
};

export const WORKSTREAMS = ['hr', 'finance', 'payroll', 'procurement'] as const;
export type Workstream = (typeof WORKSTREAMS)[number];

export const GO_LIVE_ROLES = ['department-sro', 'centre', 'programme'] as const;
export type GoLiveRole = (typeof GO_LIVE_ROLES)[number];

export const ATTRIBUTIONS = ['programme', 'spending-constraint'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];

/** Who bore an implementation cost. */
export const COST_BEARERS = ['programme', 'centre', 'department', 'supplier'] as const;
export type CostBearer = (typeof COST_BEARERS)[number];

/** Why a department left the programme. */
export const WITHDRAWAL_CATEGORIES = ['other-centre', 'in-house', 'merged', 'other'] as const;
export type WithdrawalCategory = (typeof WITHDRAWAL_CATEGORIES)[number];

export const GO_LIVE_DECISION_VALUES = ['go', 'no-go'] as const;
export type GoLiveDecisionValue = (typeof GO_LIVE_DECISION_VALUES)[number];

export const DEVIATION_DECISIONS = ['approved', 'rejected'] as const;
export type DeviationDecision = (typeof DEVIATION_DECISIONS)[number];

/** The stage AdvanceStage moves to; null where advancing is not how the stage is left. */
export function nextStage(stage: Stage): Stage | null {
  switch (stage) {
    case 'LESSONS':
      return 'READINESS';
    case 'READINESS':
      return 'MIGRATION';
    case 'MIGRATION':
      return 'GO_LIVE';
    case 'GO_LIVE':
      return 'LIVE';
    case 'LIVE':
    case 'CLOSED':
    case 'WITHDRAWN':
      return null;
    default: {
      const unknown: never = stage;
      throw new Error(`unknown stage ${String(unknown)}`);
    }
  }
}

export function isDeadlineStage(stage: Stage): stage is DeadlineStage {
  return (DEADLINE_STAGES as readonly Stage[]).includes(stage);
}

export function isFinishedStage(stage: Stage): boolean {
  return stage === 'CLOSED' || stage === 'WITHDRAWN';
}
