import { DomainError } from '../errors.js';
import { isFinishedStage, type Stage } from './stages.js';
import type { DepartmentState } from './state.js';

/** Registered and not CLOSED or WITHDRAWN; paused is allowed (resume, escalate). */
export function requireOpen(state: DepartmentState): void {
  if (!state.registered) throw new DomainError('department-not-found', 'The department is not registered');
  if (isFinishedStage(state.stage)) {
    throw new DomainError('department-finished', `The onboarding is ${state.stage}; nothing more can change`, {
      stage: state.stage,
    });
  }
}

/** Open and not paused: what every change except resume and escalate needs. */
export function requireActive(state: DepartmentState): void {
  requireOpen(state);
  if (state.paused) {
    throw new DomainError('department-paused', 'The onboarding is paused; resume it first', {
      pauseReason: state.pauseReason,
    });
  }
}

export function requireStage(state: DepartmentState, allowed: readonly Stage[], action: string): void {
  if (!allowed.includes(state.stage)) {
    throw new DomainError('wrong-stage', `${action} is only possible in ${allowed.join(' or ')}, not ${state.stage}`, {
      stage: state.stage,
      allowedStages: allowed,
    });
  }
}

/** `expected` is the stage the caller named, `actual` the stage the department is in. */
export function requireStageIs(state: DepartmentState, expected: Stage): void {
  if (state.stage !== expected) {
    throw new DomainError('stage-mismatch', `The department is in ${state.stage}, not ${expected}`, {
      expected,
      actual: state.stage,
    });
  }
}
