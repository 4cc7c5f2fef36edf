import { evolve, fold, initialState, ONBOARDING_COMMAND_TYPES, ONBOARDING_EVENT_TYPES, STAGES } from '../index.js';
import { closed, inLive } from '../testing/onboarding-history.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('evolve', () => {
  it('never mutates the state or the events it is given', () => {
    const events = deepFreeze(structuredClone([...closed]));
    let state = deepFreeze(structuredClone(initialState));
    for (const event of events) state = deepFreeze(evolve(state, event));
    expect(state).toEqual(fold(closed));
  });

  it('folds a whole onboarding into the state an auditor would expect', () => {
    expect(fold(inLive)).toMatchObject({
      stage: 'LIVE',
      version: inLive.length,
      actualGoLive: '2025-05-17',
      plannedGoLive: '2025-12-01',
      workstreams: { hr: { reconciled: true }, finance: { reconciled: true }, payroll: { reconciled: true }, procurement: { reconciled: true } },
      goLiveDecisions: { 'department-sro': { decision: 'go' }, centre: { decision: 'go' }, programme: { decision: 'go' } },
    });
  });
});

describe('catalogues', () => {
  it('lists the stages in lifecycle order', () => {
    expect(STAGES).toEqual(['LESSONS', 'READINESS', 'MIGRATION', 'GO_LIVE', 'LIVE', 'CLOSED', 'WITHDRAWN']);
  });

  it('lists every command and event type', () => {
    expect(ONBOARDING_COMMAND_TYPES).toHaveLength(22);
    expect(ONBOARDING_EVENT_TYPES).toHaveLength(21);
  });
});
