export type Stage = 'LESSONS' | 'READINESS' | 'MIGRATION' | 'GO_LIVE' | 'LIVE' | 'CLOSED' | 'WITHDRAWN';

/** Lifecycle order; WITHDRAWN is the exit reachable from every open stage. */
export const STAGES: readonly Stage[] = ['LESSONS', 'READINESS', 'MIGRATION', 'GO_LIVE', 'LIVE', 'CLOSED', 'WITHDRAWN'];

/** Stages a department is still in (paused or not): everything before CLOSED or WITHDRAWN. */
export const OPEN_STAGES: readonly Stage[] = ['LESSONS', 'READINESS', 'MIGRATION', 'GO_LIVE', 'LIVE'];

export type DeadlineStage = 'LESSONS' | 'READINESS' | 'MIGRATION' | 'GO_LIVE';
export const DEADLINE_STAGES: readonly DeadlineStage[] = ['LESSONS', 'READINESS', 'MIGRATION', 'GO_LIVE'];

export const DEFAULT_DEADLINES: Readonly<Record<DeadlineStage, string>> = {
  LESSONS: 'P30D',
  READINESS: 'P60D',
  MIGRATION: 'P120D',
  GO_LIVE: 'P30D',
};

export type Workstream = 'hr' | 'finance' | 'payroll' | 'procurement';
export const WORKSTREAMS: readonly Workstream[] = ['hr', 'finance', 'payroll', 'procurement'];

export type GoLiveRole = 'department-sro' | 'centre' | 'programme';
export const GO_LIVE_ROLES: readonly GoLiveRole[] = ['department-sro', 'centre', 'programme'];

export type Attribution = 'programme' | 'spending-constraint';
export const ATTRIBUTIONS: readonly Attribution[] = ['programme', 'spending-constraint'];

/** Who bore an implementation cost. */
export type CostBearer = 'programme' | 'centre' | 'department' | 'supplier';
export const COST_BEARERS: readonly CostBearer[] = ['programme', 'centre', 'department', 'supplier'];

/** Why a department left the programme. */
export type WithdrawalCategory = 'other-centre' | 'in-house' | 'merged' | 'other';
export const WITHDRAWAL_CATEGORIES: readonly WithdrawalCategory[] = ['other-centre', 'in-house', 'merged', 'other'];

export type GoLiveDecisionValue = 'go' | 'no-go';
export const GO_LIVE_DECISION_VALUES: readonly GoLiveDecisionValue[] = ['go', 'no-go'];

export type DeviationDecision = 'approved' | 'rejected';
export const DEVIATION_DECISIONS: readonly DeviationDecision[] = ['approved', 'rejected'];

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
