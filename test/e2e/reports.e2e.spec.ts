import { OnboardingDriver } from '../support/onboarding-driver.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';

describe('programme reports', () => {
  let stack: Stack;
  let centre: string;
  let live: OnboardingDriver;

  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite' });
    centre = `RC${uniqueCode('X')}`.slice(0, 12);
    live = new OnboardingDriver(stack, uniqueCode('R'));
    await live.register({ centre, plannedGoLive: '2020-01-01' });
    await live.passLessons();
    await live.passReadiness();
    await live.passMigration();
    await live.passGoLive();
    for (const [amountGbp, attribution] of [[1000.1, 'programme'], [0.2, 'programme'], [500, 'spending-constraint']] as const) {
      await live.expectOk(live.command('savings', live.lead, { period: '2027-Q1', amountGbp, attribution, evidenceRef: 'ledger' }));
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  const get = (path: string) => stack.http.get(path).set('Authorization', `Bearer ${stack.token('auditor')}`);

  it('reports programme savings apart from spending-constraint reductions, exact to the penny', async () => {
    const response = await get(`/api/reports/savings?centre=${centre}`);
    expect(response.status).toBe(200);
    expect(response.body.totals).toMatchObject({ programmeSavingsGbp: 1000.3, spendingConstraintReductionsGbp: 500, departmentsReporting: 1 });
    expect(response.body.totals.netProgrammeSavingsGbp).toBe(1000.3 - 2_000_000);
  });

  it('reports slippage against the planned go-live date as a fact', async () => {
    const response = await get(`/api/reports/timetable?centre=${centre}`);
    expect(response.body.departments).toEqual([expect.objectContaining({ code: live.code, plannedGoLive: '2020-01-01' })]);
    expect(response.body.departments[0].slippageDays).toBeGreaterThan(365);
  });

  it('serves each report as CSV', async () => {
    for (const report of ['savings', 'benchmarks', 'timetable']) {
      const response = await get(`/api/reports/${report}?format=csv&centre=${centre}`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.text.split('\r\n').length).toBeGreaterThan(2);
    }
  });

  it('refuses an unknown format', async () => {
    const response = await get('/api/reports/savings?format=xlsx');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation-failed');
  });
});
