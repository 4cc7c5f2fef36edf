import type { Progress } from '../../libs/audit/index.js';

interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const WIDTH = 30;

/**
 * A progress bar on stderr, so stdout stays clean for results. On a terminal it redraws
 * one line; elsewhere (CI logs, pipes) it prints a line at every tenth of the work.
 */
export class ProgressBar implements Progress {
  private total = 0;
  private count = 0;
  private unit = '';
  private lastTenth = -1;
  private started = 0;

  constructor(
    private readonly out: Output,
    private readonly label: string,
  ) {}

  start(total: number, unit: string): void {
    this.total = total;
    this.count = 0;
    this.unit = unit;
    this.lastTenth = -1;
    this.started = Date.now();
    this.draw();
  }

  tick(count = 1): void {
    this.count = Math.min(this.total, this.count + count);
    this.draw();
  }

  done(): void {
    this.count = this.total;
    this.draw(true);
    if (this.out.isTTY) this.out.write('\n');
  }

  private draw(final = false): void {
    const fraction = this.total === 0 ? 1 : this.count / this.total;
    const line = `${this.label} [${'#'.repeat(Math.round(fraction * WIDTH)).padEnd(WIDTH, '.')}] ${Math.floor(fraction * 100)
      .toString()
      .padStart(3)}% ${this.count}/${this.total} ${this.unit} ${((Date.now() - this.started) / 1000).toFixed(1)}s`;
    if (this.out.isTTY) {
      this.out.write(`\r${line}`);
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth !== this.lastTenth || (final && this.lastTenth !== 10)) {
      this.lastTenth = tenth;
      this.out.write(`${line}\n`);
    }
  }
}
