import { decide, evolve, initialState } from '../index.js';
import type { MarkDeadlineMissed, OnboardingCommand } from '../index.js';
import { deciderSpecification } from '../testing/decider-specification.js';
import { at, DAY, days, exampleCommands, inLessons, inMigration, inReadiness, paused, resumed } from '../testing/onboarding-history.js';

const spec = deciderSpecification({ decide, evolve, initialState });

const missed = (stage: MarkDeadlineMissed['stage'], when: string): MarkDeadlineMissed => ({ type: 'MarkDeadlineMissed', at: when, stage });

describe('an open, running department', () => {
  describe('pausing', () => {
    it('stops the clock, keeping the time left', () => {
      // LESSONS deadline is day 30; pausing at day 10 leaves 20 days.
      spec
        .given(inLessons)
        .when({ type: 'PauseOnboarding', at: days(10), reason: 'Machinery of government change' })
        .thenState((state, events) => {
          expect(events).toEqual([paused(days(10), 20 * DAY)]);
          expect(state).toMatchObject({
            paused: true,
            pauseReason: 'Machinery of government change',
            stageDeadlineAt: null,
            deadlineRemainingMs: 20 * DAY,
          });
        });
    });

    it('keeps no negative time when the deadline has already passed', () => {
      spec
        .given(inLessons)
        .when({ type: 'PauseOnboarding', at: days(45), reason: 'hold' })
        .thenState((state) => expect(state.deadlineRemainingMs).toBe(0));
    });

    it('refuses an empty reason', () => {
      spec.given(inLessons).when({ type: 'PauseOnboarding', at: days(1), reason: '' }).thenThrows('invalid-command', { field: 'reason' });
    });

    it('refuses to resume what is not paused', () => {
      spec.given(inLessons).when({ type: 'ResumeOnboarding', at: days(1), reason: 'go' }).thenThrows('department-not-paused');
    });
  });

  describe('missing a deadline', () => {
    it('records the missed deadline once it has passed', () => {
      spec
        .given(inLessons)
        .when(missed('LESSONS', days(30)))
        .thenState((state, events) => {
          expect(events).toEqual([{ type: 'StageDeadlineMissed', data: { stage: 'LESSONS', deadline: days(30), at: days(30) } }]);
          expect(state).toMatchObject({ stage: 'LESSONS', overdue: true, missedDeadlines: [{ stage: 'LESSONS', deadline: days(30), at: days(30) }] });
        });
    });

    it('refuses before the deadline', () => {
      spec
        .given(inLessons)
        .when(missed('LESSONS', at(30 * DAY - 1)))
        .thenThrows('deadline-not-reached', { stage: 'LESSONS', deadline: days(30) });
    });

    it('refuses a second time in the same stage', () => {
      spec
        .given([...inLessons, { type: 'StageDeadlineMissed', data: { stage: 'LESSONS', deadline: days(30), at: days(30) } }])
        .when(missed('LESSONS', days(31)))
        .thenThrows('deadline-already-missed', { stage: 'LESSONS' });
    });

    it('refuses a timer from a stage the department has left', () => {
      spec
        .given(inReadiness)
        .when(missed('LESSONS', days(30)))
        .thenThrows('stage-mismatch', { expected: 'LESSONS', actual: 'READINESS' });
    });

    it('uses the deadline of the stage entered: READINESS entered on day 2 is due on day 62', () => {
      spec.given(inReadiness).when(missed('READINESS', at(62 * DAY - 1))).thenThrows('deadline-not-reached', { deadline: days(62) });
      spec.given(inReadiness).when(missed('READINESS', days(62))).thenState((state) => expect(state.overdue).toBe(true));
    });

    it('honours per-department deadlines (PT5S)', () => {
      const [registered] = inLessons;
      const quick = {
        ...registered,
        data: { ...registered.data, deadlines: { ...registered.data.deadlines, LESSONS: 'PT5S' }, stageDeadlineAt: at(5000) },
      } as typeof registered;
      spec.given([quick]).when(missed('LESSONS', at(4999))).thenThrows('deadline-not-reached');
      spec.given([quick]).when(missed('LESSONS', at(5000))).thenState((state) => expect(state.overdue).toBe(true));
    });

    it('refuses an unknown stage', () => {
      spec.given(inLessons).when(missed('SOMEWHERE' as 'LESSONS', days(40))).thenThrows('invalid-command', { field: 'stage' });
    });

    it('can be missed again in a later stage', () => {
      spec
        .given([
          ...inMigration.slice(0, 2),
          { type: 'StageDeadlineMissed', data: { stage: 'LESSONS', deadline: days(30), at: days(30) } },
          ...inMigration.slice(2),
        ])
        .when(missed('MIGRATION', days(125)))
        .thenState((state) => expect(state.missedDeadlines.map((m) => m.stage)).toEqual(['LESSONS', 'MIGRATION']));
    });
  });
});

describe('a paused department', () => {
  const pausedAtDay10 = [...inLessons, paused(days(10), 20 * DAY)];

  it('resumes with the clock restarted from the time left', () => {
    spec
      .given(pausedAtDay10)
      .when({ type: 'ResumeOnboarding', at: days(50), reason: 'Settled' })
      .thenState((state, events) => {
        expect(events).toEqual([resumed(days(50), days(70))]);
        expect(state).toMatchObject({ paused: false, pauseReason: null, stageDeadlineAt: days(70), deadlineRemainingMs: null });
      });
  });

  it('resumes in the stage it was in, with time to the millisecond', () => {
    spec
      .given([...inLessons, paused(at(10 * DAY + 1234), 20 * DAY - 1234)])
      .when({ type: 'ResumeOnboarding', at: at(11 * DAY), reason: 'Settled' })
      .thenState((state) => {
        expect(state.stage).toBe('LESSONS');
        expect(state.stageDeadlineAt).toBe(at(31 * DAY - 1234));
      });
  });

  it('does not miss its deadline while the clock is stopped', () => {
    spec.given(pausedAtDay10).when(missed('LESSONS', days(40))).thenThrows('department-paused');
  });

  it('misses its deadline only after the remaining time has run out after resuming', () => {
    const history = [...pausedAtDay10, resumed(days(50), days(70))];
    spec.given(history).when(missed('LESSONS', days(69))).thenThrows('deadline-not-reached', { deadline: days(70) });
    spec.given(history).when(missed('LESSONS', days(70))).thenState((state) => expect(state.overdue).toBe(true));
  });

  it('refuses a second pause', () => {
    spec.given(pausedAtDay10).when({ type: 'PauseOnboarding', at: days(11), reason: 'again' }).thenThrows('department-paused', {
      pauseReason: 'Machinery of government change',
    });
  });

  it('can still be escalated', () => {
    spec
      .given(pausedAtDay10)
      .when({ type: 'EscalateOnboarding', at: days(20), reason: 'Paused too long' })
      .then([{ type: 'OnboardingEscalated', data: { reason: 'Paused too long', stage: 'LESSONS', at: days(20) } }]);
  });

  const refused = Object.values(exampleCommands(days(20))).filter(
    (c) => !['RegisterDepartment', 'ResumeOnboarding', 'EscalateOnboarding'].includes(c.type),
  );
  it.each(refused.map((c) => [c.type, c] as const))('refuses %s as department-paused', (_type, command: OnboardingCommand) => {
    spec.given(pausedAtDay10).when(command).thenThrows('department-paused');
  });
});
