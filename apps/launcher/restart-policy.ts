export interface RestartPolicyOptions {
  /** Wait before the first restart; doubled for each crash still inside the window. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** This many crashes inside `windowMs` is a crash loop: restarting again would not help. */
  readonly crashLoopCount: number;
  readonly windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  initialDelayMs: 500,
  maxDelayMs: 15_000,
  crashLoopCount: 5,
  windowMs: 60_000,
};

export type RestartDecision =
  | { readonly action: 'restart'; readonly delayMs: number; readonly recentCrashes: number }
  | { readonly action: 'give-up'; readonly recentCrashes: number };

/** When a crashed child process is started again, with exponential backoff, and when to stop trying. */
export class RestartPolicy {
  private crashes: number[] = [];

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  onCrash(at: number): RestartDecision {
    this.crashes = [...this.crashes.filter((crash) => at - crash < this.options.windowMs), at];
    const recentCrashes = this.crashes.length;
    if (recentCrashes >= this.options.crashLoopCount) return { action: 'give-up', recentCrashes };
    const delayMs = Math.min(this.options.initialDelayMs * 2 ** (recentCrashes - 1), this.options.maxDelayMs);
    return { action: 'restart', delayMs, recentCrashes };
  }
}
