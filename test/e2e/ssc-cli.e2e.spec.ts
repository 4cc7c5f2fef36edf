import type { AddressInfo } from 'node:net';
import { runSsc, type SscIo } from '../../apps/ssc-cli/cli.js';
import { runDemo } from '../../apps/ssc-cli/demo.js';
import { DEMO_DEPARTMENTS } from '../../apps/ssc-cli/demo-programme.js';
import { eventually } from '../support/operations.js';
import { startStack, TEST_JWT_SECRET, type Stack } from '../support/stack.js';


function captured(env: Record<string, string | undefined> = {}): SscIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    env: { AUTH_JWT_SECRET: TEST_JWT_SECRET, TEMPORAL_ADDRESS: '127.0.0.1:1', DATA_DIR: '/tmp/ssc-cli-spec', ...env },
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text), isTTY: false },
    out: () => out,
    err: () => err,
  };
}

/**
 * The demo programme, built through the public API of a real stack on a database of its
 * own, then built again through `ssc demo`: the second run adds nothing, and every report
 * has something to show. And `ssc` itself: help on every command, JSON, exit codes.
 */
describe('the demo programme and the ssc command line', () => {
  let stack: Stack;
  let url: string;

  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite', env: { RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0' } });
    await stack.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(stack.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const get = async (path: string) => (await stack.http.get(path).set('Authorization', `Bearer ${stack.token('auditor')}`).expect(200)).body;
  /** Events people caused; the overdue departments' workflows add their own missed deadlines and escalations meanwhile. */
  const eventCount = async () => (await stack.store.readAll(0, 100_000)).filter((event) => event.metadata.actor.sub !== 'workflow').length;

  it('builds two centres and 26 departments at every stage, then a second run adds nothing', async () => {
    let progress = 0;
    const first = await runDemo({ url, secret: TEST_JWT_SECRET, onStep: () => (progress += 1) });
    expect(first.failures).toEqual([]);
    expect(progress).toBe(first.steps);
    const events = await eventCount();

    const io = captured();
    expect(await runSsc(['demo', '--url', url, '--json'], io)).toBe(0);
    const second = JSON.parse(io.out());
    expect(second).toMatchObject({ departments: 26, centres: ['ISSC1', 'ISSC2'], failures: [], succeeded: first.steps });
    expect(await eventCount()).toBe(events);

    const departments = (await get('/api/departments')) as Array<{ code: string; stage: string; centre: string }>;
    const demo = departments.filter((department) => DEMO_DEPARTMENTS.some((d) => d.code === department.code));
    expect(demo).toHaveLength(26);
    expect(new Set(demo.map((department) => department.stage))).toEqual(new Set(['LESSONS', 'READINESS', 'MIGRATION', 'GO_LIVE', 'LIVE', 'CLOSED', 'WITHDRAWN']));
    expect(new Set(demo.map((department) => department.centre))).toEqual(new Set(['ISSC1', 'ISSC2']));
  }, 420_000); // some 500 commands, twice, through one test worker

  it('leaves every report with something to show, and some departments overdue', async () => {
    const savings = await get('/api/reports/savings');
    expect(savings.totals.claimedProgrammeSavingsGbp).toBeGreaterThan(0);
    expect(savings.totals.verifiedProgrammeSavingsGbp).toBeGreaterThan(0);
    expect(savings.totals.programmeSavingsCorrectionsGbp).toBeLessThan(0);
    expect(savings.totals.spendingConstraintReductionsGbp).toBeGreaterThan(0);
    expect(savings.totals.implementationCostGbp).toBeGreaterThan(savings.costs.byDepartmentGbp);
    expect(savings.totals.approvedDeviationAnnualCostGbp).toBeGreaterThan(0);
    expect(savings.totals.paybackYears).toBeGreaterThan(0);
    const timetable = await get('/api/reports/timetable');
    expect(timetable.summary).toMatchObject({ registered: 26, live: 8, withdrawn: 3, replanned: 3 });
    expect(timetable.summary.exits).toMatchObject({ total: 3, byCategory: { 'other-centre': 1, 'in-house': 1, merged: 1 } });
    const durations = await get('/api/reports/stage-durations');
    for (const centre of ['ISSC1', 'ISSC2']) {
      expect(durations.rows.filter((row: { centre: string; departments: number }) => row.centre === centre && row.departments > 0)).toHaveLength(4);
    }
    const benchmarks = await get('/api/reports/benchmarks');
    expect(benchmarks.centres.map((row: { centre: string }) => row.centre)).toEqual(['ISSC1', 'ISSC2']);
    await eventually(async () => ((await get('/api/departments?overdue=true')) as unknown[]).length >= 3, 'the demo’s overdue departments to miss their deadlines', 60_000, 1000);
  });

  it('gives help on every command, and exit status 0', async () => {
    for (const command of [[], ['token'], ['audit'], ['audit', 'verify'], ['audit', 'export'], ['audit', 'replay'], ['audit', 'rebuild'], ['audit', 'digest'], ['audit', 'verify-digest'], ['demo']]) {
      const io = captured();
      expect(await runSsc([...command, '--help'], io)).toBe(0);
      expect(io.out()).toContain(`Usage: ssc ${command.join(' ')}`.trim());
    }
  });

  it('prints a token, as JSON on request, that the API accepts', async () => {
    const io = captured();
    expect(await runSsc(['token', '--role', 'lead', '--dept', 'DFT', '--sub', 'jane.smith', '--json'], io)).toBe(0);
    const printed = JSON.parse(io.out());
    expect(printed).toMatchObject({ sub: 'jane.smith', roles: ['lead'], departments: ['DFT'], expiresInSeconds: 8 * 3600 });
    const response = await stack.http.get('/api/departments/DFT').set('Authorization', `Bearer ${printed.token}`);
    expect(response.status).toBe(200);
  });

  it('answers bad usage with exit status 2 and a message', async () => {
    for (const args of [['nonsense'], ['token'], ['token', '--role', 'lead'], ['token', '--role', 'wizard'], ['demo', '--concurrency', 'lots'], ['audit', 'export', 'DFT']]) {
      const io = captured();
      expect({ args, status: await runSsc(args, io) }).toEqual({ args, status: 2 });
      expect(io.err().length).toBeGreaterThan(0);
    }
    const io = captured();
    expect(await runSsc(['demo', '--url', 'http://127.0.0.1:9', '--json'], io)).toBe(2);
    expect(io.err()).toContain('no API answers');
  });
});
