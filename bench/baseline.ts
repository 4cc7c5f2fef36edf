import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { BenchEnvironment } from './environment.js';
import { finishSignal, localActivitiesUpdate, noopUpdate } from './workflows/contract.js';
import type { updateBaseline } from './workflows/update-baseline.workflow.js';

const ACCEPTED = 'accepted-';
const withLocalActivities = (count: number) => `local-activities-${count}-`;

/** What an accepted baseline Update ran, read from its id: `accepted` or `local-activities-<n>`; null for another Update. */
export function kindOfUpdate(updateId: string): string | null {
  const kind = /^(accepted|local-activities-\d+)-/.exec(updateId);
  return kind ? kind[1] : null;
}

/** A running bench/workflows `updateBaseline` workflow to send no-op Updates to. */
export class UpdateBaseline {
  private constructor(private readonly handle: WorkflowHandle<typeof updateBaseline>) {}

  static async start(env: BenchEnvironment): Promise<UpdateBaseline> {
    const handle = await env.temporal.workflow.start<typeof updateBaseline>('updateBaseline', {
      workflowId: `bench-baseline-${randomUUID()}`,
      taskQueue: env.baselineTaskQueue,
    });
    return new UpdateBaseline(handle);
  }

  /** An Update the validator accepts and the handler completes at once. */
  async accepted(): Promise<void> {
    await this.handle.executeUpdate(noopUpdate, { args: [{ accept: true }], updateId: `${ACCEPTED}${randomUUID()}` });
  }

  /** An accepted Update whose handler runs `count` no-op local activities, one after another, in its workflow task. */
  async withLocalActivities(count: number): Promise<void> {
    await this.handle.executeUpdate(localActivitiesUpdate, { args: [{ localActivities: count }], updateId: `${withLocalActivities(count)}${randomUUID()}` });
  }

  /** This workflow's history, in which each accepted Update's id starts with what it ran (see `kindOfUpdate`). */
  fetchHistory() {
    return this.handle.fetchHistory();
  }

  /** An Update the validator refuses: nothing reaches the history. */
  async refused(): Promise<void> {
    try {
      await this.handle.executeUpdate(noopUpdate, { args: [{ accept: false }] });
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) return;
      throw error;
    }
    throw new Error('the baseline validator accepted an Update it should refuse');
  }

  async finish(): Promise<void> {
    await this.handle.signal(finishSignal);
    await this.handle.result();
  }
}
