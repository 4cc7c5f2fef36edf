import { WorkflowFailedError } from '@temporalio/client';
import { streamIdFor } from '../../libs/domain/index.js';
import { stateQuery } from '../../workflows/contract.js';
import type { onboarding } from '../../workflows/onboarding.workflow.js';
import { EventsTableLock } from '../support/events-table-lock.js';
import { recordHistoryIfAsked } from '../support/history-recorder.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { PartitionedStack } from '../support/partitioned-stack.js';
import { eventually } from '../support/operations.js';
import { uniqueCode, type Stack } from '../support/stack.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

/** REGISTRATION_TIMEOUT for every onboarding the API starts here. */
const REGISTRATION_TIMEOUT_S = 3;

/**
 * An onboarding waits REGISTRATION_TIMEOUT for its registration, then fails so the code can
 * be registered again. A registration whose append committed while its workflow task was
 * lost, and whose Update Temporal then forgot, is in the stream and the read model (its
 * client, retrying, is answered from the events) but not in the workflow: when the wait runs
 * out, the workflow must find it there and go on as registered (see REGISTRATION_CATCH_UP in
 * the workflow). The lost append is made as in timer-after-a-lost-append.e2e.
 */
describe('an onboarding whose registration Update was lost', () => {
  let env: PartitionedStack;
  let stack: Stack;
  let locker: EventsTableLock;
  let partition: TcpProxy;

  beforeAll(async () => {
    env = await PartitionedStack.start({}, { REGISTRATION_TIMEOUT: `PT${REGISTRATION_TIMEOUT_S}S` });
    ({ stack, locker, partition } = env);
  });
  afterAll(async () => {
    await env?.close();
  });

  const stream = async (code: string) =>
    (await stack.store.readStream(streamIdFor(code))).map((event) => [event.type, (event.data as { stage?: string }).stage]);

  it('goes on as registered when its wait runs out, its stage deadline with it', async () => {
    const first = await env.startWorker({ viaPartition: true });
    const department = new OnboardingDriver(stack, uniqueCode('RGL'));
    const register = () =>
      department.post(
        '/api/departments',
        department.programme,
        // LESSONS's deadline has passed by the time the workflow finds its registration.
        { code: department.code, name: `Department ${department.code}`, centre: 'ISSC1', plannedGoLive: '2027-04-01', deadlines: { LESSONS: 'PT1S' } },
        { 'Idempotency-Key': 'register-lost' },
      );

    await locker.lock('SHARE');
    const registration = register().then((response) => response);
    await eventually(async () => (await locker.waiting()) >= 1, 'the registration to wait for the lock', 10_000, 50);
    await partition.cut();
    await locker.release();
    await eventually(async () => (await stream(department.code)).length > 0, 'the orphaned registration to commit');
    await first.kill();
    expect((await registration).status).toBe(503);
    // A restart forgets Updates that no workflow task completed: the registration does not come back.
    await env.restartTemporal();
    // Its client, retrying, is told it went through: the API finds it by its commandId in the events.
    expect((await register()).status).toBe(201);

    // No command is sent from here on: only the end of the wait for the registration can meet it.
    await env.startWorker();
    await eventually(async () => (await stream(department.code)).some(([type]) => type === 'OnboardingEscalated'), 'the LESSONS deadline to be missed and escalated', 60_000, 500);

    expect(await stream(department.code)).toEqual([
      ['DepartmentRegistered', undefined],
      ['StageDeadlineMissed', 'LESSONS'],
      ['OnboardingEscalated', 'LESSONS'],
    ]);
    const handle = stack.temporal.workflow.getHandle(`onboarding-${department.code}`);
    expect(await handle.query(stateQuery)).toMatchObject({ registered: true, stage: 'LESSONS', version: 3, overdue: true });
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await recordHistoryIfAsked(stack.temporal, `onboarding-${department.code}`, 'registration-after-a-lost-append');
  }, 180_000);

  it('still fails registration-not-received when its stream holds no registration either', async () => {
    await env.startWorker();
    const code = uniqueCode('RGN');
    const handle = await stack.temporal.workflow.start<typeof onboarding>('onboarding', {
      taskQueue: stack.config.temporalTaskQueue,
      workflowId: `onboarding-${code}`,
      args: [{ code, registrationTimeoutMs: REGISTRATION_TIMEOUT_S * 1000 }],
    });

    const failure = await handle.result().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toMatchObject({ type: 'registration-not-received' });
    expect(await stream(code)).toEqual([]);
    await recordHistoryIfAsked(stack.temporal, `onboarding-${code}`, 'registration-not-received');
  }, 60_000);
});
