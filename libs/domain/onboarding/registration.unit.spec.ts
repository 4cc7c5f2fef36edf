import { decide, evolve, fold, initialState, streamIdFor, workflowIdFor, DEPARTMENT_CODE_PATTERN } from '../index.js';
import type { OnboardingCommand, RegisterDepartment } from '../index.js';
import { deciderSpecification } from '../testing/decider-specification.js';
import { DAY, T0, days, exampleCommands, registered } from '../testing/onboarding-history.js';

const spec = deciderSpecification({ decide, evolve, initialState });

const register = (overrides: Partial<RegisterDepartment> = {}): RegisterDepartment => ({
  type: 'RegisterDepartment',
  at: T0,
  code: 'DFT',
  name: 'Department for Transport',
  centre: 'ISSC1',
  plannedGoLive: '2025-12-01',
  lead: 'alice',
  ...overrides,
});

describe('a department that is not registered', () => {
  it('is registered with the default deadlines, the LESSONS clock starting now', () => {
    spec.given([]).when(register()).then([registered]);
  });

  it('keeps per-department deadlines over the defaults', () => {
    spec
      .given([])
      .when(register({ deadlines: { LESSONS: 'P45D', GO_LIVE: 'PT5S' } }))
      .then([
        {
          type: 'DepartmentRegistered',
          data: {
            ...registered.data,
            deadlines: { LESSONS: 'P45D', READINESS: 'P60D', MIGRATION: 'P120D', GO_LIVE: 'PT5S' },
            stageDeadlineAt: days(45),
          },
        },
      ]);
  });

  it('records no lead when none is named, and trims names', () => {
    spec
      .given([])
      .when(register({ lead: undefined, name: '  Department for Transport  ' }))
      .thenState((state) => {
        expect(state.lead).toBeNull();
        expect(state.name).toBe('Department for Transport');
      });
  });

  it('starts in LESSONS, not paused, not overdue, with nothing recorded', () => {
    spec
      .given([])
      .when(register())
      .thenState((state) => {
        expect(state).toMatchObject({
          registered: true,
          code: 'DFT',
          centre: 'ISSC1',
          stage: 'LESSONS',
          paused: false,
          overdue: false,
          plannedGoLive: '2025-12-01',
          actualGoLive: null,
          registeredAt: T0,
          stageEnteredAt: T0,
          stageDeadlineAt: new Date(Date.parse(T0) + 30 * DAY).toISOString(),
          deadlineRemainingMs: null,
          acknowledgedLessons: [],
          escalations: 0,
          version: 1,
        });
      });
  });

  it.each(['dft', 'D', 'DFT-1', '1DFT', 'ABCDEFGHIJK', ''])('refuses the code %p', (code) => {
    spec.given([]).when(register({ code })).thenThrows('invalid-command', { field: 'code' });
  });

  spec.given([]).refusesInvalid(register, [
    ['name', { name: '   ' }],
    ['name', { name: 'x'.repeat(201) }],
    ['centre', { centre: '' }],
    ['plannedGoLive', { plannedGoLive: '2025-02-30' }],
    ['plannedGoLive', { plannedGoLive: '2025-13-01' }],
    ['plannedGoLive', { plannedGoLive: '2025-12-01T00:00:00Z' }],
    ['lead', { lead: 'x'.repeat(201) }],
  ]);

  it('accepts 29 February in a leap year only', () => {
    spec.given([]).when(register({ plannedGoLive: '2028-02-29' })).thenState((s) => expect(s.plannedGoLive).toBe('2028-02-29'));
    spec.given([]).when(register({ plannedGoLive: '2027-02-29' })).thenThrows('invalid-command');
  });

  it.each([
    [{ LESSONS: 'P0D' }],
    [{ LESSONS: 'PT0S' }],
    [{ READINESS: 'sixty days' }],
    [{ MIGRATION: '' }],
    [{ GO_LIVE: 'P10YT1S' }],
    [{ LIVE: 'P1D' } as Record<string, string>],
    [{ lessons: 'P1D' } as Record<string, string>],
  ])('refuses the deadlines %p', (deadlines) => {
    spec.given([]).when(register({ deadlines })).thenThrows('invalid-command');
  });

  it.each(['not a date', '2025-01-06', '2025-01-06T09:00:00', '2025-02-30T09:00:00Z', ''])('refuses the instant %p', (at) => {
    spec.given([]).when(register({ at })).thenThrows('invalid-command', { field: 'at' });
  });

  it('accepts an instant with an offset', () => {
    spec.given([]).when(register({ at: '2025-01-06T10:00:00+01:00' })).thenState((state) => {
      expect(state.stageDeadlineAt).toBe(days(30));
    });
  });

  it.each([null, 'RegisterDepartment', 42])('refuses %p as a command', (command) => {
    spec
      .given([])
      .when(command as unknown as OnboardingCommand)
      .thenThrows('invalid-command');
  });

  it('refuses a command of an unknown type', () => {
    spec
      .given([])
      .when({ type: 'DoSomething', at: T0 } as unknown as OnboardingCommand)
      .thenThrows('invalid-command');
  });

  const others = Object.values(exampleCommands(days(1))).filter((c) => c.type !== 'RegisterDepartment');
  it.each(others.map((c) => [c.type, c] as const))('refuses %s with department-not-found', (_type, command) => {
    spec.given([]).when(command).thenThrows('department-not-found');
  });
});

describe('a registered department', () => {
  it('cannot be registered again', () => {
    spec.given([registered]).when(register()).thenThrows('already-registered', { code: 'DFT' });
  });
});

describe('stream and workflow ids', () => {
  it('names the stream and workflow after the upper-case code', () => {
    expect(streamIdFor('DFT')).toBe('department-DFT');
    expect(streamIdFor('dft')).toBe('department-DFT');
    expect(workflowIdFor('HMT')).toBe('onboarding-HMT');
  });

  it('refuses what is not a department code', () => {
    expect(() => streamIdFor('not a code')).toThrow(expect.objectContaining({ code: 'invalid-command' }));
  });

  it('matches the documented code pattern', () => {
    expect(DEPARTMENT_CODE_PATTERN.source).toBe('^[A-Z][A-Z0-9]{1,9}$');
  });
});

describe('fold', () => {
  it('counts the events folded and never mutates the state it was given', () => {
    const before = JSON.stringify(initialState);
    const state = fold([registered]);
    expect(state.version).toBe(1);
    expect(JSON.stringify(initialState)).toBe(before);
    expect(fold([], state)).toBe(state);
  });
});
