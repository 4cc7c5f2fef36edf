import { fold, STAGE_GATES, unmetGates } from '../index.js';
import { assessmentRecorded, closed, inGoLive, inLessons, inLive, lessonAcknowledged } from '../testing/onboarding-history.js';

describe('unmetGates', () => {
  it('lists the gates of the current stage that still hold the department back', () => {
    expect(unmetGates(fold(inLessons), ['L1'])).toEqual(STAGE_GATES.LESSONS);
    expect(unmetGates(fold([...inLessons, assessmentRecorded(3), lessonAcknowledged('L1')]), ['L1'])).toEqual([]);
    expect(unmetGates(fold(inGoLive), [])).toEqual(STAGE_GATES.GO_LIVE);
  });

  it('has no gates in LIVE or after', () => {
    expect(unmetGates(fold(inLive), ['L1'])).toEqual([]);
    expect(unmetGates(fold(closed), ['L1'])).toEqual([]);
  });

  it('names the gates stably', () => {
    expect(STAGE_GATES).toEqual({
      LESSONS: ['assessment-recorded', 'assessment-score-at-least-3', 'mandatory-lessons-acknowledged'],
      READINESS: ['baseline-recorded', 'deviations-decided'],
      MIGRATION: [
        'workstream-hr-complete',
        'workstream-hr-reconciled',
        'workstream-finance-complete',
        'workstream-finance-reconciled',
        'workstream-payroll-complete',
        'workstream-payroll-reconciled',
        'workstream-procurement-complete',
        'workstream-procurement-reconciled',
      ],
      GO_LIVE: ['go-decision-department-sro', 'go-decision-centre', 'go-decision-programme'],
    });
  });
});
