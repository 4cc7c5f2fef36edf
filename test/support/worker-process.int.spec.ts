import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabaseUrl, testTemporalAddress } from './env.js';
import { TEST_JWT_SECRET } from './stack.js';
import { WorkerStartFailed, freePort, requireBuiltWorker, startWorkerProcess, type WorkerProcess } from './worker-process.js';

/** Another process that holds a port on every address, as the one that beat the worker to it. */
async function holdPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

/** Hands out the given ports first, then free ones, and counts what it handed out. */
function portsFrom(first: number[]) {
  const handedOut: number[] = [];
  const choosePort = async () => {
    const port = first.shift() ?? (await freePort());
    handedOut.push(port);
    return port;
  };
  return { choosePort, handedOut };
}

async function failure(start: Promise<WorkerProcess>): Promise<WorkerStartFailed> {
  const error = await start.then(
    async (worker) => {
      await worker.stop();
      return undefined;
    },
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof WorkerStartFailed)) throw new Error(`expected the worker not to start, got ${String(error)}`);
  return error;
}

/**
 * The worker-process helper picks a free metrics port before the worker binds it; another
 * process can take it in between. That race, and only it, is answered with a fresh port.
 */
describe('startWorkerProcess', () => {
  let held: { server: Server; port: number };
  const workers: WorkerProcess[] = [];
  const env = () => ({
    TEMPORAL_ADDRESS: testTemporalAddress(),
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    DATABASE_URL: testDatabaseUrl(),
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'ssc-test-worker-')),
  });

  beforeAll(async () => {
    requireBuiltWorker();
    held = await holdPort();
  });
  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await new Promise((resolve) => held?.server.close(resolve));
  });

  it('starts the worker on a fresh port when the one it was given is taken before it binds it', async () => {
    const { choosePort, handedOut } = portsFrom([held.port]);

    const worker = await startWorkerProcess(env(), { choosePort });
    workers.push(worker);

    expect(handedOut).toHaveLength(2);
    expect(handedOut[0]).toBe(held.port);
    expect(worker.metricsPort).toBe(handedOut[1]);
    // Its Prometheus exporter answers there: nothing else listens on a port that was free.
    expect((await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`)).status).toBe(200);
  });

  it('does not retry a worker that stops for another reason, and says why it stopped', async () => {
    const { choosePort, handedOut } = portsFrom([]);

    const stopped = await failure(startWorkerProcess({ ...env(), LOG_LEVEL: 'loud' }, { choosePort }));

    expect(handedOut).toHaveLength(1);
    expect(stopped.metricsPortTaken).toBe(false);
    expect(stopped.message).toContain('LOG_LEVEL');
  });

  it('keeps a metrics port the caller chose, and reports it taken rather than moving elsewhere', async () => {
    const { choosePort, handedOut } = portsFrom([]);

    const stopped = await failure(startWorkerProcess({ ...env(), WORKER_METRICS_PORT: String(held.port) }, { choosePort }));

    expect(handedOut).toEqual([]);
    expect(stopped.metricsPortTaken).toBe(true);
    expect(stopped.message).toContain('Address already in use');
  });
});
