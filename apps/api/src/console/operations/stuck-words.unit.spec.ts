import { attemptsOf, problemWords, retriedWords } from './stuck-words.js';

describe('a stuck onboarding in the words operations staff read', () => {
  describe('a failing activity', () => {
    const row = { reason: 'activity-failing' as const, detail: { activity: 'appendDepartmentEvents', attempts: 4, lastFailure: 'connection refused' } };

    it('is named by what the step does, with its last failure and attempts', () => {
      expect(problemWords(row)).toBe('Recording the department’s events: connection refused');
      expect(attemptsOf(row)).toBe(4);
    });

    it('keeps the name of an activity it has no words for', () => {
      expect(problemWords({ reason: 'activity-failing', detail: { activity: 'somethingNew', lastFailure: '' } })).toBe('somethingNew: no message');
    });
  });

  it('says a failing workflow task was caused by changed code', () => {
    const row = { reason: 'workflow-task-failing' as const, detail: { cause: 'non-deterministic-error', attempts: 3, lastFailure: '[TMPRL1100] Nondeterminism error' } };
    expect(problemWords(row)).toBe('The workflow code changed under a running onboarding: [TMPRL1100] Nondeterminism error');
    expect(attemptsOf(row)).toBe(3);
  });

  it('gives a missed deadline its date and how often it was escalated, with no attempts', () => {
    const row = { reason: 'deadline-missed' as const, detail: { stage: 'GO_LIVE', deadline: '2027-03-01T12:00:00.000Z', escalations: 2, attempts: 9 } };
    expect(problemWords(row)).toBe('The Go live deadline of 1 March 2027 passed; escalated 2 times');
    expect(attemptsOf(row)).toBeUndefined();
  });

  it('names each decision owed, and whose', () => {
    const row = {
      reason: 'awaiting-decision' as const,
      detail: { pending: [{ kind: 'deviation', area: 'payroll' }, { kind: 'go-live', role: 'department-sro' }] },
    };
    expect(problemWords(row)).toBe('Waiting for the decision on the payroll deviation; the go-live decision of the Department SRO');
  });

  it('says what a retry did, and when a step had finished by itself', () => {
    const activity = { kind: 'activity', activity: 'notifyEscalation', activityId: '7', attempt: 3, lastFailure: null, nextAttemptAt: null, action: 'reset-activity' } as const;
    const task = { kind: 'workflow-task', attempt: 2, cause: null, lastFailure: null, action: 'reset-sticky-task-queue' } as const;
    expect(retriedWords([{ target: activity, applied: true }, { target: task, applied: false }])).toBe(
      'Sending the escalation to the people on call runs again now, its attempts counted afresh. The workflow task had finished by itself.',
    );
  });
});
