import { streamIdFor } from '../../libs/domain/index.js';
import { stateQuery } from '../../workflows/contract.js';
import { EventsTableLock } from '../support/events-table-lock.js';
import { recordHistoryIfAsked } from '../support/history-recorder.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { PartitionedStack } from '../support/partitioned-stack.js';
import { eventually } from '../support/operations.js';
import { uniqueCode, type Stack } from '../support/stack.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

/**
 * A paused department has no deadline running: its stage clock restarts when it is resumed.
 * A resume whose append committed while its workflow task was lost, and whose Update
 * Temporal then forgot, is in the stream and the read model (its client, retrying, is
 * answered from the events) but not in the workflow, which stays paused with no timer of its
 * own to meet it. While paused, the workflow must read its stream every
 * PAUSED_CATCH_UP_INTERVAL, fold the resume and re-arm the deadline it restarted (see
 * CATCH_UP_WHILE_PAUSED in the workflow). The lost append is made as in
 * timer-after-a-lost-append.e2e.
 */
describe('a stage deadline after a resume its workflow history lacks', () => {
  let env: PartitionedStack;
  let stack: Stack;
  let locker: EventsTableLock;
  let partition: TcpProxy;

  beforeAll(async () => {
    env = await PartitionedStack.start({ PAUSED_CATCH_UP_INTERVAL: 'PT2S' });
    ({ stack, locker, partition } = env);
  });
  afterAll(async () => {
    await env?.close();
  });

  const events = async (department: OnboardingDriver) => stack.store.readStream(streamIdFor(department.code));
  const stream = async (department: OnboardingDriver) =>
    (await events(department)).map((event) => [event.type, (event.data as { stage?: string }).stage]);

  it('is restarted by the resume the workflow finds in its stream, then missed and escalated', async () => {
    const first = await env.startWorker({ viaPartition: true });
    const department = new OnboardingDriver(stack, uniqueCode('RSL'));
    await department.expectOk(department.register({ deadlines: { LESSONS: 'PT30S' } }));
    await department.expectOk(department.command('pause', department.operations, { reason: 'data protection review' }));
    const resume = () => department.command('resume', department.operations, { reason: 'review done' }, { 'Idempotency-Key': 'resume-lost' });

    await locker.lock('SHARE');
    const resuming = resume().then((response) => response);
    await eventually(async () => (await locker.waiting()) >= 1, 'the resume to wait for the lock', 10_000, 50);
    await partition.cut();
    await locker.release();
    await eventually(async () => (await stream(department)).some(([type]) => type === 'OnboardingResumed'), 'the orphaned resume to commit');
    await first.kill();
    expect((await resuming).status).toBe(503);
    // A restart forgets Updates that no workflow task completed: the resume does not come back.
    await env.restartTemporal();
    // Its client, retrying, is told it went through: the API finds it by its commandId in the events.
    const retried = await resume();
    expect({ status: retried.status, paused: retried.body.department?.paused }).toEqual({ status: 200, paused: false });

    // No command is sent from here on: only the paused workflow's look at its stream can meet the resume.
    await env.startWorker();
    await eventually(async () => (await stream(department)).some(([type]) => type === 'OnboardingEscalated'), 'the restarted LESSONS deadline to be missed and escalated', 90_000, 500);

    expect(await stream(department)).toEqual([
      ['DepartmentRegistered', undefined],
      ['OnboardingPaused', undefined],
      ['OnboardingResumed', undefined],
      ['StageDeadlineMissed', 'LESSONS'],
      ['OnboardingEscalated', 'LESSONS'],
    ]);
    // Missed at the deadline the resume restarted, never before it.
    const [, , resumed, missed] = await events(department);
    const restartedDeadline = (resumed.data as { stageDeadlineAt: string }).stageDeadlineAt;
    expect(Date.parse(missed.recordedAt)).toBeGreaterThanOrEqual(Date.parse(restartedDeadline));
    expect(await stack.temporal.workflow.getHandle(`onboarding-${department.code}`).query(stateQuery)).toMatchObject({
      stage: 'LESSONS',
      paused: false,
      overdue: true,
      version: 5,
    });
    await recordHistoryIfAsked(stack.temporal, `onboarding-${department.code}`, 'deadline-after-a-lost-resume');
  }, 180_000);
});
