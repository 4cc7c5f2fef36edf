import { ApplicationFailure, allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { finishSignal, noopUpdate, type NoopRequest } from './contract.js';

/**
 * The floor the API is measured against: one Temporal Update round trip, with a
 * validator and no activity, database or HTTP in the way.
 */
export async function updateBaseline(): Promise<void> {
  let finished = false;
  setHandler(noopUpdate, () => null, {
    validator: (request: NoopRequest) => {
      if (!request.accept) throw ApplicationFailure.create({ type: 'refused', message: 'refused by the validator', nonRetryable: true });
    },
  });
  setHandler(finishSignal, () => {
    finished = true;
  });
  await condition(() => finished);
  await condition(allHandlersFinished);
}
