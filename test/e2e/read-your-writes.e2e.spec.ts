import type { Response } from 'supertest';
import { streamIdFor } from '../../libs/domain/index.js';
import { stateQuery } from '../../workflows/contract.js';
import { testDatabaseUrl } from '../support/env.js';
import { EventsTableLock } from '../support/events-table-lock.js';
import { recordHistoryIfAsked } from '../support/history-recorder.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { PartitionedStack } from '../support/partitioned-stack.js';
import { eventually } from '../support/operations.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

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
  let locker: EventsTableLock;

  beforeAll(async () => {
    stack = await startStack();
    locker = await EventsTableLock.connect(testDatabaseUrl());
  });
  afterAll(async () => {
    await locker?.close();
    await stack?.close();
  });

  it('is decided after the earlier one lands, not refused on the state before it', async () => {
    const department = new OnboardingDriver(stack, uniqueCode('RW'));
    await department.register();
    await department.expectOk(department.command('assessment', department.lead, { sro: 'Jane Smith', score: 4, contractManagementFte: 3 }));

    await locker.lock();
    const advance = department.advance('LESSONS');
    expect(await settledWithin(advance, 1500)).toBe(false);
    // Recording a baseline is only possible in READINESS, where the advance above leads.
    const baseline = department.command('baseline', department.lead, { annualCostGbp: 1_000_000, implementationCostGbp: 200_000, headcountServed: 800 });
    // A repeat of the advance is still refused, by the handler once the first has landed.
    const repeated = department.advance('LESSONS');
    await settledWithin(Promise.all([baseline, repeated]), 1500);
    await locker.release();

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

/**
 * The same promise when the worker dies between an append and its workflow task: the
 * append's local activity committed, the workflow task that ran it never reached Temporal,
 * so the workflow's history does not have the command that its stream has, and once
 * Temporal has forgotten the pending Update (here: it restarted) nothing will replay it.
 * Its client hears 503, retries with the key and is told 2xx (found by its commandId in
 * the events); the next command must be decided on the state after it. The append is held
 * by a lock on the events table while the worker's way to Temporal is cut; then it
 * commits, its workflow task cannot be completed, and the worker is killed. A Temporal dev
 * server of its own (on a SQLite file), so it can be restarted.
 */
describe('a command that follows one acknowledged after its worker died mid-append', () => {
  let env: PartitionedStack;
  let stack: Stack;
  let locker: EventsTableLock;
  let partition: TcpProxy;

  beforeAll(async () => {
    env = await PartitionedStack.start();
    ({ stack, locker, partition } = env);
  });
  afterAll(async () => {
    await env?.close();
  });

  /** Sent with its key, and sent again with it while the answer is 503. */
  const acknowledged = async (send: () => Promise<Response>, what: string) => {
    const statuses: number[] = [];
    const response = await eventually(
      async () => {
        const answer = await send();
        statuses.push(answer.status);
        return answer.status === 503 ? undefined : answer;
      },
      what,
      120_000,
      500,
    );
    return { response, statuses };
  };

  it('is decided on the state after the orphaned append, for an advance and for a registration', async () => {
    const first = await env.startWorker({ viaPartition: true });
    const advancing = new OnboardingDriver(stack, uniqueCode('RWA'));
    const registering = new OnboardingDriver(stack, uniqueCode('RWR'));
    await advancing.register();
    await advancing.expectOk(advancing.command('assessment', advancing.lead, { sro: 'Jane Smith', score: 4, contractManagementFte: 3 }));

    const advance = () => advancing.command('advance', advancing.lead, { from: 'LESSONS' }, { 'Idempotency-Key': 'advance-after-crash' });
    const register = () =>
      registering.post(
        '/api/departments',
        registering.programme,
        { code: registering.code, name: `Department ${registering.code}`, centre: 'ISSC1', plannedGoLive: '2027-04-01' },
        { 'Idempotency-Key': 'register-after-crash' },
      );

    await locker.lock('SHARE');
    // supertest sends a request once it is awaited.
    const firstAdvance = advance().then((response) => response);
    const firstRegistration = register().then((response) => response);
    // Both appends are now waiting for the lock inside the worker's workflow tasks (local
    // activities, well inside their 5 s). The worker loses Temporal, the appends commit,
    // their workflow tasks can no longer be completed, and the worker dies.
    await eventually(async () => (await locker.waiting()) >= 2, 'both appends to wait for the lock', 10_000, 50);
    await partition.cut();
    await locker.release();
    await eventually(
      async () => (await stack.store.readStream(streamIdFor(advancing.code))).some((event) => event.type === 'StageAdvanced'),
      'the orphaned advance to commit',
    );
    await eventually(async () => (await stack.store.readStream(streamIdFor(registering.code))).length > 0, 'the orphaned registration to commit');
    await first.kill();
    expect((await firstAdvance).status).toBe(503);
    expect((await firstRegistration).status).toBe(503);
    // A restart forgets Updates that no workflow task completed: these two will not come back.
    await env.restartTemporal();

    // Told 2xx on retry (found by its commandId in the events), before any worker is back.
    const advanced = await acknowledged(advance, 'the advance to be acknowledged');
    const registered = await acknowledged(register, 'the registration to be acknowledged');
    expect([advanced.response.status, advanced.response.body.department?.stage]).toEqual([200, 'READINESS']);
    expect(registered.response.status).toBe(201);

    await env.startWorker();
    // Only possible in READINESS, where the acknowledged advance led; and once registered.
    const baseline = await acknowledged(
      () => advancing.command('baseline', advancing.lead, { annualCostGbp: 1_000_000, implementationCostGbp: 200_000, headcountServed: 800 }, { 'Idempotency-Key': 'baseline-after-crash' }),
      'the baseline to be answered',
    );
    const assessment = await acknowledged(
      () => registering.command('assessment', registering.lead, { sro: 'Jane Smith', score: 4, contractManagementFte: 3 }, { 'Idempotency-Key': 'assess-after-crash' }),
      'the assessment to be answered',
    );
    expect({ status: baseline.response.status, code: baseline.response.body.code }).toEqual({ status: 200, code: undefined });
    expect({ status: assessment.response.status, code: assessment.response.body.code }).toEqual({ status: 200, code: undefined });
    expect(baseline.response.body.department.stage).toBe('READINESS');

    // Each command once, in order, with no gap; the workflow holds what the stream holds.
    const advancedTypes = (await stack.store.readStream(streamIdFor(advancing.code))).map((event) => [event.version, event.type]);
    expect(advancedTypes).toEqual([
      [1, 'DepartmentRegistered'],
      [2, 'AssessmentRecorded'],
      [3, 'StageAdvanced'],
      [4, 'BaselineRecorded'],
    ]);
    const registeredTypes = (await stack.store.readStream(streamIdFor(registering.code))).map((event) => [event.version, event.type]);
    expect(registeredTypes).toEqual([
      [1, 'DepartmentRegistered'],
      [2, 'AssessmentRecorded'],
    ]);
    for (const department of [advancing, registering]) {
      const state = await stack.temporal.workflow.getHandle(`onboarding-${department.code}`).query(stateQuery);
      expect(state.version).toBe(department === advancing ? 4 : 2);
    }
    await recordHistoryIfAsked(stack.temporal, `onboarding-${advancing.code}`, 'command-after-a-lost-append');
  }, 240_000);
});
