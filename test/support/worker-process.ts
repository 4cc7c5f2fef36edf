import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
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

/** Starts a worker child process with only the variables given (no jest NODE_OPTIONS), once it polls. */
export async function startWorkerProcess(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<WorkerProcess> {
  requireBuiltWorker();
  const metricsPort = await freePort();
  const child = spawn(process.execPath, [WORKER_MAIN], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', WORKER_METRICS_PORT: String(metricsPort), ...env },
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
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before polling:\n${lines.slice(-20).join('\n')}`));
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
