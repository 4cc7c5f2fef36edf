import { evaluateGates, fold } from '../index.js';
import {
  assessmentRecorded,
  days,
  deviationRequested,
  goLiveDecided,
  inGoLive,
  inLessons,
  inLive,
  inReadiness,
  lessonAcknowledged,
  paused,
  baselineRecorded,
} from '../testing/onboarding-history.js';

describe('evaluateGates', () => {
  describe('in LESSONS', () => {
    it('lists every gate unmet, naming the lessons still to acknowledge, and cannot advance', () => {
      const evaluation = evaluateGates(fold(inLessons), ['L1', 'L2'], days(2));
      expect(evaluation).toEqual({
        stage: 'LESSONS',
        canAdvance: false,
        gates: [
          { gate: 'assessment-recorded', met: false },
          { gate: 'assessment-score-at-least-3', met: false },
          { gate: 'mandatory-lessons-acknowledged', met: false, detail: 'not yet acknowledged: L1, L2' },
        ],
      });
    });

    it('says why a low score does not count', () => {
      const evaluation = evaluateGates(fold([...inLessons, assessmentRecorded(2)]), [], days(2));
      expect(evaluation.gates[1]).toEqual({
        gate: 'assessment-score-at-least-3',
        met: false,
        detail: 'the recorded score is 2; at least 3 is needed',
      });
    });

    it('can advance once every gate holds, as the decider would', () => {
      const evaluation = evaluateGates(fold([...inLessons, assessmentRecorded(3), lessonAcknowledged('L1')]), ['L1'], days(2));
      expect(evaluation.canAdvance).toBe(true);
      expect(evaluation.gates.every((gate) => gate.met)).toBe(true);
    });

    it('cannot advance while paused even with every gate met', () => {
      const state = fold([...inLessons, assessmentRecorded(4), paused(days(2), 1000)]);
      const evaluation = evaluateGates(state, [], days(3));
      expect(evaluation.gates.every((gate) => gate.met)).toBe(true);
      expect(evaluation.canAdvance).toBe(false);
    });
  });

  it('in READINESS names the deviation awaiting a decision', () => {
    const evaluation = evaluateGates(fold([...inReadiness, baselineRecorded(), deviationRequested('dev-1')]), [], days(4));
    expect(evaluation.gates).toEqual([
      { gate: 'baseline-recorded', met: true },
      { gate: 'deviations-decided', met: false, detail: expect.stringMatching(/^awaiting a decision: /) },
    ]);
  });

  it('in GO_LIVE says what the latest no-go was', () => {
    const evaluation = evaluateGates(fold([...inGoLive, goLiveDecided('centre', 'no-go')]), [], days(200));
    expect(evaluation.gates).toContainEqual({ gate: 'go-decision-centre', met: false, detail: expect.stringMatching(/^the latest decision is no-go: /) });
  });

  it('in LIVE has no gates and is not advanced', () => {
    expect(evaluateGates(fold(inLive), [], days(300))).toEqual({ stage: 'LIVE', canAdvance: false, gates: [] });
  });
});
