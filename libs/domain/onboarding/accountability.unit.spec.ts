import { decide, decideLedger, evolve, fold, initialState, ledgerStreamId } from '../index.js';
import type { OnboardingEvent, RecordCost, ReplanOnboarding } from '../index.js';
import { deciderSpecification } from '../testing/decider-specification.js';
import { DAY, at, days, inLessons, inLive, inMigration, inReadiness, paused, requestDeviation, withdrawn } from '../testing/onboarding-history.js';

const spec = deciderSpecification({ decide, evolve, initialState });

const saving = (savingId: string, amountPence: number, when = days(200)): OnboardingEvent => ({
  type: 'SavingsRecorded',
  data: { period: '2025-Q3', amountPence, attribution: 'programme', evidenceRef: `ledger/${savingId}`, savingId, at: when },
});
const corrected = (savingId: string, previousAmountPence: number, amountPence: number, when = days(210)): OnboardingEvent => ({
  type: 'SavingsCorrected',
  data: { savingId, previousAmountPence, amountPence, reason: 'invoice credited', at: when },
});
const verified = (savingId: string, amountPence: number, when = days(220)): OnboardingEvent => ({
  type: 'SavingsVerified',
  data: { savingId, amountPence, note: null, at: when },
});
const missedLessons: OnboardingEvent = { type: 'StageDeadlineMissed', data: { stage: 'LESSONS', deadline: days(30), at: days(30) } };

describe('savings corrections', () => {
  const withSaving = [...inLive, saving('s-1', 1_000_00)];

  it('supersedes the record with a new amount, keeping what was first recorded', () => {
    spec
      .given(withSaving)
      .when({ type: 'CorrectSavings', at: days(210), savingId: 's-1', amountPence: 800_00, reason: ' invoice credited ' })
      .thenState((state, events) => {
        expect(events).toEqual([corrected('s-1', 1_000_00, 800_00)]);
        expect(state.savings[0]).toMatchObject({ amountPence: 800_00, originalAmountPence: 1_000_00 });
        expect(state.savings[0].corrections).toHaveLength(1);
      });
  });

  it('corrects a corrected record from the amount that stands, and may bring it to zero', () => {
    spec
      .given([...withSaving, corrected('s-1', 1_000_00, 800_00)])
      .when({ type: 'CorrectSavings', at: days(215), savingId: 's-1', amountPence: 0, reason: 'not a saving after all' })
      .then([{ type: 'SavingsCorrected', data: { savingId: 's-1', previousAmountPence: 800_00, amountPence: 0, reason: 'not a saving after all', at: days(215) } }]);
  });

  it('voids an earlier verification: the new amount must be verified again', () => {
    spec
      .given([...withSaving, verified('s-1', 1_000_00)])
      .when({ type: 'CorrectSavings', at: days(230), savingId: 's-1', amountPence: 900_00, reason: 'audit adjustment' })
      .thenState((state) => expect(state.savings[0].verification).toBeNull());
  });

  it('refuses an unknown saving', () => {
    spec
      .given(withSaving)
      .when({ type: 'CorrectSavings', at: days(210), savingId: 's-9', amountPence: 1, reason: 'x' })
      .thenThrows('unknown-saving', { savingId: 's-9' });
  });

  spec.given(withSaving).refusesInvalid((overrides) => ({ type: 'CorrectSavings', at: days(210), savingId: 's-1', amountPence: 1, reason: 'x', ...overrides }), [
    ['amountPence', { amountPence: -1 }],
    ['amountPence', { amountPence: 1.5 }],
    ['reason', { reason: '  ' }],
    ['savingId', { savingId: '' }],
  ]);

  it('refuses a closed department', () => {
    spec
      .given([...withSaving, { type: 'OnboardingClosed', data: { reason: 'done', at: days(300) } }])
      .when({ type: 'CorrectSavings', at: days(310), savingId: 's-1', amountPence: 1, reason: 'x' })
      .thenThrows('department-finished');
  });
});

describe('savings verification', () => {
  const withSaving = [...inLive, saving('s-1', 1_000_00), corrected('s-1', 1_000_00, 700_00)];

  it('verifies the amount as it now stands', () => {
    spec
      .given(withSaving)
      .when({ type: 'VerifySavings', at: days(220), savingId: 's-1', note: 'Checked against the ledger' })
      .thenState((state, events) => {
        expect(events).toEqual([
          { type: 'SavingsVerified', data: { savingId: 's-1', amountPence: 700_00, note: 'Checked against the ledger', at: days(220) } },
        ]);
        expect(state.savings[0].verification).toEqual({ amountPence: 700_00, note: 'Checked against the ledger', at: days(220) });
      });
  });

  it('changes nothing when the record is already verified', () => {
    spec.given([...withSaving, verified('s-1', 700_00)]).when({ type: 'VerifySavings', at: days(230), savingId: 's-1' }).thenNothingHappens();
  });

  it('refuses an unknown saving', () => {
    spec.given(withSaving).when({ type: 'VerifySavings', at: days(220), savingId: 'nope' }).thenThrows('unknown-saving');
  });

  it('refuses while paused', () => {
    spec
      .given([...withSaving, paused(days(219), null)])
      .when({ type: 'VerifySavings', at: days(220), savingId: 's-1' })
      .thenThrows('department-paused');
  });
});

describe('costs', () => {
  const cost = (overrides: Partial<RecordCost> = {}): RecordCost => ({
    type: 'RecordCost',
    at: days(40),
    period: '2025-Q1',
    amountPence: 12_500_00,
    borneBy: 'supplier',
    category: 'data migration',
    evidenceRef: 'invoices/42',
    ...overrides,
  });

  it.each(['LESSONS', 'MIGRATION', 'LIVE'] as const)('records a cost incurred in %s, with who bore it', (stage) => {
    const history = { LESSONS: inLessons, MIGRATION: inMigration, LIVE: inLive }[stage];
    spec
      .given(history)
      .when(cost())
      .thenState((state, events) => {
        expect(events).toEqual([
          {
            type: 'CostIncurred',
            data: { period: '2025-Q1', amountPence: 12_500_00, borneBy: 'supplier', category: 'data migration', evidenceRef: 'invoices/42', at: days(40) },
          },
        ]);
        expect(state.costs).toHaveLength(1);
      });
  });

  spec.given(inLessons).refusesInvalid(cost, [
    ['period', { period: '2025-Q5' }],
    ['amountPence', { amountPence: 0 }],
    ['amountPence', { amountPence: -5 }],
    ['borneBy', { borneBy: 'taxpayer' as 'programme' }],
    ['category', { category: '' }],
    ['evidenceRef', { evidenceRef: ' ' }],
  ]);

  it('refuses a withdrawn department', () => {
    spec.given(withdrawn).when(cost()).thenThrows('department-finished');
  });
});

describe('deviation cost and expected savings', () => {
  it('records the estimated one-off and annual cost of a deviation', () => {
    spec
      .given(inReadiness)
      .when(requestDeviation({ oneOffCostPence: 40_000_00, annualCostPence: 5_000_00 }))
      .thenState((state) => expect(state.deviations[0]).toMatchObject({ oneOffCostPence: 40_000_00, annualCostPence: 5_000_00 }));
  });

  it('refuses a negative deviation cost', () => {
    spec
      .given(inReadiness)
      .when(requestDeviation({ annualCostPence: -1 }))
      .thenThrows('invalid-command', { field: 'annualCostPence' });
  });

  it('records the expected annual saving with the baseline', () => {
    spec
      .given(inReadiness)
      .when({ type: 'RecordBaseline', at: days(3), annualCostPence: 100, implementationCostPence: 50, headcountServed: 1, expectedAnnualSavingPence: 30 })
      .thenState((state) => expect(state.baseline?.expectedAnnualSavingPence).toBe(30));
  });
});

describe('re-planning', () => {
  const replan = (overrides: Partial<ReplanOnboarding>): ReplanOnboarding => ({ type: 'ReplanOnboarding', at: days(10), reason: 'spending review', ...overrides });

  it('moves the planned go-live date and keeps the original plan', () => {
    spec
      .given(inLessons)
      .when(replan({ plannedGoLive: '2026-03-01' }))
      .thenState((state, events) => {
        expect(events).toEqual([
          {
            type: 'OnboardingReplanned',
            data: { reason: 'spending review', at: days(10), plannedGoLive: { from: '2025-12-01', to: '2026-03-01' }, extendStage: null },
          },
        ]);
        expect(state).toMatchObject({ plannedGoLive: '2026-03-01', originalPlannedGoLive: '2025-12-01' });
      });
  });

  it('extends the current stage deadline from where it stood', () => {
    spec
      .given(inLessons)
      .when(replan({ extendStage: { stage: 'LESSONS', by: 'P14D' } }))
      .thenState((state) => expect(state.stageDeadlineAt).toBe(days(44)));
  });

  it('clears overdue when the extended deadline lies ahead, and stops repeated escalation', () => {
    spec
      .given([...inLessons, missedLessons])
      .when(replan({ at: days(35), extendStage: { stage: 'LESSONS', by: 'P10D' } }))
      .thenState((state) => expect(state).toMatchObject({ overdue: false, nextEscalationAt: null, stageDeadlineAt: days(40) }));
  });

  it('stays overdue when the extension still lies behind', () => {
    spec
      .given([...inLessons, missedLessons])
      .when(replan({ at: days(50), extendStage: { stage: 'LESSONS', by: 'P10D' } }))
      .thenState((state) => expect(state.overdue).toBe(true));
  });

  it('grants a later stage more time when it is entered', () => {
    const history = [...inLessons, ...decide(replan({ extendStage: { stage: 'READINESS', by: 'P5D' } }), fold(inLessons))];
    const assessed = [...history, { type: 'AssessmentRecorded', data: { sro: 's', score: 4, contractManagementFte: 1, notes: null, at: days(1) } } as OnboardingEvent];
    spec
      .given(assessed)
      .when({ type: 'AdvanceStage', at: days(2), from: 'LESSONS', mandatoryLessonIds: [] })
      .thenState((state) => expect(state.stageDeadlineAt).toBe(days(2 + 60 + 5)));
  });

  it('changes nothing when the date is the one already planned', () => {
    spec.given(inLessons).when(replan({ plannedGoLive: '2025-12-01' })).thenNothingHappens();
  });

  it('refuses to extend a stage already left', () => {
    spec.given(inMigration).when(replan({ extendStage: { stage: 'LESSONS', by: 'P5D' } })).thenThrows('wrong-stage');
  });

  spec.given(inLessons).refusesInvalid(replan, [
    ['plannedGoLive', {}],
    ['plannedGoLive', { plannedGoLive: '2026-02-30' }],
    ['extendStage.stage', { extendStage: { stage: 'LIVE' as 'LESSONS', by: 'P1D' } }],
    ['extendStage.by', { extendStage: { stage: 'LESSONS' as const, by: 'two weeks' } }],
    ['extendStage.by', { extendStage: { stage: 'LESSONS' as const, by: 'P0D' } }],
    ['extendStage.by', { extendStage: { stage: 'LESSONS' as const, by: 'P99999999D' } }],
    ['reason', { plannedGoLive: '2026-01-01', reason: '' }],
  ]);
});

describe('exits', () => {
  it('records the category and the cost already sunk', () => {
    spec
      .given(inReadiness)
      .when({ type: 'WithdrawDepartment', at: days(10), reason: 'Joined ISSC2', category: 'other-centre', sunkCostPence: 75_000_00 })
      .thenState((state, events) => {
        expect(events).toEqual([
          { type: 'DepartmentWithdrawn', data: { reason: 'Joined ISSC2', from: 'READINESS', category: 'other-centre', sunkCostPence: 75_000_00, at: days(10) } },
        ]);
        expect(state.withdrawal).toMatchObject({ category: 'other-centre', sunkCostPence: 75_000_00 });
      });
  });

  it('refuses an unknown category and a negative sunk cost', () => {
    spec.given(inReadiness).when({ type: 'WithdrawDepartment', at: days(10), reason: 'x', category: 'bored' as 'other' }).thenThrows('invalid-command', { field: 'category' });
    spec.given(inReadiness).when({ type: 'WithdrawDepartment', at: days(10), reason: 'x', category: 'other', sunkCostPence: -1 }).thenThrows('invalid-command', { field: 'sunkCostPence' });
  });
});

describe('repeated escalation of an overdue department', () => {
  const overdue = [...inLessons, missedLessons];
  const escalate = (when: string) => ({ type: 'EscalateOverdue' as const, at: when, repeat: 'P7D' });

  it('escalates at once when the deadline is missed, naming when it escalates again', () => {
    spec
      .given(overdue)
      .when(escalate(days(30)))
      .then([
        {
          type: 'OnboardingEscalated',
          data: { reason: `stage LESSONS missed its deadline of ${days(30)}`, stage: 'LESSONS', at: days(30), nextEscalationAt: days(37) },
        },
      ]);
  });

  it('escalates again once the interval has passed, and not before', () => {
    const once = [...overdue, ...decide(escalate(days(30)), fold(overdue))];
    spec.given(once).when(escalate(at(37 * DAY - 1))).thenThrows('escalation-not-due', { nextEscalationAt: days(37) });
    spec
      .given(once)
      .when(escalate(days(37)))
      .thenState((state, events) => {
        expect(events[0].data).toMatchObject({ reason: expect.stringContaining('still overdue'), nextEscalationAt: days(44) });
        expect(state.escalations).toBe(2);
      });
  });

  it('keeps the schedule when someone escalates by hand', () => {
    const once = [...overdue, ...decide(escalate(days(30)), fold(overdue))];
    spec
      .given([...once, { type: 'OnboardingEscalated', data: { reason: 'by hand', stage: 'LESSONS', at: days(32) } }])
      .when(escalate(days(33)))
      .thenThrows('escalation-not-due', { nextEscalationAt: days(37) });
  });

  it('refuses when the department is not overdue, or has moved on', () => {
    spec.given(inLessons).when(escalate(days(31))).thenThrows('not-overdue');
    spec.given(inReadiness).when(escalate(days(31))).thenThrows('not-overdue');
  });

  it('does not escalate a paused department', () => {
    spec.given([...overdue, paused(days(31), 0)]).when(escalate(days(40))).thenThrows('department-paused');
  });

  it('refuses a zero interval', () => {
    spec.given(overdue).when({ type: 'EscalateOverdue', at: days(30), repeat: 'PT0S' }).thenThrows('invalid-command', { field: 'repeat' });
  });
});

describe('costs no department carries', () => {
  const base = { type: 'RecordLedgerCost' as const, at: days(5), period: '2025-Q1', amountPence: 1_000_000_00, borneBy: 'centre' as const, category: 'payroll platform', evidenceRef: 'contracts/7' };

  it('go to the centre stream or the programme stream', () => {
    expect(ledgerStreamId({ kind: 'centre', centre: 'issc1' })).toBe('centre-ISSC1');
    expect(ledgerStreamId({ kind: 'programme' })).toBe('programme');
    expect(decideLedger({ ...base, scope: { kind: 'centre', centre: 'ISSC1' } })).toEqual([
      { type: 'CostIncurred', data: { period: '2025-Q1', amountPence: 1_000_000_00, borneBy: 'centre', category: 'payroll platform', evidenceRef: 'contracts/7', at: days(5) } },
    ]);
  });

  it('refuses a bad centre name and a bad amount', () => {
    expect(() => decideLedger({ ...base, scope: { kind: 'centre', centre: '../x' } })).toThrow(expect.objectContaining({ code: 'invalid-command' }));
    expect(() => decideLedger({ ...base, amountPence: 0, scope: { kind: 'programme' } })).toThrow(expect.objectContaining({ code: 'invalid-command' }));
  });
});
