import { fold, type DepartmentState, type OnboardingEvent } from '../domain/index.js';
import { benchmarksReport, savingsReport, timetableReport, toCsv } from './index.js';

function department(code: string, centre: string, extra: Partial<DepartmentState>): DepartmentState {
  const registered = fold([
    {
      type: 'DepartmentRegistered',
      data: {
        code,
        name: `Dept ${code}`,
        centre,
        plannedGoLive: '2027-01-01',
        deadlines: { LESSONS: 'P30D', READINESS: 'P60D', MIGRATION: 'P120D', GO_LIVE: 'P30D' },
        lead: null,
        at: '2026-01-01T00:00:00.000Z',
        stageDeadlineAt: '2026-01-31T00:00:00.000Z',
      },
    } as OnboardingEvent,
  ]);
  return { ...registered, ...extra };
}

const baseline = (annual: number, implementation: number, headcount: number) => ({
  annualCostPence: annual,
  implementationCostPence: implementation,
  headcountServed: headcount,
  at: '2026-02-01T00:00:00.000Z',
});

describe('savings report', () => {
  it('keeps programme savings apart from spending-constraint reductions, summing in pence', () => {
    const states = [
      department('DFT', 'ISSC1', {
        stage: 'LIVE',
        baseline: baseline(100_000_00, 10_000_00, 100),
        savings: [
          { period: '2027-Q1', amountPence: 10, attribution: 'programme', evidenceRef: 'a', at: 'x' },
          { period: '2027-Q1', amountPence: 20, attribution: 'programme', evidenceRef: 'b', at: 'x' },
          { period: '2027-Q2', amountPence: 500_00, attribution: 'spending-constraint', evidenceRef: 'c', at: 'x' },
        ],
      }),
      department('HMT', 'ISSC2', { baseline: baseline(50_000_00, 5_000_00, 10) }),
    ];
    const report = savingsReport(states);

    expect(report.totals).toEqual({
      programmeSavingsGbp: 0.3,
      spendingConstraintReductionsGbp: 500,
      implementationCostGbp: 15_000,
      netProgrammeSavingsGbp: -14_999.7,
      departmentsReporting: 1,
    });
    expect(report.departments[0].byPeriod).toEqual([
      { period: '2027-Q1', programmeGbp: 0.3, spendingConstraintGbp: 0 },
      { period: '2027-Q2', programmeGbp: 0, spendingConstraintGbp: 500 },
    ]);
  });
});

describe('timetable report', () => {
  it('states slippage of live departments and of those past their planned date', () => {
    const report = timetableReport(
      [
        department('DFT', 'ISSC1', { stage: 'LIVE', actualGoLive: '2027-03-02' }),
        department('HMT', 'ISSC1', { stage: 'MIGRATION' }),
        department('DWP', 'ISSC1', { stage: 'WITHDRAWN' }),
      ],
      '2027-01-11T09:00:00.000Z',
    );
    expect(report.departments.map((row) => row.slippageDays)).toEqual([60, 10, null]);
    expect(report.summary).toEqual({ live: 1, averageSlippageDaysOfLive: 60, pastPlannedGoLiveNotLive: 1, withdrawn: 1 });
  });
});

describe('benchmarks report', () => {
  it('gives cost per head and deviations per centre', () => {
    const report = benchmarksReport([
      department('DFT', 'ISSC1', { baseline: baseline(300_00, 0, 3) }),
      department('HMT', 'ISSC1', { baseline: baseline(100_00, 0, 1) }),
    ]);
    expect(report.centres).toEqual([
      expect.objectContaining({ centre: 'ISSC1', departments: 2, baselineCostPerHeadGbp: 100, approvedDeviations: 0 }),
    ]);
  });
});

describe('CSV', () => {
  it('quotes separators and neutralises spreadsheet formulas', () => {
    expect(toCsv([{ a: 'x,y', b: '=SUM(A1)', c: -5 }])).toBe('a,b,c\r\n"x,y",\'=SUM(A1),-5\r\n');
  });
});
