import { decide, evolve, fold, initialState } from '../index.js';
import type { OnboardingCommand, RecordSavings } from '../index.js';
import { deciderSpecification } from '../testing/decider-specification.js';
import { closed, days, exampleCommands, inLive, inReadiness, OPEN_HISTORIES, withdrawn } from '../testing/onboarding-history.js';

const spec = deciderSpecification({ decide, evolve, initialState });

const savings = (overrides: Partial<RecordSavings> = {}): RecordSavings => ({
  type: 'RecordSavings',
  at: days(200),
  period: '2025-Q3',
  amountPence: 12_345_67,
  attribution: 'programme',
  evidenceRef: 'ledger/2025-Q3',
  ...overrides,
});

describe('LIVE', () => {
  describe('recording savings', () => {
    it.each(['programme', 'spending-constraint'] as const)('records savings attributed to %s', (attribution) => {
      spec
        .given(inLive)
        .when(savings({ attribution }))
        .then([
          {
            type: 'SavingsRecorded',
            data: { period: '2025-Q3', amountPence: 12_345_67, attribution, evidenceRef: 'ledger/2025-Q3', at: days(200) },
          },
        ]);
    });

    it('keeps every record, even several for one period', () => {
      spec
        .given([...inLive, ...decide(savings(), fold(inLive))])
        .when(savings({ attribution: 'spending-constraint', amountPence: 1 }))
        .thenState((state) => {
          expect(state.savings.map((s) => [s.period, s.amountPence, s.attribution])).toEqual([
            ['2025-Q3', 12_345_67, 'programme'],
            ['2025-Q3', 1, 'spending-constraint'],
          ]);
        });
    });

    spec.given(inLive).refusesInvalid(savings, [
      ['period', { period: '2025-Q5' }],
      ['period', { period: '2025-Q0' }],
      ['period', { period: '2025Q1' }],
      ['period', { period: '25-Q1' }],
      ['amountPence', { amountPence: 0 }],
      ['amountPence', { amountPence: -100 }],
      ['amountPence', { amountPence: 10.5 }],
      ['amountPence', { amountPence: 2 ** 53 }],
      ['attribution', { attribution: 'luck' as 'programme' }],
      ['evidenceRef', { evidenceRef: ' ' }],
    ]);
  });

  it('is not advanced: it is closed', () => {
    spec
      .given(inLive)
      .when({ type: 'AdvanceStage', at: days(300), from: 'LIVE', mandatoryLessonIds: [] })
      .thenThrows('wrong-stage', { stage: 'LIVE', use: 'CloseOnboarding' });
  });

  it('is closed, ending the onboarding', () => {
    spec
      .given(inLive)
      .when({ type: 'CloseOnboarding', at: days(400), reason: 'Benefits tracked' })
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'OnboardingClosed', data: { reason: 'Benefits tracked', at: days(400) } }]);
        expect(state).toMatchObject({ stage: 'CLOSED', stageEnteredAt: days(400), stageDeadlineAt: null });
      });
  });

  it('has no deadline to miss', () => {
    spec
      .given(inLive)
      .when({ type: 'MarkDeadlineMissed', at: days(999), stage: 'LIVE' })
      .thenThrows('wrong-stage', { stage: 'LIVE' });
  });

  it('can be paused with no clock to stop', () => {
    spec
      .given(inLive)
      .when({ type: 'PauseOnboarding', at: days(200), reason: 'Audit' })
      .thenState((state, events) => {
        expect(events).toEqual([
          { type: 'OnboardingPaused', data: { reason: 'Audit', at: days(200), deadlineRemainingMs: null } },
        ]);
        expect(state).toMatchObject({ paused: true, stageDeadlineAt: null, deadlineRemainingMs: null });
      });
  });
});

describe('LIVE, paused', () => {
  it('resumes with still no deadline', () => {
    spec
      .given([...inLive, { type: 'OnboardingPaused', data: { reason: 'Audit', at: days(200), deadlineRemainingMs: null } }])
      .when({ type: 'ResumeOnboarding', at: days(210), reason: 'Audit done' })
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'OnboardingResumed', data: { reason: 'Audit done', at: days(210), stageDeadlineAt: null } }]);
        expect(state).toMatchObject({ paused: false, stage: 'LIVE', stageDeadlineAt: null, deadlineRemainingMs: null });
      });
  });
});

describe('withdrawing', () => {
  it.each(Object.entries(OPEN_HISTORIES))('withdraws from %s', (stage, history) => {
    spec
      .given(history)
      .when({ type: 'WithdrawDepartment', at: days(500), reason: 'Left the programme' })
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'DepartmentWithdrawn', data: { reason: 'Left the programme', from: stage, at: days(500) } }]);
        expect(state).toMatchObject({ stage: 'WITHDRAWN', stageDeadlineAt: null, stageEnteredAt: days(500) });
      });
  });

  it('refuses an empty reason', () => {
    spec.given(inReadiness).when({ type: 'WithdrawDepartment', at: days(5), reason: '' }).thenThrows('invalid-command', { field: 'reason' });
  });
});

describe('closing before LIVE', () => {
  it.each(Object.entries(OPEN_HISTORIES).filter(([stage]) => stage !== 'LIVE'))('is refused in %s', (stage, history) => {
    spec
      .given(history)
      .when({ type: 'CloseOnboarding', at: days(500), reason: 'done' })
      .thenThrows('wrong-stage', { stage, allowedStages: ['LIVE'] });
  });
});

describe.each([
  ['CLOSED', closed],
  ['WITHDRAWN', withdrawn],
] as const)('%s', (stage, history) => {
  const commands = Object.values(exampleCommands(days(600))).filter((c) => c.type !== 'RegisterDepartment');
  it.each(commands.map((c) => [c.type, c] as const))('refuses %s as department-finished', (_type, command: OnboardingCommand) => {
    spec.given(history).when(command).thenThrows('department-finished', { stage });
  });

  it('refuses registering again as already-registered', () => {
    spec.given(history).when(exampleCommands(days(600)).RegisterDepartment).thenThrows('already-registered');
  });
});
