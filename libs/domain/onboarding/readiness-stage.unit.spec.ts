import { decide, evolve, initialState } from '../index.js';
import type { AdvanceStage, DecideDeviation, RecordBaseline } from '../index.js';
import { deciderSpecification } from '../testing/decider-specification.js';
import {
  baselineRecorded,
  days,
  deviationDecided,
  deviationRequested,
  inMigration,
  inReadiness,
  requestDeviation,
} from '../testing/onboarding-history.js';

const spec = deciderSpecification({ decide, evolve, initialState });

const baseline = (overrides: Partial<RecordBaseline> = {}): RecordBaseline => ({
  type: 'RecordBaseline',
  at: days(3),
  annualCostPence: 1_000_000_00,
  implementationCostPence: 250_000_00,
  headcountServed: 5000,
  ...overrides,
});

const decideOn = (overrides: Partial<DecideDeviation> = {}): DecideDeviation => ({
  type: 'DecideDeviation',
  at: days(4),
  deviationId: 'dev-1',
  decision: 'approved',
  reason: 'Costed and accepted',
  ...overrides,
});

const advance: AdvanceStage = { type: 'AdvanceStage', at: days(5), from: 'READINESS', mandatoryLessonIds: ['L9'] };

describe('READINESS', () => {
  describe('recording the cost baseline', () => {
    it('records it', () => {
      spec.given(inReadiness).when(baseline()).then([baselineRecorded()]);
    });

    it('accepts zero costs and headcount', () => {
      spec
        .given(inReadiness)
        .when(baseline({ annualCostPence: 0, implementationCostPence: 0, headcountServed: 0 }))
        .thenState((state) => expect(state.baseline).toMatchObject({ annualCostPence: 0, headcountServed: 0 }));
    });

    spec.given(inReadiness).refusesInvalid(baseline, [
      ['annualCostPence', { annualCostPence: -1 }],
      ['annualCostPence', { annualCostPence: 12.5 }],
      ['implementationCostPence', { implementationCostPence: 2 ** 53 }],
      ['headcountServed', { headcountServed: -3 }],
      ['headcountServed', { headcountServed: '10' as unknown as number }],
    ]);
  });

  describe('requesting a deviation', () => {
    it('records it as pending', () => {
      spec
        .given(inReadiness)
        .when(requestDeviation())
        .thenState((state, events) => {
          expect(events).toEqual([deviationRequested('dev-1')]);
          expect(state.deviations).toEqual([
            {
              id: 'dev-1',
              area: 'payroll',
              description: 'Weekly pay run',
              justification: 'Union agreement',
              status: 'pending',
              requestedAt: days(3),
              decidedAt: null,
              reason: null,
            },
          ]);
        });
    });

    it('refuses a second deviation with the same id', () => {
      spec
        .given([...inReadiness, deviationRequested('dev-1')])
        .when(requestDeviation())
        .thenThrows('deviation-already-exists', { deviationId: 'dev-1' });
    });

    spec.given(inReadiness).refusesInvalid(requestDeviation, [
      ['deviationId', { deviationId: '' }],
      ['area', { area: '  ' }],
      ['description', { description: 'x'.repeat(2001) }],
      ['justification', { justification: 42 as unknown as string }],
    ]);
  });

  describe('deciding a deviation', () => {
    it.each(['approved', 'rejected'] as const)('records it as %s', (decision) => {
      spec
        .given([...inReadiness, deviationRequested('dev-1')])
        .when(decideOn({ decision }))
        .thenState((state, events) => {
          expect(events).toEqual([deviationDecided('dev-1', decision)]);
          expect(state.deviations[0]).toMatchObject({ status: decision, decidedAt: days(4), reason: 'Costed and accepted' });
        });
    });

    it('refuses an unknown deviation', () => {
      spec.given(inReadiness).when(decideOn()).thenThrows('unknown-deviation', { deviationId: 'dev-1' });
    });

    it('refuses to decide twice', () => {
      spec
        .given([...inReadiness, deviationRequested('dev-1'), deviationDecided('dev-1', 'rejected')])
        .when(decideOn())
        .thenThrows('deviation-already-decided', { deviationId: 'dev-1', status: 'rejected' });
    });

    it('refuses a decision that is neither approved nor rejected', () => {
      spec
        .given([...inReadiness, deviationRequested('dev-1')])
        .when(decideOn({ decision: 'maybe' as 'approved' }))
        .thenThrows('invalid-command', { field: 'decision' });
    });
  });

  describe('advancing', () => {
    it('moves to MIGRATION with a baseline and every deviation decided', () => {
      spec
        .given([...inReadiness, baselineRecorded(), deviationRequested('dev-1'), deviationDecided('dev-1', 'rejected')])
        .when(advance)
        .then([
          {
            type: 'StageAdvanced',
            data: { from: 'READINESS', to: 'MIGRATION', at: days(5), mandatoryLessonIds: ['L9'], stageDeadlineAt: days(125) },
          },
        ]);
    });

    it('ignores mandatory lessons: they gate LESSONS only', () => {
      spec
        .given([...inReadiness, baselineRecorded()])
        .when(advance)
        .thenState((state) => expect(state.stage).toBe('MIGRATION'));
    });

    it('refuses with every unmet gate', () => {
      const error = spec
        .given([...inReadiness, deviationRequested('dev-1')])
        .when(advance)
        .thenThrows('gates-unmet', { stage: 'READINESS', unmetGates: ['baseline-recorded', 'deviations-decided'] });
      expect(error.details).not.toHaveProperty('missingLessonIds');
    });

    it('refuses while a deviation is pending', () => {
      spec
        .given([
          ...inReadiness,
          baselineRecorded(),
          deviationRequested('dev-1'),
          deviationRequested('dev-2'),
          deviationDecided('dev-1'),
        ])
        .when(advance)
        .thenThrows('gates-unmet', { unmetGates: ['deviations-decided'] });
    });
  });
});

describe('after READINESS', () => {
  it('refuses a decision on a deviation decided in READINESS', () => {
    spec
      .given([...inMigration.slice(0, -1), deviationRequested('dev-1'), deviationDecided('dev-1'), inMigration.at(-1)!])
      .when(decideOn({ at: days(6) }))
      .thenThrows('deviation-already-decided');
  });
});
