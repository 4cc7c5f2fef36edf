import type { Client } from '@temporalio/client';
import type { SqlExecutor } from '../database/index.js';
import { OBSERVED_STUCK_REASONS, StuckReadModel } from '../projections/index.js';
import { diagnoseWorkflow, observedFacts } from './diagnosis.js';
import { errorMessage, type JsonLogger } from './json-log.js';
import { ONBOARDING_WORKFLOW_ID_PREFIX } from '../domain/index.js';

/** The `operations_sweeps` row of one task queue's sweep: its lease and when it last ran. */
export function sweepLeaseName(namespace: string, taskQueue: string): string {
  return `stuck-sweep:${namespace}:${taskQueue}`;
}

export interface StuckMonitorOptions {
  readonly client: Client;
  readonly db: SqlExecutor;
  readonly namespace: string;
  /** The onboarding task queue: one sweep per queue, whatever the number of workers. */
  readonly taskQueue: string;
  readonly intervalMs: number;
  /** Running workflows looked at per sweep, besides suspects and those already listed. */
  readonly batchSize: number;
  /** This process, as the holder of the sweep lease. */
  readonly holder: string;
  readonly log?: JsonLogger;
}

export interface SweepReport {
  /** False when another worker holds the lease: this one looked at nothing. */
  readonly swept: boolean;
  readonly examined: number;
  readonly activityFailing: number;
  readonly workflowTaskFailing: number;
}

/**
 * Keeps the observed half of `stuck_onboardings` true: which onboardings have an activity
 * or a workflow task that keeps failing. Temporal does not index either, so each sweep
 * describes a few candidates only: workflows a worker saw an activity of fail, those
 * already listed (to confirm or clear them), and the next page of a visibility scan of
 * running onboardings, so that every workflow is looked at within a bounded time.
 */
export class StuckMonitor {
  private readonly stuck: StuckReadModel;
  /** workflowId → when a worker first saw one of its activities fail. */
  private readonly suspects = new Map<string, string>();
  private scanToken: Uint8Array | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: StuckMonitorOptions) {
    // The decision limit only filters reads; the monitor writes observed facts.
    this.stuck = new StuckReadModel(options.db, 0);
  }

  /** A worker saw an attempt of this workflow's activity fail: look at it in the next sweep. */
  suspect(workflowId: string, failedAt = new Date().toISOString()): void {
    if (!workflowId.startsWith(ONBOARDING_WORKFLOW_ID_PREFIX)) return;
    const known = this.suspects.get(workflowId);
    if (!known || Date.parse(failedAt) < Date.parse(known)) this.suspects.set(workflowId, failedAt);
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      this.running = this.sweepOnce()
        .catch((error: unknown) => this.options.log?.warn('stuck sweep failed', { error: errorMessage(error) }))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  async sweepOnce(now = new Date()): Promise<SweepReport> {
    const holder = await this.holdLease(now);
    if (holder !== this.options.holder) {
      this.options.log?.debug('stuck sweep left to the lease holder', { holder });
      return { swept: false, examined: 0, activityFailing: 0, workflowTaskFailing: 0 };
    }
    const suspects = new Map(this.suspects);
    this.suspects.clear();
    const listed = (await this.stuck.observedCodes()).map((code) => `${ONBOARDING_WORKFLOW_ID_PREFIX}${code}`);
    const scanned = await this.nextScanPage();
    const candidates = [...new Set([...suspects.keys(), ...listed, ...scanned])];
    let activityFailing = 0;
    let workflowTaskFailing = 0;
    await eachLimited(candidates, 8, async (workflowId) => {
      try {
        const facts = observedFacts(await diagnoseWorkflow(this.options.client, this.options.namespace, workflowId), now, suspects.get(workflowId));
        const code = workflowId.slice(ONBOARDING_WORKFLOW_ID_PREFIX.length);
        for (const reason of OBSERVED_STUCK_REASONS) {
          const fact = facts[reason as keyof typeof facts];
          await this.stuck.saveObserved(code, reason, fact, now.toISOString());
        }
        if (facts['activity-failing']) activityFailing += 1;
        if (facts['workflow-task-failing']) workflowTaskFailing += 1;
      } catch (error) {
        // Looked at again next time; one unreachable workflow must not stop the sweep.
        if (suspects.has(workflowId)) this.suspect(workflowId, suspects.get(workflowId));
        this.options.log?.warn('could not diagnose workflow', { workflowId, error: errorMessage(error) });
      }
    });
    await this.options.db.query(`UPDATE operations_sweeps SET swept_at = $1 WHERE name = $2`, [now.toISOString(), this.leaseName()]);
    const report = { swept: true, examined: candidates.length, activityFailing, workflowTaskFailing };
    this.options.log?.debug('stuck sweep', { sweptAt: now.toISOString(), examined: report.examined, activityFailing, workflowTaskFailing });
    return report;
  }

  /** One sweeper per task queue at a time: the lease passes on when its holder stops renewing it. Answers who holds it. */
  private async holdLease(now: Date): Promise<string | undefined> {
    const until = new Date(now.getTime() + Math.max(3 * this.options.intervalMs, 10_000)).toISOString();
    await this.options.db.query(
      `INSERT INTO operations_sweeps (name, holder, lease_until) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
       WHERE operations_sweeps.holder = excluded.holder OR operations_sweeps.lease_until < $4`,
      [this.leaseName(), this.options.holder, until, now.toISOString()],
    );
    const [row] = await this.options.db.query<{ holder: string }>(`SELECT holder FROM operations_sweeps WHERE name = $1`, [this.leaseName()]);
    return row?.holder;
  }

  private leaseName(): string {
    return sweepLeaseName(this.options.namespace, this.options.taskQueue);
  }

  /** The next page of running onboardings on this queue; starts over once the end is reached. */
  private async nextScanPage(): Promise<string[]> {
    const response = await this.options.client.workflowService.listWorkflowExecutions({
      namespace: this.options.namespace,
      pageSize: this.options.batchSize,
      nextPageToken: this.scanToken,
      query: `WorkflowType = 'onboarding' AND ExecutionStatus = 'Running' AND TaskQueue = ${JSON.stringify(this.options.taskQueue)}`,
    });
    this.scanToken = response.nextPageToken && response.nextPageToken.length > 0 ? response.nextPageToken : undefined;
    return (response.executions ?? []).map((execution) => execution.execution?.workflowId ?? '').filter((id) => id.startsWith(ONBOARDING_WORKFLOW_ID_PREFIX));
  }
}

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}
