/** What the people on call are told when an onboarding is escalated. */
export interface Escalation {
  readonly code: string;
  readonly stage: string;
  readonly reason: string;
  readonly escalatedAt: string;
  readonly actor: string;
  readonly workflowId: string;
}

export interface Notifier {
  notify(escalation: Escalation): Promise<void>;
}

/** Posts each escalation as JSON to a webhook (chat, paging or ticketing system). */
export class WebhookNotifier implements Notifier {
  constructor(
    private readonly url: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async notify(escalation: Escalation): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'onboarding-escalated', ...escalation }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) {
      throw new Error(`escalation webhook answered ${response.status}`);
    }
  }
}

/** Without a webhook configured, escalations still reach the worker's structured log. */
export class LogNotifier implements Notifier {
  async notify(escalation: Escalation): Promise<void> {
    process.stdout.write(`${JSON.stringify({ level: 'warn', msg: 'onboarding escalated', ...escalation })}\n`);
  }
}
