import { decide, evolve, initialState } from '../index.js';
import type { AdvanceStage, RecordAssessment } from '../index.js';
import { deciderSpecification } from '../testing/decider-specification.js';
import { assessmentRecorded, days, inLessons, lessonAcknowledged } from '../testing/onboarding-history.js';

const spec = deciderSpecification({ decide, evolve, initialState });

const assess = (overrides: Partial<RecordAssessment> = {}): RecordAssessment => ({
  type: 'RecordAssessment',
  at: days(1),
  sro: 'Sam Ro',
  score: 4,
  contractManagementFte: 2.5,
  ...overrides,
});

const advance = (mandatoryLessonIds: readonly string[] = [], from: AdvanceStage['from'] = 'LESSONS'): AdvanceStage => ({
  type: 'AdvanceStage',
  at: days(2),
  from,
  mandatoryLessonIds,
});

describe('LESSONS', () => {
  describe('acknowledging a lesson', () => {
    it('records the acknowledgement', () => {
      spec
        .given(inLessons)
        .when({ type: 'AcknowledgeLesson', at: days(1), lessonId: 'L1', by: 'alice' })
        .then([lessonAcknowledged('L1')]);
    });

    it('is idempotent: acknowledging again records nothing', () => {
      spec
        .given([...inLessons, lessonAcknowledged('L1')])
        .when({ type: 'AcknowledgeLesson', at: days(2), lessonId: 'L1', by: 'bob' })
        .thenNothingHappens();
    });

    spec.given(inLessons).refusesInvalid((overrides) => ({ type: 'AcknowledgeLesson', at: days(1), lessonId: 'L1', by: 'alice', ...overrides }), [
      ['lessonId', { lessonId: ' ' }],
      ['by', { by: '' }],
    ]);
  });

  describe('recording the capability assessment', () => {
    it('records it, with blank notes as none', () => {
      spec.given(inLessons).when(assess({ notes: '  ' })).then([assessmentRecorded(4)]);
    });

    it('keeps trimmed notes', () => {
      spec
        .given(inLessons)
        .when(assess({ notes: ' strong contract team ' }))
        .thenState((state) => expect(state.assessment?.notes).toBe('strong contract team'));
    });

    it('replaces an earlier assessment', () => {
      spec
        .given([...inLessons, assessmentRecorded(2)])
        .when(assess({ score: 3, at: days(3) }))
        .thenState((state) => expect(state.assessment).toMatchObject({ score: 3, at: days(3) }));
    });

    spec.given(inLessons).refusesInvalid(assess, [
      ['score', { score: 0 }],
      ['score', { score: 6 }],
      ['score', { score: 3.5 }],
      ['score', { score: NaN }],
      ['contractManagementFte', { contractManagementFte: -1 }],
      ['contractManagementFte', { contractManagementFte: Infinity }],
      ['sro', { sro: '' }],
      ['notes', { notes: 'x'.repeat(2001) }],
    ]);

    it('accepts notes of exactly 2000 characters after trimming', () => {
      spec
        .given(inLessons)
        .when(assess({ notes: ` ${'x'.repeat(2000)} ` }))
        .thenState((state) => expect(state.assessment?.notes).toHaveLength(2000));
    });
  });

  describe('advancing', () => {
    it('moves to READINESS when every gate holds, starting the READINESS clock', () => {
      spec
        .given([...inLessons, assessmentRecorded(3), lessonAcknowledged('L1')])
        .when(advance(['L1']))
        .then([
          {
            type: 'StageAdvanced',
            data: { from: 'LESSONS', to: 'READINESS', at: days(2), mandatoryLessonIds: ['L1'], stageDeadlineAt: days(62) },
          },
        ]);
    });

    it('enters READINESS with the clock restarted and overdue cleared', () => {
      spec
        .given([
          ...inLessons,
          assessmentRecorded(3),
          { type: 'StageDeadlineMissed', data: { stage: 'LESSONS', deadline: days(30), at: days(30) } },
        ])
        .when({ ...advance(), at: days(40) })
        .thenState((state) => {
          expect(state).toMatchObject({
            stage: 'READINESS',
            stageEnteredAt: days(40),
            stageDeadlineAt: days(100),
            overdue: false,
          });
          expect(state.missedDeadlines).toEqual([{ stage: 'LESSONS', deadline: days(30), at: days(30) }]);
        });
    });

    it('refuses with every unmet gate when nothing was done', () => {
      spec
        .given(inLessons)
        .when(advance(['L1', 'L2']))
        .thenThrows('gates-unmet', {
          stage: 'LESSONS',
          unmetGates: ['assessment-recorded', 'assessment-score-at-least-3', 'mandatory-lessons-acknowledged'],
          missingLessonIds: ['L1', 'L2'],
        });
    });

    it('refuses when the assessment score is below 3', () => {
      spec
        .given([...inLessons, assessmentRecorded(2)])
        .when(advance())
        .thenThrows('gates-unmet', { unmetGates: ['assessment-score-at-least-3'], missingLessonIds: [] });
    });

    it('refuses when a mandatory lesson is not acknowledged, naming it', () => {
      spec
        .given([...inLessons, assessmentRecorded(5), lessonAcknowledged('L1')])
        .when(advance(['L1', 'L2']))
        .thenThrows('gates-unmet', { unmetGates: ['mandatory-lessons-acknowledged'], missingLessonIds: ['L2'] });
    });

    it('ignores acknowledged lessons that are no longer mandatory', () => {
      spec
        .given([...inLessons, assessmentRecorded(5), lessonAcknowledged('OLD')])
        .when(advance([]))
        .thenState((state) => expect(state.stage).toBe('READINESS'));
    });

    it('refuses a stale `from` with stage-mismatch', () => {
      spec
        .given([...inLessons, assessmentRecorded(5)])
        .when(advance([], 'READINESS'))
        .thenThrows('stage-mismatch', { expected: 'READINESS', actual: 'LESSONS' });
    });

    spec.given(inLessons).refusesInvalid((overrides) => ({ ...advance(), ...overrides } as unknown as AdvanceStage), [
      ['from', { from: 'NOWHERE' }],
      ['mandatoryLessonIds', { mandatoryLessonIds: 'L1' }],
      ['mandatoryLessonIds[1]', { mandatoryLessonIds: ['L1', ''] }],
    ]);
  });
});
