import { defineSignal, defineUpdate } from '@temporalio/workflow';

export interface NoopRequest {
  /** false: the validator refuses, like an advance whose gates are unmet. */
  readonly accept: boolean;
}

export interface LocalActivitiesRequest {
  /** How many no-op local activities the handler runs, one after another. */
  readonly localActivities: number;
}

/** The cheapest Update there is: a validator and a handler that do nothing. */
export const noopUpdate = defineUpdate<null, [NoopRequest]>('noop');
/**
 * The same accepted Update whose handler runs no-op local activities: the floor of an
 * Update that does anything at all inside its workflow task, as the onboarding's commands do.
 */
export const localActivitiesUpdate = defineUpdate<null, [LocalActivitiesRequest]>('localActivities');
export const finishSignal = defineSignal('finish');
