import { observedFacts, type WorkflowDiagnosis } from './diagnosis.js';
import { retryTargets } from './retry.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');

const healthy: WorkflowDiagnosis = { workflowId: 'onboarding-DFT', running: true, activities: [], workflowTask: null };

const appendFailing: WorkflowDiagnosis = {
  ...healthy,
  activities: [
    {
      activityId: '7',
      activity: 'appendDepartmentEvents',
      attempt: 4,
      failedAttempts: 3,
      state: 'scheduled',
      lastFailure: 'connect ECONNREFUSED 10.0.0.5:5432',
      lastAttemptAt: '2026-03-02T09:59:50.000Z',
      nextAttemptAt: '2026-03-02T10:00:06.000Z',
      lastWorker: '42@worker-1',
    },
  ],
};

const taskFailing: WorkflowDiagnosis = {
  ...healthy,
  workflowTask: {
    attempt: 3,
    failedAttempts: 2,
    state: 'started',
    cause: 'non-deterministic-error',
    lastFailure: '[TMPRL1100] Nondeterminism error: Timer machine does not handle this event',
    failingSince: '2026-03-02T09:58:00.000Z',
    lastWorker: 'bad-deploy',
  },
};

describe('what a diagnosis means for the stuck list', () => {
  it('finds nothing stuck in a workflow whose steps all succeed', () => {
    expect(observedFacts(healthy, NOW)).toEqual({ 'activity-failing': null, 'workflow-task-failing': null });
    expect(retryTargets(healthy)).toEqual([]);
  });

  it('reports a retrying activity with its attempts and last failure, since a worker first saw it fail', () => {
    const facts = observedFacts(appendFailing, NOW, '2026-03-02T09:59:40.000Z');

    expect(facts['activity-failing']).toEqual({
      reason: 'activity-failing',
      since: '2026-03-02T09:59:40.000Z',
      detail: {
        activity: 'appendDepartmentEvents',
        activityId: '7',
        attempts: 4,
        failedAttempts: 3,
        lastFailure: 'connect ECONNREFUSED 10.0.0.5:5432',
        nextAttemptAt: '2026-03-02T10:00:06.000Z',
        state: 'scheduled',
      },
    });
  });

  it('dates a retrying activity from its last failed attempt when no worker reported the first', () => {
    expect(observedFacts(appendFailing, NOW)['activity-failing']?.since).toBe('2026-03-02T09:59:50.000Z');
  });

  it('reports a failing workflow task with its cause, since the failure history recorded', () => {
    expect(observedFacts(taskFailing, NOW)['workflow-task-failing']).toEqual({
      reason: 'workflow-task-failing',
      since: '2026-03-02T09:58:00.000Z',
      detail: expect.objectContaining({ attempts: 3, cause: 'non-deterministic-error', lastWorker: 'bad-deploy' }),
    });
  });

  it('retries the workflow task first, then every failing activity', () => {
    const both: WorkflowDiagnosis = { ...appendFailing, workflowTask: taskFailing.workflowTask };

    expect(retryTargets(both).map((target) => [target.kind, target.action])).toEqual([
      ['workflow-task', 'reset-sticky-task-queue'],
      ['activity', 'reset-activity'],
    ]);
  });
});
