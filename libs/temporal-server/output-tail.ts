import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

/**
 * Keeps the last lines a child process wrote, so that a failure can show what the
 * process said instead of a bare exit code.
 */
export class OutputTail {
  private readonly lines: string[] = [];

  constructor(private readonly capacity = 40) {}

  follow(stream: Readable | null, onLine?: (line: string) => void): void {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      this.push(line);
      onLine?.(line);
    });
  }

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.shift();
  }

  toString(): string {
    return this.lines.length === 0 ? '(no output)' : this.lines.join('\n');
  }
}
