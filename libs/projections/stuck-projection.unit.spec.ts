import { fold, type OnboardingEvent } from '../domain/index.js';
import {
  days,
  deviationDecided,
  deviationRequested,
  goLiveDecided,
  inGoLive,
  inLessons,
  inReadiness,
  paused,
  stageAdvanced,
  withdrawn,
} from '../domain/testing/onboarding-history.js';
import { pendingDecisions, recordedStuckFacts } from './stuck-projection.js';

const deadlineMissed = (stage: 'LESSONS' | 'READINESS', deadline: string, when: string): OnboardingEvent => ({
  type: 'StageDeadlineMissed',
  data: { stage, deadline, at: when },
});

const factsAfter = (events: readonly OnboardingEvent[]) => recordedStuckFacts(fold(events));

describe('recorded stuck facts', () => {
  describe('a department on time with nothing owed', () => {
    it('is not stuck', () => {
      expect(factsAfter(inLessons)).toEqual([]);
      expect(factsAfter(inReadiness)).toEqual([]);
    });
  });

  describe('a department whose stage deadline passed', () => {
    it('is stuck since the deadline fell, naming the stage', () => {
      const facts = factsAfter([...inLessons, deadlineMissed('LESSONS', days(30), days(30))]);

      expect(facts).toEqual([
        {
          reason: 'deadline-missed',
          since: days(30),
          detail: expect.objectContaining({ stage: 'LESSONS', deadline: days(30), recordedAt: days(30), paused: false }),
        },
      ]);
    });

    it('stays stuck while paused, and says so', () => {
      const facts = factsAfter([...inLessons, deadlineMissed('LESSONS', days(30), days(30)), paused(days(31), 0)]);

      expect(facts.map((fact) => [fact.reason, fact.detail.paused])).toEqual([['deadline-missed', true]]);
    });

    it('is no longer stuck once it advances', () => {
      expect(factsAfter([...inLessons, deadlineMissed('LESSONS', days(30), days(30)), ...inReadiness.slice(1)])).toEqual([]);
    });

    it('is no longer stuck once withdrawn', () => {
      expect(factsAfter([...withdrawn.slice(0, -1), deadlineMissed('READINESS', days(8), days(8)), withdrawn.at(-1)!])).toEqual([]);
    });
  });

  describe('a department with a deviation request undecided', () => {
    it('owes a decision since the request, oldest first', () => {
      const state = fold([...inReadiness, deviationRequested('dev-2', days(4)), deviationRequested('dev-1', days(3))]);

      expect(pendingDecisions(state).map((decision) => decision.kind === 'deviation' && decision.deviationId)).toEqual(['dev-1', 'dev-2']);
      expect(recordedStuckFacts(state)).toEqual([
        { reason: 'awaiting-decision', since: days(3), detail: expect.objectContaining({ pending: expect.any(Array), paused: false }) },
      ]);
    });

    it('owes nothing once every request is decided', () => {
      expect(factsAfter([...inReadiness, deviationRequested('dev-1', days(3)), deviationDecided('dev-1', 'rejected', days(4))])).toEqual([]);
    });
  });

  describe('a department in GO_LIVE', () => {
    it('owes a decision from every voice that has not said go, since entering the stage', () => {
      const state = fold([...inGoLive, goLiveDecided('centre', 'go', days(126))]);

      expect(pendingDecisions(state)).toEqual([
        { kind: 'go-live', role: 'department-sro', lastDecision: null, since: days(125) },
        { kind: 'go-live', role: 'programme', lastDecision: null, since: days(125) },
      ]);
    });

    it('waits for a new decision after a no-go, from the no-go on', () => {
      const state = fold([...inGoLive, goLiveDecided('department-sro', 'go', days(126)), goLiveDecided('centre', 'go', days(126)), goLiveDecided('programme', 'no-go', days(127))]);

      expect(pendingDecisions(state)).toEqual([{ kind: 'go-live', role: 'programme', lastDecision: 'no-go', since: days(127) }]);
    });

    it('owes nothing once all three say go', () => {
      const state = fold([...inGoLive, goLiveDecided('department-sro'), goLiveDecided('centre'), goLiveDecided('programme')]);

      expect(recordedStuckFacts(state)).toEqual([]);
    });

    it('owes nothing once LIVE', () => {
      const state = fold([...inGoLive, goLiveDecided('department-sro'), goLiveDecided('centre'), goLiveDecided('programme'), stageAdvanced('GO_LIVE', days(131), null)]);

      expect(pendingDecisions(state)).toEqual([]);
    });
  });
});
