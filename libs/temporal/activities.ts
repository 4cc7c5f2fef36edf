import { ApplicationFailure } from '@temporalio/common';
import { EventStore, StreamVersionConflict, type NewEvent, type StoredEvent } from '../event-store/index.js';
import type { LessonReadModel } from '../projections/index.js';
import type { Escalation, Notifier } from './notifier.js';

export interface AppendDepartmentEventsInput {
  readonly streamId: string;
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
}

export interface OnboardingActivityDependencies {
  readonly store: EventStore;
  readonly lessons: LessonReadModel;
  readonly notifier: Notifier;
}

/**
 * Every side effect of an onboarding workflow. Workflows import the type only; the
 * worker builds the implementation with its real dependencies.
 */
export function createOnboardingActivities({ store, lessons, notifier }: OnboardingActivityDependencies) {
  return {
    /** Idempotent: a retry after a lost acknowledgement finds its event ids and appends nothing. */
    async appendDepartmentEvents(input: AppendDepartmentEventsInput): Promise<StoredEvent[]> {
      try {
        const result = await store.append(input.streamId, input.expectedVersion, input.events);
        return [...result.events];
      } catch (error) {
        if (error instanceof StreamVersionConflict) {
          throw ApplicationFailure.nonRetryable(error.message, error.code);
        }
        throw error;
      }
    },

    async mandatoryLessonIds(centre: string): Promise<string[]> {
      return lessons.mandatoryLessonIds(centre);
    },

    async notifyEscalation(escalation: Escalation): Promise<void> {
      await notifier.notify(escalation);
    },
  };
}

export type OnboardingActivities = ReturnType<typeof createOnboardingActivities>;
