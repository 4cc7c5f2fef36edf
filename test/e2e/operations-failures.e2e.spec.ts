import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, bundleWorkflowCode, type Worker } from '@temporalio/worker';
import { createWorkerSide } from '../../apps/worker/src/worker-side.js';
import { openDatabase, type SqlClient } from '../../libs/database/index.js';
import { streamIdFor } from '../../libs/domain/index.js';
import { testDatabaseUrl } from '../support/env.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { completedAttempt, eventually, stuckList, sweepStuck, type StuckEntry } from '../support/operations.js';
import { startStack, uniqueCode, workflowBundle, type Stack } from '../support/stack.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Installed already by an earlier stack in this process.
  }
}

interface RunningWorker {
  readonly worker: Worker;
  stop(): Promise<void>;
}

/** The product's worker side on the stack's task queue, with its own database handle and workflow code. */
async function startWorker(stack: Stack, db: SqlClient, options: { bundle?: Awaited<ReturnType<typeof workflowBundle>>; identity?: string } = {}): Promise<RunningWorker> {
  quietRuntime();
  const side = await createWorkerSide({
    config: stack.config,
    db,
    workflowBundle: options.bundle ?? (await workflowBundle()),
    identity: options.identity,
    // The test sweeps itself (sweepStuck), as the lease holder.
    stuckSweep: false,
  });
  const running = side.run();
  return {
    worker: side.worker,
    async stop() {
      await side.stop();
      await running;
    },
  };
}

async function listedFor(stack: Stack, code: string, reason: string): Promise<StuckEntry | undefined> {
  await sweepStuck(stack);
  const [entry] = await stuckList(stack, [code], { reason });
  return entry;
}

const retry = (stack: Stack, code: string, reason: string) =>
  stack.http.post(`/api/operations/departments/${code}/retry`).set('Authorization', `Bearer ${stack.token('operations')}`).send({ reason });

describe('an activity failing because the worker cannot reach the database', () => {
  let stack: Stack;
  let proxy: TcpProxy;
  let workerDb: SqlClient;
  let worker: RunningWorker;

  beforeAll(async () => {
    // The API and the sweep reach PostgreSQL directly; the worker goes through a hop the test cuts.
    stack = await startStack({ withoutWorker: true });
    const direct = new URL(testDatabaseUrl());
    proxy = await startTcpProxy(direct.hostname, Number(direct.port || 5432));
    const viaProxy = new URL(direct);
    viaProxy.port = String(proxy.port);
    workerDb = await openDatabase({ postgresUrl: viaProxy.toString() });
    worker = await startWorker(stack, workerDb);
  });
  afterAll(async () => {
    await proxy?.restore();
    await worker?.stop();
    await workerDb?.close();
    await proxy?.close();
    await stack?.close();
  });

  it('is listed with its attempts and last failure, and retry runs the append at once when the database is back', async () => {
    const department = new OnboardingDriver(stack, uniqueCode('DB'));
    await department.register();
    await proxy.cut();
    const pending = department.command('assessment', department.lead, { sro: 'Jane Smith', score: 4, contractManagementFte: 2 });
    void pending.then(() => undefined); // supertest sends on then()

    const failing = await eventually(async () => {
      const entry = await listedFor(stack, department.code, 'activity-failing');
      return entry && (entry.detail.failedAttempts as number) >= 2 ? entry : undefined;
    }, 'the failing append to be listed');
    expect(failing).toMatchObject({
      stage: 'LESSONS',
      detail: expect.objectContaining({ activity: 'appendDepartmentEvents', lastFailure: expect.any(String) }),
    });
    expect(failing.detail.attempts).toBeGreaterThanOrEqual(3);

    await proxy.restore();
    const retried = await retry(stack, department.code, 'database reachable again');
    expect(retried.status).toBe(200);
    expect(retried.body.retried).toEqual([
      { target: expect.objectContaining({ kind: 'activity', activity: 'appendDepartmentEvents', action: 'reset-activity' }), applied: true },
    ]);

    const answered = await pending;
    expect(answered.status).toBe(200);
    // Run by the reset (attempts start again at 1), not by a backoff retry that came due.
    expect(await completedAttempt(stack, department.code, 'appendDepartmentEvents')).toBe(1);
    const events = await stack.store.readStream(streamIdFor(department.code));
    expect(events.filter((event) => event.type === 'AssessmentRecorded')).toHaveLength(1);
    expect(await listedFor(stack, department.code, 'activity-failing')).toBeUndefined();
  });
});

describe('a workflow task failing after a non-deterministic deploy', () => {
  let stack: Stack;
  const workers: RunningWorker[] = [];

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    for (const running of workers) await running.stop();
    await stack?.close();
  });

  it('is listed with its cause, and the workflow carries on once good code is back and the task is retried', async () => {
    const department = new OnboardingDriver(stack, uniqueCode('ND'));
    await department.register({ deadlines: { LESSONS: 'PT3S' } });

    // The released worker stops; a bad deploy takes over the task queue.
    stack.worker!.shutdown();
    await eventually(async () => stack.worker!.getState() === 'STOPPED', 'the released worker to stop');
    const badBundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../fixtures/nondeterministic-onboarding/index.ts', import.meta.url)),
      logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const bad = await startWorker(stack, stack.db, { bundle: badBundle, identity: 'bad-deploy' });
    workers.push(bad);

    // The stage timer fires; replaying the history with the changed code fails every time.
    const failing = await eventually(() => listedFor(stack, department.code, 'workflow-task-failing'), 'the failing workflow task to be listed', 60_000, 500);
    expect(failing).toMatchObject({
      stage: 'LESSONS',
      reason: 'workflow-task-failing',
      detail: expect.objectContaining({ cause: 'non-deterministic-error', lastFailure: expect.stringMatching(/[Nn]ondeterminism/) }),
    });
    expect(failing.detail.attempts).toBeGreaterThanOrEqual(2);

    // Roll back: the bad deploy stops, the released code runs again.
    await bad.stop();
    workers.push(await startWorker(stack, stack.db, { identity: 'rolled-back' }));
    const retried = await retry(stack, department.code, 'rolled back the bad deploy');
    expect(retried.status).toBe(200);
    expect(retried.body.retried).toEqual([
      { target: expect.objectContaining({ kind: 'workflow-task', cause: 'non-deterministic-error', action: 'reset-sticky-task-queue' }), applied: true },
    ]);

    await eventually(async () => {
      const events = await stack.store.readStream(streamIdFor(department.code));
      return events.some((event) => event.type === 'StageDeadlineMissed');
    }, 'the workflow to record the missed deadline', 60_000, 500);
    expect(await listedFor(stack, department.code, 'workflow-task-failing')).toBeUndefined();
    expect((await stuckList(stack, [department.code])).map((entry) => entry.reason)).toEqual(['deadline-missed']);
  });
});
