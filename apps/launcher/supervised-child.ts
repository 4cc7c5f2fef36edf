import { spawn, type ChildProcess } from 'node:child_process';
import { RestartPolicy } from './restart-policy.js';

/** A child process of `npm start` that is started again when it dies on its own. */
export class SupervisedChild {
  private process: ChildProcess | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly policy = new RestartPolicy();

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly say: (line: string) => void,
    private readonly onCrashLoop: (name: string, crashes: number) => void,
  ) {}

  start(): void {
    const child = spawn(process.execPath, [this.script], { env: this.env, stdio: ['ignore', 'inherit', 'inherit'] });
    this.process = child;
    this.say(`${this.name} started (pid ${child.pid})`);
    child.once('exit', (code, signal) => this.exited(code, signal));
  }

  stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping) return;
    const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
    const decision = this.policy.onCrash(Date.now());
    if (decision.action === 'give-up') {
      this.say(`${this.name} ${how}`);
      this.onCrashLoop(this.name, decision.recentCrashes);
      return;
    }
    this.say(`${this.name} ${how}; restarting it in ${decision.delayMs} ms`);
    this.restartTimer = setTimeout(() => this.start(), decision.delayMs);
  }
}
