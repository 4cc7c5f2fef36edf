import pg from 'pg';
import { streamIdFor } from '../../libs/domain/index.js';
import { testDatabaseUrl } from '../support/env.js';
import { recordHistoryIfAsked } from '../support/history-recorder.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';

const settledWithin = (response: Promise<unknown>, ms: number) =>
  Promise.race([response.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

/**
 * A command sent while an earlier one is still being appended must be judged on the state
 * after it: the workflow's Update validator may not refuse on a state that has not yet
 * folded an accepted command (seen from outside as an advance acknowledged, then the next
 * command refused `wrong-stage`). The append is held up by locking the events table.
 */
describe('a command that follows one still being appended', () => {
  let stack: Stack;
  let locker: pg.Client;

  beforeAll(async () => {
    stack = await startStack();
    locker = new pg.Client({ connectionString: testDatabaseUrl() });
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.query('ROLLBACK').catch(() => undefined);
    await locker?.end();
    await stack?.close();
  });

  it('is decided after the earlier one lands, not refused on the state before it', async () => {
    const department = new OnboardingDriver(stack, uniqueCode('RW'));
    await department.register();
    await department.expectOk(department.command('assessment', department.lead, { sro: 'Jane Smith', score: 4, contractManagementFte: 3 }));

    await locker.query('BEGIN');
    await locker.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
    const advance = department.advance('LESSONS');
    expect(await settledWithin(advance, 1500)).toBe(false);
    // Recording a baseline is only possible in READINESS, where the advance above leads.
    const baseline = department.command('baseline', department.lead, { annualCostGbp: 1_000_000, implementationCostGbp: 200_000, headcountServed: 800 });
    // A repeat of the advance is still refused, by the handler once the first has landed.
    const repeated = department.advance('LESSONS');
    await settledWithin(Promise.all([baseline, repeated]), 1500);
    await locker.query('ROLLBACK');

    const [advanced, recorded, refused] = await Promise.all([advance, baseline, repeated]);
    expect({ status: advanced.status, stage: advanced.body.department?.stage }).toEqual({ status: 200, stage: 'READINESS' });
    expect({ status: recorded.status, code: recorded.body.code }).toEqual({ status: 200, code: undefined });
    const types = (await stack.store.readStream(streamIdFor(department.code))).map((event) => event.type);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'stage-mismatch' });
    expect(types.slice(-2)).toEqual(['StageAdvanced', 'BaselineRecorded']);
    expect(types.filter((type) => type === 'StageAdvanced')).toHaveLength(1);
    await recordHistoryIfAsked(stack.temporal, `onboarding-${department.code}`, 'command-behind-an-append');
  });
});
