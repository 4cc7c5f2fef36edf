import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEARCH_ATTRIBUTE_TYPES } from '../../libs/temporal/search-attributes.js';
import { startDevServer, type DevServer } from '../../libs/temporal-server/index.js';
import { ThrowawayPostgres, withTestDatabaseUrl } from './audit-tamper.js';
import { EventsTableLock } from './events-table-lock.js';
import { startStack, type Stack } from './stack.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { requireBuiltWorker, startWorkerProcess, workerEnvBeside, type WorkerProcess } from './worker-process.js';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * For the tests that lose an append's workflow task on purpose: a stack without a worker,
 * on a PostgreSQL database of its own (with a lock on its events table) and a Temporal dev
 * server of its own (on a SQLite file, so it can be restarted and forget pending Updates),
 * and built worker processes that reach that server directly or through a TCP proxy the
 * test can cut.
 */
export class PartitionedStack {
  private readonly workers: WorkerProcess[] = [];

  private constructor(
    readonly stack: Stack,
    readonly database: ThrowawayPostgres,
    readonly locker: EventsTableLock,
    /** Between workers started `viaPartition` and the Temporal server. */
    readonly partition: TcpProxy,
    private temporal: DevServer,
    private readonly temporalFile: string,
    private readonly workerEnv: Record<string, string>,
  ) {}

  /** `workerEnv` is added to every worker's variables, `stackEnv` to the API's. */
  static async start(workerEnv: Record<string, string> = {}, stackEnv: Record<string, string> = {}): Promise<PartitionedStack> {
    requireBuiltWorker();
    const temporalFile = join(mkdtempSync(join(tmpdir(), 'ssc-partitioned-temporal-')), 'temporal.sqlite');
    const opened: { close(): Promise<unknown> }[] = [];
    try {
      const temporal = await startTemporal(temporalFile);
      opened.push({ close: () => temporal.stop() });
      const [host, port] = temporal.address.split(':');
      const partition = await startTcpProxy(host, Number(port));
      opened.push(partition);
      const database = await ThrowawayPostgres.create();
      opened.push({ close: () => database.drop() });
      const stack = await withTestDatabaseUrl(database.url, () =>
        startStack({ withoutWorker: true, temporalAddress: temporal.address, env: { COMMAND_TIMEOUT_MS: '3000', ...stackEnv } }),
      );
      opened.push(stack);
      const locker = await EventsTableLock.connect(database.url);
      return new PartitionedStack(stack, database, locker, partition, temporal, temporalFile, workerEnv);
    } catch (error) {
      // What did open is closed, last first, so a failed start leaves no server or database behind.
      for (const resource of opened.reverse()) await resource.close().catch(() => undefined);
      throw error;
    }
  }

  async startWorker(options: { viaPartition?: boolean } = {}): Promise<WorkerProcess> {
    const address = options.viaPartition ? `127.0.0.1:${this.partition.port}` : this.temporal.address;
    const worker = await startWorkerProcess(workerEnvBeside(this.stack, this.database.url, { ...this.workerEnv, TEMPORAL_ADDRESS: address }));
    this.workers.push(worker);
    return worker;
  }

  /** Stops the Temporal server and starts it again on the same port and file: pending Updates are forgotten. */
  async restartTemporal(): Promise<void> {
    await this.temporal.stop();
    this.temporal = await startTemporal(this.temporalFile, Number(this.temporal.address.split(':')[1]));
  }

  async close(): Promise<void> {
    await this.locker.close();
    for (const worker of this.workers) await worker.stop();
    await this.partition.close();
    await this.stack.close();
    await this.temporal.stop();
    await this.database.drop();
  }
}

function startTemporal(dbFilename: string, port?: number): Promise<DevServer> {
  return startDevServer({ projectRoot: PROJECT_ROOT, dbFilename, port, searchAttributes: SEARCH_ATTRIBUTE_TYPES, log: () => undefined });
}
