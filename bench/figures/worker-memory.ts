import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { getHeapStatistics } from 'node:v8';
import { NativeConnection, Worker } from '@temporalio/worker';
import { openDatabase } from '../../libs/database/index.js';
import { EventStore } from '../../libs/event-store/index.js';
import { INLINE_PROJECTIONS, LessonReadModel } from '../../libs/projections/index.js';
import { LogNotifier, OnboardingGateway, WORKFLOW_BUNDLER_OPTIONS, createOnboardingActivities, workflowsPath } from '../../libs/temporal/index.js';
import { benchCodes, prepareAll } from '../departments.js';
import { benchActivities } from '../workflows/activities.js';
import { finishSignal } from '../workflows/contract.js';
import { benchWorkflowsPath } from '../workflows/path.js';
import type { updateBaseline } from '../workflows/update-baseline.workflow.js';
import type { Figure, MemoryFigure } from './figure.js';

interface Sample {
  readonly heapKiB: number;
  readonly rssKiB: number;
}

/** The heap after two full collections (npm run bench runs node with --expose-gc), and RSS beside it. */
async function settled(gc: () => void): Promise<Sample> {
  await sleep(300);
  gc();
  gc();
  return { heapKiB: getHeapStatistics().used_heap_size / 1024, rssKiB: process.memoryUsage().rss / 1024 };
}

async function cachedBy(worker: Worker, count: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (worker.getStatus().numCachedWorkflows < count) {
    if (signal.aborted) throw signal.reason;
    if (Date.now() > deadline) throw new Error(`the worker caches ${worker.getStatus().numCachedWorkflows} of ${count} workflows after 2 minutes`);
    await sleep(100);
  }
}

const perWorkflow = (before: Sample, after: Sample, count: number) => ({
  heapKiBPerWorkflow: Math.round(((after.heapKiB - before.heapKiB) / count) * 10) / 10,
  rssKiBPerWorkflow: Math.round(((after.rssKiB - before.rssKiB) / count) * 10) / 10,
});

/**
 * Worker memory per cached onboarding workflow against per cached trivial workflow.
 *
 * RSS of a process that also hosts the API, the client and the bench is at the mercy of
 * the allocator (it fell while workflows were added in an earlier version of this figure),
 * so this figure counts V8 heap instead: two workers of its own run their workflows on the
 * main thread (debugMode, one reused V8 context, as production runs them in a worker
 * thread), so after forced collections the heap they add is the workflows' own. Each side
 * is counted once the worker reports all its workflows cached. Onboardings are registered
 * through the API's gateway (Update-with-start, the registration appended) and left waiting
 * in LESSONS; the trivial workflows only wait for a signal. RSS per workflow is reported
 * beside, for reference. Goal: onboarding ÷ trivial ≤ 2.
 */
export const workerMemory: Figure = {
  name: 'worker-memory-per-cached-workflow',
  async measure({ env, samples, signal, log }): Promise<MemoryFigure> {
    const count = Math.max(100, Math.min(samples * 2, 400));
    const method = 'V8 used heap after two forced collections, before and after the workflows are cached; workers of this figure run workflows on the main thread (debugMode, reused V8 context)';
    const operations = {
      api: `${count} onboarding workflows registered through the gateway and left waiting in LESSONS, cached by a worker of their own`,
      baseline: `${count} trivial workflows started, each waiting for a signal, cached by a worker of their own`,
    };
    const gc = globalThis.gc;
    if (!gc) {
      const unmeasured = 'node was started without --expose-gc (npm run bench passes it)';
      return { name: this.name, unit: 'KiB', workflows: count, method, onboarding: {}, trivial: {}, ratio: null, unmeasured, operations };
    }

    const connection = await NativeConnection.connect({ address: env.config.temporalTarget });
    const db = await openDatabase({ postgresUrl: env.config.databaseUrl! });
    const onboardingQueue = `bench-memory-onboarding-${randomUUID()}`;
    const trivialQueue = `bench-memory-trivial-${randomUUID()}`;
    // Both sides bundled alike, as the onboarding worker bundles its workflows.
    const common = { connection, namespace: env.config.temporalNamespace, debugMode: true, reuseV8Context: true, maxCachedWorkflows: count + 50 };
    const onboardingWorker = await Worker.create({
      ...common,
      taskQueue: onboardingQueue,
      workflowsPath: workflowsPath(),
      bundlerOptions: WORKFLOW_BUNDLER_OPTIONS,
      activities: createOnboardingActivities({ store: new EventStore(db, INLINE_PROJECTIONS), lessons: new LessonReadModel(db), notifier: new LogNotifier() }),
    });
    const trivialWorker = await Worker.create({
      ...common,
      taskQueue: trivialQueue,
      workflowsPath: benchWorkflowsPath(),
      bundlerOptions: WORKFLOW_BUNDLER_OPTIONS,
      activities: benchActivities,
    });
    const running = Promise.all([onboardingWorker.run(), trivialWorker.run()]);
    const trivialIds: string[] = [];
    try {
      // One of each first, so the workflow bundles' own code is loaded before counting.
      const warmId = `bench-memory-warm-${randomUUID()}`;
      trivialIds.push(warmId);
      await env.temporal.workflow.start<typeof updateBaseline>('updateBaseline', { workflowId: warmId, taskQueue: trivialQueue });
      const gateway = new OnboardingGateway(env.temporal, onboardingQueue, env.config.commandTimeoutMs);
      const context = { actor: { sub: 'bench-programme', role: 'programme' as const } };
      const register = (code: string) =>
        gateway.register({ type: 'RegisterDepartment', code, name: `Bench department ${code}`, centre: 'BENCH', plannedGoLive: '2027-06-01' }, context);
      await register('BMEMWARM');
      await Promise.all([cachedBy(trivialWorker, 1, signal), cachedBy(onboardingWorker, 1, signal)]);

      log(`${this.name}: ${count} trivial workflows, then ${count} onboardings, each side on a worker of its own`);
      const trivialBefore = await settled(gc);
      const ids = Array.from({ length: count }, () => `bench-memory-trivial-${randomUUID()}`);
      trivialIds.push(...ids);
      await prepareAll(ids, async (workflowId) => {
        await env.temporal.workflow.start<typeof updateBaseline>('updateBaseline', { workflowId, taskQueue: trivialQueue });
      });
      await cachedBy(trivialWorker, count + 1, signal);
      const trivialAfter = await settled(gc);

      const onboardingBefore = await settled(gc);
      await prepareAll(benchCodes('BMEM', count), async (code) => {
        await register(code);
      });
      await cachedBy(onboardingWorker, count + 1, signal);
      const onboardingAfter = await settled(gc);

      const trivial = perWorkflow(trivialBefore, trivialAfter, count);
      const onboarding = perWorkflow(onboardingBefore, onboardingAfter, count);
      const measurable = trivial.heapKiBPerWorkflow > 0 && onboarding.heapKiBPerWorkflow > 0;
      return {
        name: this.name,
        unit: 'KiB',
        workflows: count,
        method,
        onboarding,
        trivial,
        ratio: measurable ? Math.round((onboarding.heapKiBPerWorkflow / trivial.heapKiBPerWorkflow) * 100) / 100 : null,
        ...(measurable ? {} : { unmeasured: 'the heap did not grow on one side: a collection outside this figure freed more than the workflows took' }),
        operations,
      };
    } finally {
      await Promise.all(trivialIds.map((workflowId) => env.temporal.workflow.getHandle(workflowId).signal(finishSignal).catch(() => undefined)));
      for (const worker of [onboardingWorker, trivialWorker]) if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await db.close();
      await connection.close();
    }
  },
};
