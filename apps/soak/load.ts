import { driveDepartment, JOURNEY_LENGTH, type Attempt, type Cutoff } from '../fleet/journey.js';

export interface LoadOptions {
  readonly codes: readonly string[];
  /** Departments whose journeys run at the same time; the rest wait their turn. */
  readonly concurrency: number;
  readonly apiUrls: () => readonly string[];
  readonly jwtSecret: string;
  /** How long one command may keep answering 503 (or not at all) before its journey gives up. */
  readonly patienceMs: number;
  /** The soak's time limit: no journey starts, and none sends a new command, from `sendUntil` (see Cutoff). */
  readonly cutoff?: Cutoff;
  /** How requests go out; `fetch` unless a test scripts the API's answers. */
  readonly fetch?: typeof fetch;
}

/** What a load's cutoff left undone: none of it counts as lost, and none of it passed. */
export interface CutShort {
  /** When sending stopped. */
  readonly at: string;
  /** Departments whose journey never started. */
  readonly departmentsNotStarted: number;
  /** Journeys stopped before their next command. */
  readonly journeysStopped: number;
  /** Commands given up unanswered at the cutoff: never acknowledged, perhaps recorded. */
  readonly commandsAbandoned: number;
  /** Every department cut short, in any of the three ways. */
  readonly codes: readonly string[];
}

/** Departments driven from registration to LIVE, every HTTP call as the client saw it. */
export class Load {
  readonly attempts: Attempt[] = [];
  readonly finished = new Set<string>();
  readonly done: Promise<void>;
  private readonly acknowledgedKeys = new Set<string>();
  private readonly notStarted: string[] = [];
  private readonly stopped = new Map<string, 'not-sent' | 'abandoned'>();

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

  /** Whether the cutoff has stopped the load sending new commands. */
  get sendingStopped(): boolean {
    return this.options.cutoff !== undefined && Date.now() >= this.options.cutoff.sendUntil;
  }

  /** What the cutoff left undone, once the load is done; null when it cut nothing. */
  get cutShort(): CutShort | null {
    if (this.notStarted.length === 0 && this.stopped.size === 0) return null;
    const stoppedAs = (how: 'not-sent' | 'abandoned') => [...this.stopped.values()].filter((value) => value === how).length;
    return {
      at: new Date(this.options.cutoff!.sendUntil).toISOString(),
      departmentsNotStarted: this.notStarted.length,
      journeysStopped: stoppedAs('not-sent'),
      commandsAbandoned: stoppedAs('abandoned'),
      codes: [...this.notStarted, ...this.stopped.keys()].sort(),
    };
  }

  /**
   * Resolves once `fraction` of the load's commands have been acknowledged (true), or the
   * load ends or stops sending first (false).
   */
  async untilAcknowledged(fraction: number): Promise<boolean> {
    const target = Math.ceil(this.expectedCommands * fraction);
    let ended = false;
    void this.done.finally(() => (ended = true));
    while (!ended && !this.sendingStopped && this.acknowledged < target) await new Promise((resolve) => setTimeout(resolve, 100));
    return this.acknowledged >= target;
  }

  private async run(): Promise<void> {
    const queue = [...this.options.codes];
    const record = (attempt: Attempt) => {
      this.attempts.push(attempt);
      if (isSuccess(attempt.status)) this.acknowledgedKeys.add(attempt.key);
    };
    const next = () => {
      if (this.sendingStopped) this.notStarted.push(...queue.splice(0));
      return queue.shift();
    };
    const { apiUrls, jwtSecret, patienceMs, cutoff } = this.options;
    await Promise.all(
      Array.from({ length: Math.min(this.options.concurrency, queue.length) }, async () => {
        for (let code = next(); code !== undefined; code = next()) {
          const outcomes = await driveDepartment(code, { apiUrls, jwtSecret, patienceMs, cutoff, record, ...(this.options.fetch ? { fetch: this.options.fetch } : {}) });
          const cut = outcomes.at(-1)?.cutShort;
          if (cut) this.stopped.set(code, cut);
          else this.finished.add(code);
        }
      }),
    );
  }
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
