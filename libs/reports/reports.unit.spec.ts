import { benchmarksReport, reportInput, savingsReport, stageDurationsReport, timetableReport, toCsv, type RecordedEvent } from './index.js';

// Reports are computed from events, as an auditor would recompute them: these fixtures are
// the events of a small programme, each with the instant it was recorded.

let sequence = 0;
function event(streamId: string, type: string, data: Record<string, unknown>, recordedAt: string, eventId = `e${++sequence}`): RecordedEvent {
  return { eventId, streamId, type, data: { ...data, at: recordedAt }, recordedAt };
}

const deadlines = { LESSONS: 'P30D', READINESS: 'P60D', MIGRATION: 'P120D', GO_LIVE: 'P30D' };
function registered(code: string, centre: string, plannedGoLive: string, at: string): RecordedEvent {
  return event(`department-${code}`, 'DepartmentRegistered', { code, name: `Dept ${code}`, centre, plannedGoLive, deadlines, lead: null, stageDeadlineAt: at }, at);
}
function advanced(code: string, from: string, to: string, at: string): RecordedEvent {
  return event(`department-${code}`, 'StageAdvanced', { from, to, mandatoryLessonIds: [], stageDeadlineAt: null }, at);
}
function toLive(code: string, days: readonly [string, string, string, string]): RecordedEvent[] {
  return [advanced(code, 'LESSONS', 'READINESS', days[0]), advanced(code, 'READINESS', 'MIGRATION', days[1]), advanced(code, 'MIGRATION', 'GO_LIVE', days[2]), advanced(code, 'GO_LIVE', 'LIVE', days[3])];
}
function saving(code: string, savingId: string, period: string, amountPence: number, attribution: string, at: string): RecordedEvent {
  return event(`department-${code}`, 'SavingsRecorded', { period, amountPence, attribution, evidenceRef: 'ledger', savingId }, at, savingId);
}
const corrected = (code: string, savingId: string, previousAmountPence: number, amountPence: number, at: string) =>
  event(`department-${code}`, 'SavingsCorrected', { savingId, previousAmountPence, amountPence, reason: 'credit note' }, at);
const verified = (code: string, savingId: string, amountPence: number, at: string) => event(`department-${code}`, 'SavingsVerified', { savingId, amountPence, note: null }, at);
const cost = (streamId: string, amountPence: number, at: string) => event(streamId, 'CostIncurred', { period: '2027-Q1', amountPence, borneBy: 'programme', category: 'x', evidenceRef: 'inv' }, at);
const baseline = (code: string, implementationCostPence: number, at: string) =>
  event(`department-${code}`, 'BaselineRecorded', { annualCostPence: 100_000_00, implementationCostPence, headcountServed: 100, expectedAnnualSavingPence: 20_000_00 }, at);

const history: RecordedEvent[] = [
  registered('DFT', 'ISSC1', '2027-01-01', '2026-01-01T00:00:00.000Z'),
  baseline('DFT', 10_000_00, '2026-01-05T00:00:00.000Z'),
  ...toLive('DFT', ['2026-01-11T00:00:00.000Z', '2026-01-31T00:00:00.000Z', '2026-03-02T00:00:00.000Z', '2027-03-02T00:00:00.000Z']),
  cost('department-DFT', 1_000_01, '2026-02-01T00:00:00.000Z'),
  cost('centre-ISSC1', 500_00, '2026-02-02T00:00:00.000Z'),
  cost('programme', 250_50, '2026-02-03T00:00:00.000Z'),
  saving('DFT', 's1', '2027-Q1', 10, 'programme', '2027-04-01T00:00:00.000Z'),
  saving('DFT', 's2', '2027-Q2', 20_00, 'programme', '2027-07-01T00:00:00.000Z'),
  saving('DFT', 's3', '2027-Q2', 500_00, 'spending-constraint', '2027-07-01T00:00:00.000Z'),
  verified('DFT', 's2', 20_00, '2027-07-10T00:00:00.000Z'),
  corrected('DFT', 's2', 20_00, 15_00, '2027-08-01T00:00:00.000Z'),
  verified('DFT', 's2', 15_00, '2027-08-02T00:00:00.000Z'),
  verified('DFT', 's1', 10, '2027-08-03T00:00:00.000Z'),
  registered('HMT', 'ISSC2', '2027-06-01', '2026-01-01T00:00:00.000Z'),
  baseline('HMT', 5_000_00, '2026-01-03T00:00:00.000Z'),
  event('department-HMT', 'OnboardingReplanned', { reason: 'late', plannedGoLive: { from: '2027-06-01', to: '2027-09-01' }, extendStage: null }, '2026-02-01T00:00:00.000Z'),
  registered('DWP', 'ISSC1', '2027-06-01', '2026-01-01T00:00:00.000Z'),
  advanced('DWP', 'LESSONS', 'READINESS', '2026-01-21T00:00:00.000Z'),
  event('department-DWP', 'DepartmentWithdrawn', { reason: 'left', from: 'READINESS', category: 'other-centre', sunkCostPence: 7_500_00 }, '2026-03-01T00:00:00.000Z'),
];

describe('savings report', () => {
  it('counts each record once at the amount that stands: claimed, verified and corrected apart, in pence', () => {
    const { totals, provenance } = savingsReport(reportInput(history, '2027-12-31T00:00:00.000Z'));
    expect(totals).toMatchObject({
      claimedProgrammeSavingsGbp: 15.1,
      verifiedProgrammeSavingsGbp: 15.1,
      originallyClaimedProgrammeSavingsGbp: 20.1,
      programmeSavingsCorrectionsGbp: -5,
      spendingConstraintReductionsGbp: 500,
      implementationCostGbp: 1_750.51,
      estimatedImplementationCostGbp: 15_000,
      netProgrammeSavingsGbp: -1_735.41,
      annualRunRateGbp: 15.1,
      runRatePeriods: ['2026-Q3', '2026-Q4', '2027-Q1', '2027-Q2'],
      expectedAnnualSavingGbp: 40_000,
      target: { annualSavingsGbp: [400_000_000, 600_000_000], implementationCostGbp: [44_000_000, 95_000_000], annualRunRate: 'below', implementationCost: 'below' },
    });
    expect(totals.paybackYears).toBeCloseTo(1_750.51 / 15.1, 2);
    expect(provenance.claimedProgrammeSavingsGbp).toEqual(['s1', 's2', history[13].eventId]);
    expect([...provenance.implementationCostGbp].sort()).toEqual([history[6].eventId, history[7].eventId, history[8].eventId].sort());
  });

  it('gives the figures as the events stood at an earlier instant', () => {
    const { totals } = savingsReport(reportInput(history, '2027-07-15T00:00:00.000Z'));
    expect(totals).toMatchObject({ claimedProgrammeSavingsGbp: 20.1, verifiedProgrammeSavingsGbp: 20, programmeSavingsCorrectionsGbp: 0, annualRunRateGbp: 20 });
  });

  it('voids a verification that a later correction superseded', () => {
    const { totals } = savingsReport(reportInput(history, '2027-08-01T12:00:00.000Z'));
    expect(totals).toMatchObject({ claimedProgrammeSavingsGbp: 15.1, verifiedProgrammeSavingsGbp: 0, unverifiedProgrammeSavingsGbp: 15.1, paybackYears: null });
  });

  it('keeps to one centre when asked, with that centre’s own costs', () => {
    const report = savingsReport(reportInput(history, '2027-12-31T00:00:00.000Z', 'ISSC2'));
    expect(report.departments.map((department) => department.code)).toEqual(['HMT']);
    expect(report.totals.implementationCostGbp).toBe(0);
  });
});

describe('timetable report', () => {
  it('states slippage against the original and the current plan, and exits by category with sunk cost', () => {
    const report = timetableReport(reportInput(history, '2027-07-11T09:00:00.000Z'));
    const byCode = Object.fromEntries(report.departments.map((row) => [row.code, row]));
    expect(byCode.DFT).toMatchObject({ originalPlannedGoLive: '2027-01-01', actualGoLive: '2027-03-02', slippageDays: 60, slippageAgainstCurrentPlanDays: 60 });
    expect(byCode.HMT).toMatchObject({ originalPlannedGoLive: '2027-06-01', plannedGoLive: '2027-09-01', forecastGoLive: '2027-09-01', slippageDays: 92, slippageAgainstCurrentPlanDays: null, replans: 1 });
    expect(byCode.DWP).toMatchObject({ slippageDays: null, withdrawal: { category: 'other-centre', sunkCostGbp: 7_500 } });
    expect(report.summary).toMatchObject({
      registered: 3,
      live: 1,
      withdrawn: 1,
      averageSlippageDays: 60,
      replanned: 1,
      exits: { total: 1, byCategory: { 'other-centre': 1, 'in-house': 0, merged: 0, other: 0 }, sunkCostGbp: 7_500 },
    });
  });
});

describe('stage durations report', () => {
  it('gives median, p90 and the longest stay per centre and stage, with the departments', () => {
    const report = stageDurationsReport(reportInput(history, '2027-12-31T00:00:00.000Z'));
    const lessons = report.rows.find((row) => row.centre === 'ISSC1' && row.stage === 'LESSONS')!;
    expect(lessons).toMatchObject({ departments: 2, medianDays: 15, p90Days: 20, longest: { code: 'DWP', days: 20 } });
    const goLive = report.rows.find((row) => row.centre === 'ISSC1' && row.stage === 'GO_LIVE')!;
    expect(goLive).toMatchObject({ departments: 1, medianDays: 365, longest: { code: 'DFT', days: 365 } });
    const hmt = report.rows.find((row) => row.centre === 'ISSC2' && row.stage === 'LESSONS')!;
    expect(hmt).toMatchObject({ departments: 0, medianDays: null, inProgress: [{ code: 'HMT', daysSoFar: 729 }] });
  });
});

describe('benchmarks report', () => {
  it('gives cost per head per centre', () => {
    const report = benchmarksReport(reportInput(history, '2027-12-31T00:00:00.000Z').departments.map((department) => department.state));
    expect(report.centres).toEqual([
      expect.objectContaining({ centre: 'ISSC1', departments: 2, baselineCostPerHeadGbp: 1000, approvedDeviations: 0 }),
      expect.objectContaining({ centre: 'ISSC2', departments: 1 }),
    ]);
  });
});

describe('CSV', () => {
  it('quotes separators and neutralises spreadsheet formulas', () => {
    expect(toCsv([{ a: 'x,y', b: '=SUM(A1)', c: -5 }])).toBe('a,b,c\r\n"x,y",\'=SUM(A1),-5\r\n');
  });
});
