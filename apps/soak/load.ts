import { driveDepartment, JOURNEY_LENGTH, type Attempt } from '../fleet/journey.js';

export interface LoadOptions {
  readonly codes: readonly string[];
  /** Departments whose journeys run at the same time; the rest wait their turn. */
  readonly concurrency: number;
  readonly apiUrls: () => readonly string[];
  readonly jwtSecret: string;
  /** How long one command may keep answering 503 (or not at all) before its journey gives up. */
  readonly patienceMs: number;
}

/** Departments driven from registration to LIVE, every HTTP call as the client saw it. */
export class Load {
  readonly attempts: Attempt[] = [];
  readonly finished = new Set<string>();
  readonly done: Promise<void>;
  private readonly acknowledgedKeys = new Set<string>();

  constructor(private readonly options: LoadOptions) {
    this.done = this.run();
  }

  /** Commands the load will send when every journey completes. */
  get expectedCommands(): number {
    return this.options.codes.length * JOURNEY_LENGTH;
  }

  get acknowledged(): number {
    return this.acknowledgedKeys.size;
  }

  /** Resolves once `fraction` of the load's commands have been acknowledged, or the load ends first. */
  async untilAcknowledged(fraction: number): Promise<void> {
    const target = Math.ceil(this.expectedCommands * fraction);
    let ended = false;
    void this.done.finally(() => (ended = true));
    while (!ended && this.acknowledged < target) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  private async run(): Promise<void> {
    const queue = [...this.options.codes];
    const record = (attempt: Attempt) => {
      this.attempts.push(attempt);
      if (isSuccess(attempt.status)) this.acknowledgedKeys.add(attempt.key);
    };
    await Promise.all(
      Array.from({ length: Math.min(this.options.concurrency, queue.length) }, async () => {
        for (let code = queue.shift(); code !== undefined; code = queue.shift()) {
          await driveDepartment(code, { apiUrls: this.options.apiUrls, jwtSecret: this.options.jwtSecret, patienceMs: this.options.patienceMs, record });
          this.finished.add(code);
        }
      }),
    );
  }
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
