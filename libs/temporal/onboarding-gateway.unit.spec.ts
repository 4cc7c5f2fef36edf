import { ActivityFailure, ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { RetryState } from '@temporalio/common';
import { toErrorBody } from '../../apps/api/src/common/error-filter.js';
import { CommandRefused, toRefusal } from './onboarding-gateway.js';

const failedUpdate = (cause: Error) => new WorkflowUpdateFailedError('Workflow Update failed', cause);
const appendFailed = (cause: ApplicationFailure) =>
  new ActivityFailure('activity failed', 'appendDepartmentEvents', '4', RetryState.NON_RETRYABLE_FAILURE, 'worker', cause);

describe('toRefusal: how an Update the workflow failed reaches the caller', () => {
  it('gives the decider’s refusal its code, message and details', () => {
    const refusal = toRefusal(failedUpdate(ApplicationFailure.create({ type: 'wrong-stage', message: 'not in LESSONS', details: [{ stage: 'READINESS' }], nonRetryable: true })));
    expect(refusal).toEqual(new CommandRefused('wrong-stage', 'not in LESSONS', { stage: 'READINESS' }));
  });

  it('gives an append the store refused (a version conflict) its code: a 409, not a 500', () => {
    const refusal = toRefusal(failedUpdate(appendFailed(ApplicationFailure.nonRetryable('stream department-X is at version 4, expected 3', 'stream-version-conflict'))));
    expect(refusal).toBeInstanceOf(CommandRefused);
    expect(toErrorBody(refusal)).toMatchObject({ statusCode: 409, code: 'stream-version-conflict' });
  });

  it('does not take a retryable activity failure for a refusal', () => {
    const refusal = toRefusal(failedUpdate(appendFailed(ApplicationFailure.retryable('connection reset', 'Error'))));
    expect(refusal).not.toBeInstanceOf(CommandRefused);
  });
});
