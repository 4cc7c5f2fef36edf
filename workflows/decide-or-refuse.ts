import { ApplicationFailure } from '@temporalio/workflow';
import type { DepartmentState, OnboardingCommand, OnboardingEvent } from '../libs/domain/index.js';
import { DomainError } from '../libs/domain/errors.js';
import { decide } from '../libs/domain/onboarding/decide.js';

/**
 * The pure decider, with its refusal turned into the non-retryable failure an Update
 * answers with: the API reads the domain's code, message and details back from it.
 */
export function decideOrRefuse(command: OnboardingCommand, state: DepartmentState): OnboardingEvent[] {
  try {
    return decide(command, state);
  } catch (error) {
    if (error instanceof DomainError) {
      throw ApplicationFailure.create({
        type: error.code,
        message: error.message,
        details: [error.details ?? {}],
        nonRetryable: true,
      });
    }
    throw error;
  }
}

/** What the workflow decides on, when the decider refuses its own timer-driven command: nothing. */
export function decideOrNothing(command: OnboardingCommand, state: DepartmentState): OnboardingEvent[] {
  try {
    return decide(command, state);
  } catch (error) {
    if (error instanceof DomainError) return [];
    throw error;
  }
}
