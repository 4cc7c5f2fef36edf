import { ActivityFailure, ApplicationFailure, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { AppendAfterLessonsInput, AppendDepartmentEventsInput, DepartmentEventsAfterInput, OnboardingActivities } from '../libs/temporal/activities.js';

/**
 * Ordinary (durable) activities: each attempt is a task on the server, so operations see
 * a failing one as stuck and can reset it.
 */
export const durable = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30 seconds',
  // A database outage must not lose a command: keep retrying, operations see it as stuck.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The same calls run first as local activities, inside the workflow task that runs
 * the Update: no activity task round trips through the server. One attempt only: when it
 * fails (the database is down), the durable activity above takes over, so its retries are
 * visible to operations and can be reset. Both are idempotent, so a local attempt that
 * committed before its worker died is found again, not doubled.
 */
const fast = proxyLocalActivities<OnboardingActivities>({
  startToCloseTimeout: '5 seconds',
  retry: { maximumAttempts: 1 },
});

const LOCAL_ACTIVITY_COMMANDS = 'local-activity-commands';

async function fastThenDurable<T>(local: () => Promise<T>, durableCall: () => Promise<T>): Promise<T> {
  if (!patched(LOCAL_ACTIVITY_COMMANDS)) return durableCall();
  try {
    return await local();
  } catch (error) {
    // A refusal (a version conflict) would be refused again: only a failure to reach the database falls back.
    if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.nonRetryable) throw error;
    return durableCall();
  }
}

/** Appends a command's events to the department's stream (idempotent by event id). */
export function appendDepartmentEvents(append: AppendDepartmentEventsInput) {
  return fastThenDurable(
    () => fast.appendDepartmentEvents(append),
    () => durable.appendDepartmentEvents(append),
  );
}

/** The advance out of LESSONS: appended only while the library's mandatory lessons are those it was decided on. */
export function appendIfLessonsUnchanged(append: AppendAfterLessonsInput) {
  return fastThenDurable(
    () => fast.appendIfLessonsUnchanged(append),
    () => durable.appendIfLessonsUnchanged(append),
  );
}

/** What the department's stream holds beyond a version (see the workflow's catch-up). */
export function departmentEventsAfter(after: DepartmentEventsAfterInput) {
  return fastThenDurable(
    () => fast.departmentEventsAfter(after),
    () => durable.departmentEventsAfter(after),
  );
}

/** The lessons a department in `centre` must acknowledge before it leaves LESSONS. */
export function mandatoryLessonIds(centre: string): Promise<string[]> {
  return fastThenDurable(
    () => fast.mandatoryLessonIds(centre),
    () => durable.mandatoryLessonIds(centre),
  );
}

/** PAUSED_CATCH_UP_INTERVAL as the worker is configured, in milliseconds. */
export function pausedCatchUpInterval(): Promise<number> {
  return fastThenDurable(
    () => fast.pausedCatchUpInterval(),
    () => durable.pausedCatchUpInterval(),
  );
}

/** ESCALATION_REPEAT as the worker is configured: the workflow cannot read configuration. */
export const { escalationInterval } = durable;
