import { decide } from './decide.js';
import { isDomainError } from '../errors.js';
import { MINIMUM_ASSESSMENT_SCORE, STAGE_GATES, missingMandatoryLessons, unmetGates, type GateName } from './gates.js';
import type { GoLiveRole, Workstream } from './stages.js';
import type { DepartmentState } from './state.js';

export interface GateCheck {
  readonly gate: GateName;
  readonly met: boolean;
  /** What is missing, in words, when the gate is not met (or what holds it, for a workstream). */
  readonly detail?: string;
}

export interface GateEvaluation {
  readonly stage: DepartmentState['stage'];
  /** The decider would accept AdvanceStage now: every gate holds, and nothing else stops it (paused, finished, LIVE). */
  readonly canAdvance: boolean;
  readonly gates: readonly GateCheck[];
}

/**
 * Every gate of the current stage, met or not, from the same `unmetGates` the decider uses to
 * refuse an advance; `canAdvance` is the decider's own answer to AdvanceStage at `at`.
 */
export function evaluateGates(state: DepartmentState, mandatoryLessonIds: readonly string[], at: string): GateEvaluation {
  const stage = state.stage;
  const canAdvance = decidesToAdvance(state, mandatoryLessonIds, at);
  const gates: readonly GateName[] = stage in STAGE_GATES ? STAGE_GATES[stage as keyof typeof STAGE_GATES] : [];
  const unmet = new Set(unmetGates(state, mandatoryLessonIds));
  return {
    stage,
    canAdvance,
    gates: gates.map((gate) => {
      const detail = unmet.has(gate) ? gateDetail(state, gate, mandatoryLessonIds) : undefined;
      return { gate, met: !unmet.has(gate), ...(detail ? { detail } : {}) };
    }),
  };
}

function gateDetail(state: DepartmentState, gate: GateName, mandatoryLessonIds: readonly string[]): string | undefined {
  if (gate === 'assessment-score-at-least-3' && state.assessment) {
    return `the recorded score is ${state.assessment.score}; at least ${MINIMUM_ASSESSMENT_SCORE} is needed`;
  }
  if (gate === 'mandatory-lessons-acknowledged') {
    return `not yet acknowledged: ${missingMandatoryLessons(state, mandatoryLessonIds).join(', ')}`;
  }
  if (gate === 'deviations-decided') {
    const pending = state.deviations.filter((deviation) => deviation.status === 'pending');
    return `awaiting a decision: ${pending.map((deviation) => deviation.area).join(', ')}`;
  }
  const reconciled = /^workstream-(.+)-reconciled$/.exec(gate);
  const record = reconciled ? state.workstreams[reconciled[1] as Workstream] : null;
  if (record) return `${record.recordsLoaded} records loaded of ${record.recordsExtracted} extracted`;
  const voice = /^go-decision-(.+)$/.exec(gate);
  const decision = voice ? state.goLiveDecisions[voice[1] as GoLiveRole] : null;
  if (decision) return `the latest decision is ${decision.decision}: ${decision.reason}`;
  return undefined;
}

function decidesToAdvance(state: DepartmentState, mandatoryLessonIds: readonly string[], at: string): boolean {
  try {
    decide({ type: 'AdvanceStage', from: state.stage, mandatoryLessonIds: [...mandatoryLessonIds], at }, state);
    return true;
  } catch (error) {
    if (isDomainError(error)) return false;
    throw error;
  }
}
