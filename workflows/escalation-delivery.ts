import { log, patched, proxyActivities } from '@temporalio/workflow';
import type { OnboardingActivities } from '../libs/temporal/activities.js';
import type { Escalation } from '../libs/temporal/notifier.js';

/** Before the patch: inside the command queue, and the workflow failed after 20 attempts. */
const { notifyEscalation } = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes', maximumAttempts: 20 },
});

/** Delivered beside the command queue: an outage delays the message, never the onboarding. */
const { notifyEscalation: deliverEscalation } = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
});

const ESCALATION_BESIDE_COMMAND_QUEUE = 'escalation-beside-command-queue';

/**
 * Escalations on their way to the people on call (ESCALATION_WEBHOOK_URL, or the worker's
 * log). They used to be delivered inside the command queue, so a webhook outage held up
 * every later command and, after 20 attempts, failed the workflow; histories from before
 * the patch replay the old way. The workflow waits for `allDelivered` before it finishes
 * or continues as new, so no message is dropped.
 */
export class EscalationDelivery {
  private readonly deliveries = new Set<Promise<void>>();

  /** Resolves at once (the message goes on retrying on its own), except on histories from before the patch. */
  async send(escalation: Escalation): Promise<void> {
    if (!patched(ESCALATION_BESIDE_COMMAND_QUEUE)) {
      await notifyEscalation(escalation);
      return;
    }
    const delivery: Promise<void> = deliverEscalation(escalation)
      .catch((error: unknown) => log.error('escalation not delivered', { code: escalation.code, error: String(error) }))
      .finally(() => this.deliveries.delete(delivery));
    this.deliveries.add(delivery);
  }

  get allDelivered(): boolean {
    return this.deliveries.size === 0;
  }
}
