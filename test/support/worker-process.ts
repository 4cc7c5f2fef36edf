import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '../../libs/temporal-server/index.js';
import { TEST_JWT_SECRET, type Stack } from './stack.js';

/** The worker exactly as production runs it: `node dist/apps/worker/src/main.js`. */
export const WORKER_MAIN = fileURLToPath(new URL('../../dist/apps/worker/src/main.js', import.meta.url));

export function requireBuiltWorker(): void {
  if (!existsSync(WORKER_MAIN)) {
    throw new Error(`${WORKER_MAIN} is missing: run \`npm run build\` first (\`npm test\` builds before it tests)`);
  }
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly metricsPort: number;
  /** The identity the worker polls with and holds the sweep lease as (`pid@host`). */
  readonly identity: string;
  /** Every line the worker wrote to stdout and stderr. */
  readonly lines: readonly string[];
  /** SIGKILL: no drain, no clean-up, activities cut off mid-flight. */
  kill(): Promise<void>;
  /** SIGTERM: the worker drains and exits on its own. */
  stop(): Promise<number | null>;
}

/** A port free on every address, where the worker's Prometheus exporter binds; below the kernel's ephemeral range, so rarely raced for. */
export function freePort(): Promise<number> {
  return findFreePort('0.0.0.0');
}

/**
 * The variables of a worker process beside a test stack: the stack's Temporal server and
 * task queue, the given database, the stack's token secret and a DATA_DIR of its own;
 * `more` adds or overrides.
 */
export function workerEnvBeside(stack: Stack, databaseUrl: string, more: Record<string, string> = {}): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: stack.config.temporalTarget,
    TEMPORAL_TASK_QUEUE: stack.config.temporalTaskQueue,
    DATABASE_URL: databaseUrl,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'ssc-test-worker-')),
    ...more,
  };
}

/**
 * The worker's own last word when the Temporal runtime could not bind its Prometheus port:
 * another process took the port `freePort` found free before the worker bound it.
 */
const METRICS_PORT_TAKEN = /^Failed to start prometheus metrics exporter: Address already in use\b/;
/** Fresh ports tried before the helper gives up; each race is rare, so more would hide a real fault. */
const METRICS_PORT_ATTEMPTS = 5;

/** The worker exited before polling, with its last lines. */
export class WorkerStartFailed extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly lines: readonly string[],
  ) {
    super(`worker exited with ${exitCode} before polling:\n${lines.slice(-20).join('\n')}`);
  }

  /** It stopped because its metrics port was taken, and for nothing else. */
  get metricsPortTaken(): boolean {
    return this.lines.some((line) => {
      try {
        const entry = JSON.parse(line) as { msg?: unknown; error?: unknown };
        return entry.msg === 'worker stopped' && typeof entry.error === 'string' && METRICS_PORT_TAKEN.test(entry.error);
      } catch {
        return false;
      }
    });
  }
}

export interface WorkerStartOptions {
  readonly readyTimeoutMs?: number;
  /** Where each attempt's metrics port comes from (tests of this helper hand out a taken one). */
  readonly choosePort?: () => Promise<number>;
}

/**
 * Starts a worker child process with only the variables given (no jest NODE_OPTIONS), once it
 * polls. Its metrics port is one found free just before; should another process take it first
 * (the worker then stops at once, saying so), the worker is started again on a fresh port. A
 * WORKER_METRICS_PORT given in `env` is used as it is, and any other failure is the caller's.
 */
export async function startWorkerProcess(env: Record<string, string>, options: WorkerStartOptions = {}): Promise<WorkerProcess> {
  requireBuiltWorker();
  const choosePort = options.choosePort ?? freePort;
  for (let attempt = 1; ; attempt++) {
    const metricsPort = env.WORKER_METRICS_PORT === undefined ? await choosePort() : Number(env.WORKER_METRICS_PORT);
    try {
      return await startWorkerOnce({ ...env, WORKER_METRICS_PORT: String(metricsPort) }, metricsPort, options.readyTimeoutMs ?? 60_000);
    } catch (error) {
      const raced = error instanceof WorkerStartFailed && error.metricsPortTaken && env.WORKER_METRICS_PORT === undefined;
      if (!raced || attempt >= METRICS_PORT_ATTEMPTS) throw error;
    }
  }
}

async function startWorkerOnce(env: Record<string, string>, metricsPort: number, readyTimeoutMs: number): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [WORKER_MAIN], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let identity = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not polling after ${readyTimeoutMs} ms:\n${lines.slice(-20).join('\n')}`)), readyTimeoutMs);
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(line);
        if (line.includes('"msg":"worker polling"')) {
          identity = (JSON.parse(line) as { identity: string }).identity;
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    // 'exit' can come before the last output: the reason is read once both pipes are drained.
    child.once('close', (code: number | null) => {
      clearTimeout(timer);
      reject(new WorkerStartFailed(code, lines));
    });
  });
  await ready;
  return {
    child,
    metricsPort,
    identity,
    lines,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
