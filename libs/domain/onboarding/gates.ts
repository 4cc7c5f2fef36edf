import { GO_LIVE_ROLES, WORKSTREAMS, type GoLiveRole, type Workstream } from './stages.js';
import type { DepartmentState } from './state.js';

export const MINIMUM_ASSESSMENT_SCORE = 3;

export type GateName =
  | 'assessment-recorded'
  | 'assessment-score-at-least-3'
  | 'mandatory-lessons-acknowledged'
  | 'baseline-recorded'
  | 'deviations-decided'
  | `workstream-${Workstream}-complete`
  | `workstream-${Workstream}-reconciled`
  | `go-decision-${GoLiveRole}`;

/** Every gate guarding the way out of a stage, in the order they are reported. */
export const STAGE_GATES = {
  LESSONS: ['assessment-recorded', 'assessment-score-at-least-3', 'mandatory-lessons-acknowledged'],
  READINESS: ['baseline-recorded', 'deviations-decided'],
  MIGRATION: WORKSTREAMS.flatMap((ws): GateName[] => [`workstream-${ws}-complete`, `workstream-${ws}-reconciled`]),
  GO_LIVE: GO_LIVE_ROLES.map((role): GateName => `go-decision-${role}`),
} as const satisfies Record<string, readonly GateName[]>;

export function missingMandatoryLessons(state: DepartmentState, mandatoryLessonIds: readonly string[]): string[] {
  const acknowledged = new Set(state.acknowledgedLessons);
  return [...new Set(mandatoryLessonIds)].filter((id) => !acknowledged.has(id));
}

/**
 * The gates still closed on the way out of the current stage. LIVE is left by closing,
 * which has no gate; finished stages are never left.
 */
export function unmetGates(state: DepartmentState, mandatoryLessonIds: readonly string[]): GateName[] {
  switch (state.stage) {
    case 'LESSONS':
      return STAGE_GATES.LESSONS.filter((gate) => !lessonsGateHolds(state, gate, mandatoryLessonIds));
    case 'READINESS':
      return STAGE_GATES.READINESS.filter((gate) => !readinessGateHolds(state, gate));
    case 'MIGRATION':
      return WORKSTREAMS.flatMap((ws) => migrationGatesUnmet(state, ws));
    case 'GO_LIVE':
      return GO_LIVE_ROLES.filter((role) => state.goLiveDecisions[role]?.decision !== 'go').map(
        (role): GateName => `go-decision-${role}`,
      );
    case 'LIVE':
    case 'CLOSED':
    case 'WITHDRAWN':
      return [];
    default: {
      const unknown: never = state.stage;
      throw new Error(`unknown stage ${String(unknown)}`);
    }
  }
}

function lessonsGateHolds(
  state: DepartmentState,
  gate: (typeof STAGE_GATES.LESSONS)[number],
  mandatoryLessonIds: readonly string[],
): boolean {
  switch (gate) {
    case 'assessment-recorded':
      return state.assessment !== null;
    case 'assessment-score-at-least-3':
      return state.assessment !== null && state.assessment.score >= MINIMUM_ASSESSMENT_SCORE;
    case 'mandatory-lessons-acknowledged':
      return missingMandatoryLessons(state, mandatoryLessonIds).length === 0;
    default: {
      const unknown: never = gate;
      throw new Error(`unknown gate ${String(unknown)}`);
    }
  }
}

function readinessGateHolds(state: DepartmentState, gate: (typeof STAGE_GATES.READINESS)[number]): boolean {
  switch (gate) {
    case 'baseline-recorded':
      return state.baseline !== null;
    case 'deviations-decided':
      return state.deviations.every((deviation) => deviation.status !== 'pending');
    default: {
      const unknown: never = gate;
      throw new Error(`unknown gate ${String(unknown)}`);
    }
  }
}

function migrationGatesUnmet(state: DepartmentState, ws: Workstream): GateName[] {
  const record = state.workstreams[ws];
  const unmet: GateName[] = [];
  if (record === null) unmet.push(`workstream-${ws}-complete`);
  if (record === null || !record.reconciled) unmet.push(`workstream-${ws}-reconciled`);
  return unmet;
}
