import type { MetricGauge, MetricMeter } from '@temporalio/common';
import type { SqlExecutor } from '../database/index.js';
import { STAGES } from '../domain/index.js';
import { STUCK_REASONS, StuckReadModel } from '../projections/index.js';
import { errorMessage, type JsonLogger } from './json-log.js';

/**
 * Departments per stage, overdue and stuck, published through the Temporal runtime's
 * meter so they are scraped from the worker's metrics port beside the SDK's own metrics.
 * Every worker reports the same figures from the read models: aggregate with `max`.
 */
export class OnboardingGauges {
  private readonly perStage: MetricGauge;
  private readonly overdue: MetricGauge;
  private readonly stuck: MetricGauge;
  private readonly stuckRead: StuckReadModel;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(
    meter: MetricMeter,
    private readonly db: SqlExecutor,
    decisionWaitLimitMs: number,
    private readonly log?: JsonLogger,
  ) {
    this.perStage = meter.createGauge('onboarding_departments', 'int', '', 'Departments in each stage');
    this.overdue = meter.createGauge('onboarding_departments_overdue', 'int', '', 'Departments that missed their current stage deadline');
    this.stuck = meter.createGauge('onboarding_stuck', 'int', '', 'Onboardings stuck, by reason (as GET /api/operations/stuck lists them)');
    this.stuckRead = new StuckReadModel(db, decisionWaitLimitMs);
  }

  async refresh(now = new Date()): Promise<void> {
    const rows = await this.db.query<{ stage: string; count: number | string }>(`SELECT stage, COUNT(*) AS count FROM departments GROUP BY stage`);
    const byStage = new Map(rows.map((row) => [row.stage, Number(row.count)]));
    for (const stage of STAGES) this.perStage.set(byStage.get(stage) ?? 0, { stage });
    const [overdue] = await this.db.query<{ count: number | string }>(`SELECT COUNT(*) AS count FROM departments WHERE overdue = $1`, [true]);
    this.overdue.set(Number(overdue?.count ?? 0));
    const stuck = await this.stuckRead.counts(now);
    for (const reason of STUCK_REASONS) this.stuck.set(stuck[reason], { reason });
  }

  start(intervalMs: number): void {
    this.stopped = false;
    const tick = () => {
      this.refresh()
        .catch((error: unknown) => this.log?.warn('could not refresh onboarding gauges', { error: errorMessage(error) }))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, intervalMs).unref();
        });
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
