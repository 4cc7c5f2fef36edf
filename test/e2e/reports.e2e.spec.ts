import { OnboardingDriver } from '../support/onboarding-driver.js';
import { eventually } from '../support/operations.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';

/** RFC 4180 as the reports write it here: no cell of these fixtures holds a comma or a quote. */
function csvRows(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\r\n')
    .map((line) => line.split(','));
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

describe('programme reports', () => {
  let stack: Stack;
  let centre: string;
  let otherCentre: string;
  let live: OnboardingDriver;
  let lagging: OnboardingDriver;
  let elsewhere: OnboardingDriver;

  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite' });
    centre = `RC${uniqueCode('X')}`.slice(0, 12);
    otherCentre = `RO${uniqueCode('X')}`.slice(0, 12);
    live = new OnboardingDriver(stack, uniqueCode('R'));
    lagging = new OnboardingDriver(stack, uniqueCode('RL'));
    elsewhere = new OnboardingDriver(stack, uniqueCode('RE'));
    await live.register({ centre, plannedGoLive: '2020-01-01' });
    await lagging.register({ centre, plannedGoLive: '2020-06-01', deadlines: { LESSONS: 'PT1S' } });
    await elsewhere.register({ centre: otherCentre, plannedGoLive: '2031-01-01' });
    await live.passLessons();
    const deviation = await live.expectOk(live.command('deviations', live.lead, { area: 'payroll', description: 'Weekly pay run', justification: 'Union agreement' }));
    const deviationId = deviation.body.department.deviations[0].id as string;
    await live.expectOk(live.command(`deviations/${deviationId}/decision`, live.programme, { decision: 'approved', reason: 'costed' }));
    await live.passReadiness();
    await live.passMigration();
    await live.passGoLive();
    for (const [amountGbp, attribution] of [[1000.1, 'programme'], [0.2, 'programme'], [500, 'spending-constraint']] as const) {
      await live.expectOk(live.command('savings', live.lead, { period: '2027-Q1', amountGbp, attribution, evidenceRef: 'ledger' }));
    }
    await eventually(async () => (await lagging.get()).body.overdue === true, 'the lagging department to miss its LESSONS deadline');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const get = (path: string) => stack.http.get(path).set('Authorization', `Bearer ${stack.token('auditor')}`);

  it('reports programme savings apart from spending-constraint reductions, exact to the penny', async () => {
    const response = await get(`/api/reports/savings?centre=${centre}`);
    expect(response.status).toBe(200);
    expect(response.body.totals).toMatchObject({ programmeSavingsGbp: 1000.3, spendingConstraintReductionsGbp: 500, departmentsReporting: 1 });
    // Net is verified savings less cost incurred (SPEC 5.1): nothing verified, nothing incurred yet.
    expect(response.body.totals).toMatchObject({ claimedProgrammeSavingsGbp: 1000.3, verifiedProgrammeSavingsGbp: 0, estimatedImplementationCostGbp: 2_000_000 });
    expect(response.body.totals.netProgrammeSavingsGbp).toBe(0);
  });

  it('benchmarks each centre: cost and savings per head, approved deviations, missed deadlines', async () => {
    const response = await get(`/api/reports/benchmarks?centre=${centre}`);
    expect(response.status).toBe(200);
    // Baseline £12,500,000.50 over 4000 people; £1000.30 of programme savings over the same 4000.
    expect(response.body.centres).toEqual([
      {
        centre,
        departments: 2,
        live: 1,
        baselineCostPerHeadGbp: 3125,
        programmeSavingsPerHeadGbp: 0.25,
        averageAssessmentScore: 4,
        approvedDeviations: 1,
        rejectedDeviations: 0,
        approvedDeviationOneOffCostGbp: 0,
        approvedDeviationAnnualCostGbp: 0,
        missedDeadlines: 1,
      },
    ]);
  });

  it('reports slippage against the planned go-live date as a fact', async () => {
    const response = await get(`/api/reports/timetable?centre=${centre}`);
    const actualGoLive = (await live.get()).body.actualGoLive as string;
    const today = (response.body.asOf as string).slice(0, 10);
    expect(response.body.departments).toHaveLength(2);
    expect(response.body.departments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: live.code, plannedGoLive: '2020-01-01', actualGoLive, slippageDays: daysBetween('2020-01-01', actualGoLive.slice(0, 10)), overdue: false }),
        expect.objectContaining({ code: lagging.code, plannedGoLive: '2020-06-01', actualGoLive: null, slippageDays: daysBetween('2020-06-01', today), overdue: true, missedDeadlines: 1 }),
      ]),
    );
  });

  it('filters every report by centre: only that centre, all of it', async () => {
    const codes = async (report: string, query: string) => {
      const body = (await get(`/api/reports/${report}${query}`)).body;
      return report === 'benchmarks' ? body.centres.map((row: { centre: string }) => row.centre) : body.departments.map((row: { code: string }) => row.code);
    };
    for (const report of ['savings', 'timetable']) {
      expect((await codes(report, `?centre=${centre}`)).sort()).toEqual([live.code, lagging.code].sort());
      expect(await codes(report, `?centre=${otherCentre}`)).toEqual([elsewhere.code]);
      expect(await codes(report, '')).toEqual(expect.arrayContaining([live.code, lagging.code, elsewhere.code]));
    }
    expect(await codes('benchmarks', `?centre=${otherCentre}`)).toEqual([otherCentre]);
    expect(await codes('benchmarks', '')).toEqual(expect.arrayContaining([centre, otherCentre]));
  });

  it('serves each report as CSV, every column and cell', async () => {
    const savings = await get(`/api/reports/savings?format=csv&centre=${centre}`);
    expect(savings.status).toBe(200);
    expect(savings.headers['content-type']).toMatch(/^text\/csv/);
    expect(csvRows(savings.text)).toEqual([
      ['code', 'centre', 'period', 'programmeGbp', 'verifiedProgrammeGbp', 'spendingConstraintGbp'],
      [live.code, centre, '2027-Q1', '1000.3', '0', '500'],
    ]);

    const benchmarks = await get(`/api/reports/benchmarks?format=csv&centre=${centre}`);
    expect(benchmarks.headers['content-type']).toMatch(/^text\/csv/);
    expect(csvRows(benchmarks.text)).toEqual([
      [
        'centre',
        'departments',
        'live',
        'baselineCostPerHeadGbp',
        'programmeSavingsPerHeadGbp',
        'averageAssessmentScore',
        'approvedDeviations',
        'rejectedDeviations',
        'approvedDeviationOneOffCostGbp',
        'approvedDeviationAnnualCostGbp',
        'missedDeadlines',
      ],
      [centre, '2', '1', '3125', '0.25', '4', '1', '0', '0', '0', '1'],
    ]);

    const timetable = await get(`/api/reports/timetable?format=csv&centre=${centre}`);
    expect(timetable.headers['content-type']).toMatch(/^text\/csv/);
    const actualGoLive = (await live.get()).body.actualGoLive as string;
    const today = (await get(`/api/reports/timetable?centre=${centre}`)).body.asOf.slice(0, 10) as string;
    const [header, ...rows] = csvRows(timetable.text);
    expect(header).toEqual([
      'code',
      'name',
      'centre',
      'stage',
      'originalPlannedGoLive',
      'plannedGoLive',
      'actualGoLive',
      'forecastGoLive',
      'slippageDays',
      'slippageAgainstCurrentPlanDays',
      'replans',
      'overdue',
      'missedDeadlines',
      'withdrawalCategory',
      'sunkCostGbp',
    ]);
    const liveSlip = String(daysBetween('2020-01-01', actualGoLive.slice(0, 10)));
    const laggingSlip = String(daysBetween('2020-06-01', today));
    expect(rows.sort(([a], [b]) => a.localeCompare(b))).toEqual(
      [
        [live.code, `Department ${live.code}`, centre, 'LIVE', '2020-01-01', '2020-01-01', actualGoLive, actualGoLive, liveSlip, liveSlip, '0', 'false', '0', '', ''],
        [lagging.code, `Department ${lagging.code}`, centre, 'LESSONS', '2020-06-01', '2020-06-01', '', today, laggingSlip, laggingSlip, '0', 'true', '1', '', ''],
      ].sort(([a], [b]) => a.localeCompare(b)),
    );
  });

  it('refuses an unknown format', async () => {
    const response = await get('/api/reports/savings?format=xlsx');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation-failed');
  });
});
