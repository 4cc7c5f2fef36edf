import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Log } from './log.js';
import { OutputTail } from './output-tail.js';

const STOP_GRACE_MS = 10_000;

/**
 * A long-running child process whose last output lines are kept for error messages, and
 * which dies with its parent: a test runner or launcher that crashes must not leave a
 * server holding its port and database file.
 */
export class ServerProcess {
  readonly output = new OutputTail();
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private exitReason: string | undefined;
  private stopping: Promise<void> | undefined;
  private readonly killOnParentExit = (): void => void this.child.kill('SIGKILL');

  constructor(
    private readonly command: string,
    args: readonly string[],
    private readonly log: Log,
    options: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string } = {},
  ) {
    this.child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    this.output.follow(this.child.stdout);
    this.output.follow(this.child.stderr);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.exitReason = `could not run ${command}: ${error.message}`;
        resolve();
      });
      this.child.once('exit', (code, signal) => {
        this.exitReason = signal ? `signal ${signal}` : `exit code ${code}`;
        resolve();
      });
    });
    process.on('exit', this.killOnParentExit);
  }

  /** Why the process is gone, or undefined while it runs. */
  get exitedWith(): string | undefined {
    return this.exitReason;
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
  stop(): Promise<void> {
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  private async terminate(): Promise<void> {
    process.off('exit', this.killOnParentExit);
    if (this.exitReason) return;
    this.child.kill('SIGTERM');
    if (await this.exitsWithin(STOP_GRACE_MS)) return;
    this.log(`${this.command} (pid ${this.child.pid}) ignored SIGTERM for ${STOP_GRACE_MS / 1000}s; killing it`);
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private async exitsWithin(ms: number): Promise<boolean> {
    const graceOver = new AbortController();
    try {
      return await Promise.race([
        this.exited.then(() => true),
        sleep(ms, false, { signal: graceOver.signal }).catch(() => false),
      ]);
    } finally {
      graceOver.abort(); // a pending timer would keep the caller's process alive
    }
  }
}
