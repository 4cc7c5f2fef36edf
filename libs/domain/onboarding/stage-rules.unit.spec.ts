import { decide, evolve, initialState } from '../index.js';
import type { OnboardingCommandType, Stage } from '../index.js';
import { deciderSpecification } from '../testing/decider-specification.js';
import { days, exampleCommands, OPEN_HISTORIES } from '../testing/onboarding-history.js';

const spec = deciderSpecification({ decide, evolve, initialState });

/** The commands that only make sense in some stages, and those stages. */
const STAGE_BOUND: Partial<Record<OnboardingCommandType, readonly Stage[]>> = {
  AcknowledgeLesson: ['LESSONS'],
  RecordAssessment: ['LESSONS'],
  RecordBaseline: ['READINESS'],
  RequestDeviation: ['READINESS'],
  RecordMigration: ['MIGRATION'],
  RecordGoLiveDecision: ['GO_LIVE'],
  RecordSavings: ['LIVE'],
  CloseOnboarding: ['LIVE'],
};

const cases = Object.entries(OPEN_HISTORIES).flatMap(([stage, history]) =>
  Object.entries(STAGE_BOUND).map(([type, allowed]) => ({ stage, history, type: type as OnboardingCommandType, allowed: allowed! })),
);

describe.each(Object.keys(OPEN_HISTORIES))('%s', (stage) => {
  const mine = cases.filter((c) => c.stage === stage);

  it.each(mine.filter((c) => !c.allowed.includes(c.stage as Stage)).map((c) => [c.type, c] as const))(
    'refuses %s as wrong-stage',
    (_type, { history, type, allowed }) => {
      spec
        .given(history)
        .when(exampleCommands(days(200))[type])
        .thenThrows('wrong-stage', { stage, allowedStages: allowed });
    },
  );

  it.each(mine.filter((c) => c.allowed.includes(c.stage as Stage)).map((c) => [c.type, c] as const))(
    'accepts %s',
    (_type, { history, type }) => {
      spec
        .given(history)
        .when(exampleCommands(days(200))[type])
        .thenState((_state, events) => expect(events).toHaveLength(1));
    },
  );

  it('reassigns the lead, and reassigning to the same lead changes nothing', () => {
    const history = OPEN_HISTORIES[stage as keyof typeof OPEN_HISTORIES];
    spec
      .given(history)
      .when({ type: 'ReassignLead', at: days(200), lead: ' bob ' })
      .then([{ type: 'LeadReassigned', data: { lead: 'bob', previousLead: 'alice', at: days(200) } }]);
    spec.given(history).when({ type: 'ReassignLead', at: days(200), lead: 'alice' }).thenNothingHappens();
    spec
      .given(history)
      .when({ type: 'ReassignLead', at: days(200), lead: 'bob' })
      .thenState((state) => expect(state.lead).toBe('bob'));
  });

  it('escalates, counting escalations', () => {
    const history = OPEN_HISTORIES[stage as keyof typeof OPEN_HISTORIES];
    spec
      .given(history)
      .when({ type: 'EscalateOnboarding', at: days(200), reason: 'Stuck on payroll' })
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'OnboardingEscalated', data: { reason: 'Stuck on payroll', stage, at: days(200) } }]);
        expect(state.escalations).toBe(1);
      });
  });
});

describe('reassigning the lead', () => {
  it('refuses an empty lead', () => {
    spec.given(OPEN_HISTORIES.LESSONS).when({ type: 'ReassignLead', at: days(1), lead: '' }).thenThrows('invalid-command', { field: 'lead' });
  });

  it('records the first lead of a department registered without one', () => {
    const [registered] = OPEN_HISTORIES.LESSONS;
    const withoutLead = { ...registered, data: { ...registered.data, lead: null } } as typeof registered;
    spec
      .given([withoutLead])
      .when({ type: 'ReassignLead', at: days(1), lead: 'carol' })
      .then([{ type: 'LeadReassigned', data: { lead: 'carol', previousLead: null, at: days(1) } }]);
  });
});
