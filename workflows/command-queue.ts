/**
 * The onboarding's Updates run one at a time, in the order they were accepted, so each
 * decides on the state the previous one left. A command that fails does not stop the ones
 * queued behind it.
 */
export class CommandQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private running = 0;

  /** Commands accepted whose work (and so whose events, folded into the state) is not finished. */
  get inFlight(): number {
    return this.running;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    this.running += 1;
    const next = this.tail.then(work, work).finally(() => {
      this.running -= 1;
    });
    this.tail = next.catch(() => undefined);
    return next;
  }
}
