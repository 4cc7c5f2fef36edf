import { OnboardingDriver } from '../support/onboarding-driver.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';

const DAY_MS = 86_400_000;

/**
 * A small programme built through the API alone — costs and savings over several periods,
 * corrections, verifications, a re-plan and an exit — on a database of its own, so that
 * every programme total can be checked to the penny, now and as the events stood earlier.
 */
describe('programme reports from the cost and benefit ledger', () => {
  let stack: Stack;
  let live: OnboardingDriver;
  let replanned: OnboardingDriver;
  let exited: OnboardingDriver;
  let midpoint: string;
  const savingIds: Record<string, string> = {};
  let correctionId = '';

  const get = (path: string) => stack.http.get(path).set('Authorization', `Bearer ${stack.token('auditor')}`);
  const post = (path: string, body: object) => stack.http.post(path).set('Authorization', `Bearer ${stack.token('programme')}`).send(body);
  const cost = (period: string, amountGbp: number, borneBy: string) => ({ period, amountGbp, borneBy, category: 'implementation', evidenceRef: `invoices/${period}` });

  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite' });
    live = new OnboardingDriver(stack, uniqueCode('PL'));
    replanned = new OnboardingDriver(stack, uniqueCode('PR'));
    exited = new OnboardingDriver(stack, uniqueCode('PX'));
    await live.register({ centre: 'ISSC1', plannedGoLive: '2020-01-01' });
    await replanned.register({ centre: 'ISSC2', plannedGoLive: '2030-01-01' });
    await exited.register({ centre: 'ISSC1', plannedGoLive: '2029-01-01' });

    await live.passLessons();
    await live.expectOk(
      live.command('baseline', live.lead, { annualCostGbp: 12_500_000.5, implementationCostGbp: 2_000_000, headcountServed: 4000, expectedAnnualSavingGbp: 1_000_000 }),
    );
    await live.expectOk(live.advance('READINESS'));
    await live.passMigration();
    await live.passGoLive();
    await live.expectOk(live.command('costs', live.lead, cost('2027-Q1', 1_000.01, 'department')));
    await live.expectOk(post('/api/centres/ISSC1/costs', cost('2027-Q1', 500.5, 'centre')));
    await live.expectOk(post('/api/programme/costs', cost('2027-Q1', 250.25, 'programme')));
    for (const [name, period, amountGbp, attribution] of [
      ['q1', '2027-Q1', 1_000.1, 'programme'],
      ['q2', '2027-Q2', 200.2, 'programme'],
      ['constraint', '2027-Q2', 300.3, 'spending-constraint'],
    ] as const) {
      const recorded = await live.expectOk(live.command('savings', live.lead, { period, amountGbp, attribution, evidenceRef: `ledger/${name}` }));
      savingIds[name] = recorded.body.events[0].eventId;
    }
    await live.expectOk(live.command(`savings/${savingIds.q1}/verification`, live.programme, { note: 'Matched to the ledger' }));
    await exited.expectOk(exited.command('withdraw', exited.programme, { reason: 'Joined ISSC2 instead', category: 'other-centre', sunkCostGbp: 7_500 }));

    await new Promise((resolve) => setTimeout(resolve, 20));
    midpoint = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));

    const correction = await live.expectOk(live.command(`savings/${savingIds.q1}/corrections`, live.lead, { amountGbp: 900.05, reason: 'Supplier credit note' }));
    correctionId = correction.body.events[0].eventId;
    await live.expectOk(live.command(`savings/${savingIds.q1}/verification`, live.programme, {}));
    await live.expectOk(live.command(`savings/${savingIds.q2}/verification`, live.programme, {}));
    await live.expectOk(live.command('costs', live.centre, cost('2027-Q3', 99.99, 'supplier')));
    await live.expectOk(post('/api/programme/costs', cost('2027-Q3', 0.01, 'programme')));
    await replanned.expectOk(replanned.command('replan', replanned.programme, { plannedGoLive: '2031-01-01', reason: 'Payroll supplier slipped' }));
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('gives every savings total to the penny now', async () => {
    const response = await get('/api/reports/savings');
    expect(response.status).toBe(200);
    expect(response.body.totals).toEqual(
      expect.objectContaining({
        claimedProgrammeSavingsGbp: 1_100.25,
        verifiedProgrammeSavingsGbp: 1_100.25,
        unverifiedProgrammeSavingsGbp: 0,
        originallyClaimedProgrammeSavingsGbp: 1_200.3,
        programmeSavingsCorrectionsGbp: -100.05,
        spendingConstraintReductionsGbp: 300.3,
        implementationCostGbp: 1_850.76,
        estimatedImplementationCostGbp: 2_000_000,
        netProgrammeSavingsGbp: -750.51,
        annualRunRateGbp: 1_100.25,
        runRatePeriods: ['2026-Q3', '2026-Q4', '2027-Q1', '2027-Q2'],
        paybackYears: 1.68,
        expectedAnnualSavingGbp: 1_000_000,
        target: { annualSavingsGbp: [400_000_000, 600_000_000], implementationCostGbp: [44_000_000, 95_000_000], annualRunRate: 'below', implementationCost: 'below' },
      }),
    );
    expect(response.body.costs).toEqual({ byDepartmentGbp: 1_100, byCentre: [{ centre: 'ISSC1', implementationCostGbp: 500.5 }], programmeGbp: 250.26 });
    expect(response.body.provenance.claimedProgrammeSavingsGbp).toEqual([savingIds.q1, correctionId, savingIds.q2]);
    expect(response.body.provenance.spendingConstraintReductionsGbp).toEqual([savingIds.constraint]);
    expect(response.body.provenance.implementationCostGbp).toHaveLength(5);
  });

  it('gives the savings totals as the events stood at the midpoint', async () => {
    const response = await get(`/api/reports/savings?asOf=${encodeURIComponent(midpoint)}`);
    expect(response.body.totals).toEqual(
      expect.objectContaining({
        claimedProgrammeSavingsGbp: 1_200.3,
        verifiedProgrammeSavingsGbp: 1_000.1,
        unverifiedProgrammeSavingsGbp: 200.2,
        programmeSavingsCorrectionsGbp: 0,
        spendingConstraintReductionsGbp: 300.3,
        implementationCostGbp: 1_750.76,
        netProgrammeSavingsGbp: -750.66,
        annualRunRateGbp: 1_000.1,
        paybackYears: 1.75,
      }),
    );
    expect(response.body.asOf).toBe(midpoint);
  });

  it('gives the timetable against the original and the current plan, with exits, now and at the midpoint', async () => {
    const now = await get('/api/reports/timetable');
    const rows = Object.fromEntries(now.body.departments.map((row: { code: string }) => [row.code, row]));
    const actualGoLive = rows[live.code].actualGoLive as string;
    const slip = Math.round((Date.parse(actualGoLive) - Date.parse('2020-01-01')) / DAY_MS);
    expect(rows[live.code]).toMatchObject({ originalPlannedGoLive: '2020-01-01', slippageDays: slip });
    expect(rows[replanned.code]).toMatchObject({ originalPlannedGoLive: '2030-01-01', plannedGoLive: '2031-01-01', slippageDays: 365, replans: 1 });
    expect(now.body.summary).toEqual(
      expect.objectContaining({
        registered: 3,
        live: 1,
        withdrawn: 1,
        averageSlippageDays: slip,
        replanned: 1,
        exits: { total: 1, byCategory: { 'other-centre': 1, 'in-house': 0, merged: 0, other: 0 }, sunkCostGbp: 7_500 },
      }),
    );

    const before = await get(`/api/reports/timetable?asOf=${encodeURIComponent(midpoint)}`);
    const earlier = before.body.departments.find((row: { code: string }) => row.code === replanned.code);
    expect(earlier).toMatchObject({ plannedGoLive: '2030-01-01', slippageDays: null, replans: 0 });
    expect(before.body.summary.replanned).toBe(0);
  });

  it('gives time spent in each stage per centre, with the longest department', async () => {
    const response = await get('/api/reports/stage-durations');
    const issc1 = response.body.rows.filter((row: { centre: string }) => row.centre === 'ISSC1');
    expect(issc1.map((row: { stage: string; departments: number }) => [row.stage, row.departments])).toEqual([
      ['LESSONS', 1],
      ['READINESS', 1],
      ['MIGRATION', 1],
      ['GO_LIVE', 1],
    ]);
    for (const row of issc1) {
      expect(row.longest.code).toBe(live.code);
      expect(row.medianDays).toBe(row.longest.days);
      expect(row.provenance).toHaveLength(1);
    }
    const issc2 = response.body.rows.find((row: { centre: string; stage: string }) => row.centre === 'ISSC2' && row.stage === 'LESSONS');
    expect(issc2).toMatchObject({ departments: 0, medianDays: null, inProgress: [expect.objectContaining({ code: replanned.code })] });
  });

  it('serves every report as CSV, as of a date too', async () => {
    for (const report of ['savings', 'benchmarks', 'timetable', 'stage-durations']) {
      const response = await get(`/api/reports/${report}?format=csv&asOf=${encodeURIComponent(midpoint)}`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.text.split('\r\n').filter(Boolean).length).toBeGreaterThan(1);
    }
  });

  it('refuses a malformed asOf', async () => {
    const response = await get('/api/reports/savings?asOf=last-tuesday');
    expect([response.status, response.body.code]).toEqual([400, 'validation-failed']);
  });
});
