import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { benchCodes, registerDepartment } from '../departments.js';
import type { BenchEnvironment } from '../environment.js';
import { callApi, expectResponse } from '../http.js';
import type { activityBaseline } from '../workflows/activity-baseline.workflow.js';
import type { Figure, ThroughputFigure } from './figure.js';

/** The commands that take a registered department to LIVE; each appends through one activity, the first advance reads the library too. */
const ACTIVITIES_TO_LIVE = 16;

async function driveToLive(env: BenchEnvironment, code: string): Promise<void> {
  const lead = env.token('lead', [code]);
  const centre = env.token('centre', [code]);
  const programme = env.token('programme');
  const send = async (path: string, token: string, body: unknown) =>
    expectResponse(await callApi(env, 'POST', `/api/departments/${code}/${path}`, token, body), 200, `${code} ${path}`);
  await registerDepartment(env, code);
  await send('assessment', lead, { sro: 'Bench SRO', score: 4, contractManagementFte: 2 });
  await send('advance', lead, { from: 'LESSONS' });
  await send('baseline', lead, { annualCostGbp: 1_250_000, implementationCostGbp: 300_000, headcountServed: 4200 });
  await send('advance', lead, { from: 'READINESS' });
  for (const workstream of ['hr', 'finance', 'payroll', 'procurement']) {
    await send(`migration/${workstream}`, centre, { recordsExtracted: 1000, recordsLoaded: 1000, evidenceRef: `bench-${workstream}` });
  }
  await send('advance', lead, { from: 'MIGRATION' });
  await send('go-live/decisions', lead, { as: 'department-sro', decision: 'go', reason: 'ready' });
  await send('go-live/decisions', centre, { as: 'centre', decision: 'go', reason: 'ready' });
  await send('go-live/decisions', programme, { as: 'programme', decision: 'go', reason: 'ready' });
  await send('advance', lead, { from: 'GO_LIVE' });
}

async function perSecond(count: number, run: (index: number) => Promise<void>): Promise<{ perSecond: number; seconds: number }> {
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, (_, index) => run(index)));
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: Math.round((count / seconds) * 100) / 100, seconds: Math.round(seconds * 100) / 100 };
}

/**
 * Many departments driven from registration to LIVE at once, through the API (15
 * commands, 16 activities each), against as many bare workflows that each run the same
 * number of no-op activities on the same server. Goal: our rate ÷ bare rate ≥ 0.5.
 */
export const onboardingThroughput: Figure = {
  name: 'onboarding-throughput',
  async measure({ env, samples, log }): Promise<ThroughputFigure> {
    const concurrent = Math.max(4, Math.min(32, Math.round(samples / 8)));
    const rounds = 2;
    const ours: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      log(`${this.name}: round ${round + 1}/${rounds}, ${concurrent} departments to LIVE, then ${concurrent} bare workflows`);
      const codes = benchCodes(`BT${round}`, concurrent);
      ours.push((await perSecond(concurrent, (index) => driveToLive(env, codes[index]))).perSecond);
      bare.push(
        (
          await perSecond(concurrent, async () => {
            await env.temporal.workflow.execute<typeof activityBaseline>('activityBaseline', {
              workflowId: `bench-activities-${randomUUID()}`,
              taskQueue: env.baselineTaskQueue,
              args: [ACTIVITIES_TO_LIVE],
            });
          })
        ).perSecond,
      );
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const measured = median(ours);
    const baseline = median(bare);
    return {
      name: this.name,
      unit: 'per-second',
      concurrent,
      rounds: { ours, bare },
      throughputPerSecond: { measured, baseline, ratio: Math.round((measured / baseline) * 100) / 100 },
      operations: {
        api: `${concurrent} departments at once, each registered and taken to LIVE through the API: 15 commands, ${ACTIVITIES_TO_LIVE} activities`,
        baseline: `${concurrent} bare workflows at once on the same server, each running ${ACTIVITIES_TO_LIVE} no-op activities in turn`,
      },
    };
  },
};
