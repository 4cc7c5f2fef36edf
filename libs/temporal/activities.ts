import { ApplicationFailure } from '@temporalio/common';
import { EventStore, StreamVersionConflict, type NewEvent, type StoredEvent } from '../event-store/index.js';
import type { LessonReadModel } from '../projections/index.js';
import type { Escalation, Notifier } from './notifier.js';

export interface AppendDepartmentEventsInput {
  readonly streamId: string;
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
}

export interface DepartmentEventsAfterInput {
  readonly streamId: string;
  /** The version the workflow's state has folded; the events after it are returned. */
  readonly afterVersion: number;
}

/** An append that holds only while the library's mandatory lessons for `centre` are still those the events were decided on. */
export interface AppendAfterLessonsInput extends AppendDepartmentEventsInput {
  readonly centre: string;
  readonly mandatoryLessonIds: readonly string[];
}

/** Appended; or nothing appended, because the library's mandatory lessons are not those the events were decided on. */
export type AppendAfterLessonsResult =
  | { readonly appended: true; readonly events: StoredEvent[] }
  | { readonly appended: false; readonly mandatoryLessonIds: string[] };

export interface OnboardingActivityDependencies {
  readonly store: EventStore;
  readonly lessons: LessonReadModel;
  readonly notifier: Notifier;
  /** ISO 8601 duration between escalations of an overdue department (ESCALATION_REPEAT); default P7D. */
  readonly escalationRepeat?: string;
  /** Milliseconds between a paused onboarding's reads of its stream (PAUSED_CATCH_UP_INTERVAL); default an hour. */
  readonly pausedCatchUpIntervalMs?: number;
}

/**
 * Every side effect of an onboarding workflow. Workflows import the type only; the
 * worker builds the implementation with its real dependencies.
 */
export function createOnboardingActivities({ store, lessons, notifier, escalationRepeat = 'P7D', pausedCatchUpIntervalMs = 3_600_000 }: OnboardingActivityDependencies) {
  /** Idempotent: a retry after a lost acknowledgement finds its event ids and appends nothing. */
  async function appendDepartmentEvents(input: AppendDepartmentEventsInput): Promise<StoredEvent[]> {
    try {
      const result = await store.append(input.streamId, input.expectedVersion, input.events);
      return [...result.events];
    } catch (error) {
      if (error instanceof StreamVersionConflict) {
        throw ApplicationFailure.nonRetryable(error.message, error.code);
      }
      throw error;
    }
  }

  return {
    appendDepartmentEvents,

    /**
     * The advance out of LESSONS in one call instead of two: the library's mandatory lessons
     * are read, and the events appended only when they are the lessons the workflow decided
     * on; otherwise nothing is appended and the workflow decides again on the list returned.
     * As idempotent as the append: a retry whose events are in finds them again.
     */
    async appendIfLessonsUnchanged({ centre, mandatoryLessonIds, ...append }: AppendAfterLessonsInput): Promise<AppendAfterLessonsResult> {
      const now = await lessons.mandatoryLessonIds(centre);
      if (sameIds(now, mandatoryLessonIds)) return { appended: true, events: await appendDepartmentEvents(append) };
      // An earlier attempt may have appended before the library changed (its worker died before
      // it could say so): its events stand, and are the answer, as a retried append's would be.
      const earlier = await store.readStream(append.streamId, { fromVersion: append.expectedVersion + 1, limit: append.events.length });
      const same = earlier.length === append.events.length && earlier.every((event, index) => event.eventId === append.events[index].eventId);
      return same ? { appended: true, events: earlier } : { appended: false, mandatoryLessonIds: now };
    },

    /**
     * What the stream holds beyond the workflow's state: the events of an append that
     * committed while the workflow task that ran it was lost (its worker died before it
     * reached Temporal), so the history never heard of them.
     */
    async departmentEventsAfter({ streamId, afterVersion }: DepartmentEventsAfterInput): Promise<StoredEvent[]> {
      return store.readStream(streamId, { fromVersion: afterVersion + 1 });
    },

    async mandatoryLessonIds(centre: string): Promise<string[]> {
      return lessons.mandatoryLessonIds(centre);
    },

    /** The workflow cannot read configuration; it asks, and records the answer in the event. */
    async escalationInterval(): Promise<string> {
      return escalationRepeat;
    },

    /** Asked by a paused onboarding, which has no deadline of its own to wake it. */
    async pausedCatchUpInterval(): Promise<number> {
      return pausedCatchUpIntervalMs;
    },

    async notifyEscalation(escalation: Escalation): Promise<void> {
      await notifier.notify(escalation);
    },
  };
}

export type OnboardingActivities = ReturnType<typeof createOnboardingActivities>;

function sameIds(some: readonly string[], others: readonly string[]): boolean {
  const set = new Set(others);
  return some.length === others.length && some.every((id) => set.has(id));
}
