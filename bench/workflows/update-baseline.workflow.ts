import { ApplicationFailure, allHandlersFinished, condition, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { BenchActivities } from './activities.js';
import { finishSignal, localActivitiesUpdate, noopUpdate, type LocalActivitiesRequest, type NoopRequest } from './contract.js';

// The options the onboarding's own local activities run with (workflows/activities.ts).
const { noop } = proxyLocalActivities<BenchActivities>({ startToCloseTimeout: '5 seconds', retry: { maximumAttempts: 1 } });

/**
 * The floor the API is measured against: one Temporal Update round trip, with a
 * validator and no activity, database or HTTP in the way; and the same Update with no-op
 * local activities in its handler, the floor of a command that writes anything.
 */
export async function updateBaseline(): Promise<void> {
  let finished = false;
  setHandler(noopUpdate, () => null, {
    validator: (request: NoopRequest) => {
      if (!request.accept) throw ApplicationFailure.create({ type: 'refused', message: 'refused by the validator', nonRetryable: true });
    },
  });
  setHandler(
    localActivitiesUpdate,
    async ({ localActivities }: LocalActivitiesRequest) => {
      for (let step = 0; step < localActivities; step += 1) await noop();
      return null;
    },
    // A validator that accepts, as the onboarding's Updates and the bare one have.
    { validator: (_request: LocalActivitiesRequest) => undefined },
  );
  setHandler(finishSignal, () => {
    finished = true;
  });
  await condition(() => finished);
  await condition(allHandlersFinished);
}
