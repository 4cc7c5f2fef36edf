import { defineSignal, defineUpdate } from '@temporalio/workflow';

export interface NoopRequest {
  /** false: the validator refuses, like an advance whose gates are unmet. */
  readonly accept: boolean;
}

/** The cheapest Update there is: a validator and a handler that do nothing. */
export const noopUpdate = defineUpdate<null, [NoopRequest]>('noop');
export const finishSignal = defineSignal('finish');
