import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { findFreePort } from '../../libs/temporal-server/index.js';

export type Role = 'api' | 'worker';

/** One API or worker process of the fleet, started exactly as production starts it. */
export class FleetProcess {
  child: ChildProcess | undefined;
  readonly lines: string[] = [];

  private constructor(
    readonly role: Role,
    readonly name: string,
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly port: number | undefined,
  ) {}

  static async create(projectRoot: string, role: Role, name: string, env: NodeJS.ProcessEnv): Promise<FleetProcess> {
    const port = role === 'api' ? await findFreePort('127.0.0.1') : undefined;
    const metrics = role === 'worker' ? { WORKER_METRICS_PORT: String(await findFreePort('127.0.0.1')) } : {};
    const script = join(projectRoot, 'dist', 'apps', role, 'src', 'main.js');
    const processEnv = { ...env, ...metrics, ...(port ? { PORT: String(port) } : {}) };
    const created = new FleetProcess(role, name, script, processEnv, port);
    await created.start();
    return created;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts (again) and resolves once the API answers /health or the worker polls. */
  async start(timeoutMs = 90_000): Promise<void> {
    const child = spawn(process.execPath, [this.script], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let polling = false;
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        this.lines.push(line);
        if (this.lines.length > 2000) this.lines.splice(0, 1000);
        if (line.includes('"msg":"worker polling"')) polling = true;
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`${this.name} exited before it was ready:\n${this.lines.slice(-20).join('\n')}`);
      if (this.role === 'worker' ? polling : await this.healthy()) return;
      if (Date.now() > deadline) throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.lines.slice(-20).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** SIGKILL: no drain, requests and activities cut off mid-flight. */
  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(force);
  }

  private async healthy(): Promise<boolean> {
    try {
      return (await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2000) })).ok;
    } catch {
      return false;
    }
  }
}
