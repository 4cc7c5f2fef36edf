import { streamIdFor } from '../../libs/domain/index.js';
import { stateQuery } from '../../workflows/contract.js';
import { EventsTableLock } from '../support/events-table-lock.js';
import { recordHistoryIfAsked } from '../support/history-recorder.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { PartitionedStack } from '../support/partitioned-stack.js';
import { eventually } from '../support/operations.js';
import { uniqueCode, type Stack } from '../support/stack.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

/** Between escalations of an overdue stage: long enough that none repeats before the lost append. */
const ESCALATION_REPEAT_S = 14;

/**
 * The workflow's own timers (a stage's deadline, the next escalation of an overdue stage)
 * must judge the state after every append its stream holds, even one its history lacks
 * (see CATCH_UP_WITH_STREAM in the workflow): an advance whose append committed while its
 * workflow task was lost, and whose Update Temporal then forgot. No command follows it
 * here, so only the timer can find it. The lost appends are made as in
 * read-your-writes.e2e: the events table locked mid-append, the worker cut off from
 * Temporal, the lock released so the appends commit, the worker killed and Temporal (a
 * dev server of its own, on a SQLite file) restarted.
 */
describe("a stage's timers after an advance their workflow's history lacks", () => {
  let env: PartitionedStack;
  let stack: Stack;
  let locker: EventsTableLock;
  let partition: TcpProxy;

  beforeAll(async () => {
    env = await PartitionedStack.start({ ESCALATION_REPEAT: `PT${ESCALATION_REPEAT_S}S` });
    ({ stack, locker, partition } = env);
  });
  afterAll(async () => {
    await env?.close();
  });

  const stream = async (department: OnboardingDriver) =>
    (await stack.store.readStream(streamIdFor(department.code))).map((event) => [event.type, (event.data as { stage?: string; from?: string }).stage ?? (event.data as { from?: string }).from]);
  const workflowState = (department: OnboardingDriver) => stack.temporal.workflow.getHandle(`onboarding-${department.code}`).query(stateQuery);

  it('miss the deadline of the stage it entered, not of the stage it left, and do not escalate a stage left', async () => {
    const first = await env.startWorker({ viaPartition: true });
    const assessment = { sro: 'Jane Smith', score: 4, contractManagementFte: 3 };
    // LESSONS's deadline falls after the lost advance; READINESS's, which the advance set, at once.
    const onTime = new OnboardingDriver(stack, uniqueCode('TMD'));
    await onTime.expectOk(onTime.register({ deadlines: { LESSONS: 'PT18S', READINESS: 'PT1S' } }));
    // Overdue in LESSONS already; its next escalation falls after the lost advance.
    const overdue = new OnboardingDriver(stack, uniqueCode('TME'));
    await overdue.expectOk(overdue.register({ deadlines: { LESSONS: 'PT1S' } }));
    await eventually(async () => (await stream(overdue)).some(([type]) => type === 'OnboardingEscalated'), 'LESSONS to be escalated', 15_000, 200);
    await onTime.expectOk(onTime.command('assessment', onTime.lead, assessment));
    await overdue.expectOk(overdue.command('assessment', overdue.lead, assessment));

    await locker.lock('SHARE');
    const advances = [onTime, overdue].map((department) => department.advance('LESSONS').then((response) => response));
    await eventually(async () => (await locker.waiting()) >= 2, 'both advances to wait for the lock', 10_000, 50);
    await partition.cut();
    await locker.release();
    for (const department of [onTime, overdue]) {
      await eventually(async () => (await stream(department)).some(([type]) => type === 'StageAdvanced'), `the orphaned advance of ${department.code} to commit`);
    }
    await first.kill();
    for (const response of await Promise.all(advances)) expect(response.status).toBe(503);
    // A restart forgets Updates that no workflow task completed: neither advance comes back.
    await env.restartTemporal();

    // No command is sent from here on: only the workflows' timers can meet the advances.
    await env.startWorker();
    // Missed, then escalated: two appends, so wait for the second, not the flag the first sets.
    await eventually(async () => (await stream(onTime)).some(([type, stage]) => type === 'OnboardingEscalated' && stage === 'READINESS'), 'the READINESS deadline to be missed and escalated', 45_000, 500);
    await eventually(async () => (await workflowState(overdue)).stage === 'READINESS', 'the escalation timer to catch up', 45_000, 500);

    expect(await stream(onTime)).toEqual([
      ['DepartmentRegistered', undefined],
      ['AssessmentRecorded', undefined],
      ['StageAdvanced', 'LESSONS'],
      ['StageDeadlineMissed', 'READINESS'],
      ['OnboardingEscalated', 'READINESS'],
    ]);
    expect(await stream(overdue)).toEqual([
      ['DepartmentRegistered', undefined],
      ['StageDeadlineMissed', 'LESSONS'],
      ['OnboardingEscalated', 'LESSONS'],
      ['AssessmentRecorded', undefined],
      ['StageAdvanced', 'LESSONS'],
    ]);
    expect(await workflowState(onTime)).toMatchObject({ stage: 'READINESS', version: 5, overdue: true });
    expect(await workflowState(overdue)).toMatchObject({ stage: 'READINESS', version: 5, overdue: false });
    // The read model holds what the stream holds.
    const read = async () => {
      const { body } = await onTime.expectOk(onTime.get());
      return body.department ?? body;
    };
    expect(await read()).toMatchObject({ stage: 'READINESS', overdue: true });
    await recordHistoryIfAsked(stack.temporal, `onboarding-${onTime.code}`, 'deadline-after-a-lost-append');
    await recordHistoryIfAsked(stack.temporal, `onboarding-${overdue.code}`, 'escalation-after-a-lost-append');
  }, 120_000);
});
