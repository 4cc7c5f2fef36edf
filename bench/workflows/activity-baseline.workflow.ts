import { proxyActivities } from '@temporalio/workflow';
import type { BenchActivities } from './activities.js';

const { noop } = proxyActivities<BenchActivities>({ startToCloseTimeout: '30 seconds' });

/** What an onboarding is built on, without the product: `count` activities, one after another. */
export async function activityBaseline(count: number): Promise<void> {
  for (let step = 0; step < count; step += 1) await noop();
}

