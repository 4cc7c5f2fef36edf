import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchCodes, prepareAll, registerDepartment } from '../departments.js';
import type { updateBaseline } from '../workflows/update-baseline.workflow.js';
import { finishSignal } from '../workflows/contract.js';
import type { Figure, FigureResult } from './figure.js';

/** `npm run bench` runs node with --expose-gc, so garbage does not count as workflow memory. */
function rssMiB(): number {
  global.gc?.();
  return process.memoryUsage().rss / 2 ** 20;
}

/** Resident memory added by `count` workflows the worker keeps cached, per workflow, in KiB. */
async function rssPerWorkflow(count: number, start: () => Promise<void>): Promise<{ deltaMiB: number; perWorkflowKiB: number }> {
  await sleep(500);
  const before = rssMiB();
  await prepareAll(Array.from({ length: count }, (_, index) => String(index)), start);
  await sleep(1000);
  const deltaMiB = rssMiB() - before;
  return { deltaMiB: Math.round(deltaMiB * 10) / 10, perWorkflowKiB: Math.round(((deltaMiB * 1024) / count) * 10) / 10 };
}

/**
 * Worker memory (RSS of the bench process, which hosts the worker) added per cached
 * onboarding workflow (registered through the API, waiting in LESSONS) against per cached
 * trivial workflow (one that only waits for a signal). Trivial first, so the onboarding side
 * also pays any growth of the process itself. Goal: onboarding ÷ trivial ≤ 2.
 */
export const workerMemory: Figure = {
  name: 'worker-memory-per-cached-workflow',
  async measure({ env, samples, log }): Promise<FigureResult> {
    const count = Math.max(100, samples * 2);
    log(`${this.name}: ${count} trivial workflows, then ${count} onboardings`);
    const trivialIds: string[] = [];
    const trivial = await rssPerWorkflow(count, async () => {
      const workflowId = `bench-trivial-${randomUUID()}`;
      trivialIds.push(workflowId);
      await env.temporal.workflow.start<typeof updateBaseline>('updateBaseline', { workflowId, taskQueue: env.baselineTaskQueue });
    });
    const codes = benchCodes('BMEM', count);
    let next = 0;
    const onboarding = await rssPerWorkflow(count, () => registerDepartment(env, codes[next++]));
    await Promise.all(trivialIds.map((workflowId) => env.temporal.workflow.getHandle(workflowId).signal(finishSignal)));
    return {
      name: this.name,
      unit: 'KiB',
      workflows: count,
      onboarding,
      trivial,
      // RSS can shrink when the collector returns memory: such a run measured nothing.
      ratio: onboarding.perWorkflowKiB > 0 && trivial.perWorkflowKiB > 0 ? Math.round((onboarding.perWorkflowKiB / trivial.perWorkflowKiB) * 100) / 100 : null,
      operations: {
        api: `${count} onboarding workflows registered through the API and left waiting in LESSONS (cached by the worker)`,
        baseline: `${count} trivial workflows started, each waiting for a signal (cached by the same process's other worker)`,
      },
    } as unknown as FigureResult;
  },
};
