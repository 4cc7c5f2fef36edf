import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogEntry } from '@temporalio/worker';
import pg from 'pg';
import { signToken } from '../apps/api/src/auth/tokens.js';
import type { Role } from '../apps/api/src/auth/roles.js';
import { createApp } from '../apps/api/src/create-app.js';
import { createWorkerSide } from '../apps/worker/src/worker-side.js';
import { loadConfig, type AppConfig } from '../libs/config/index.js';
import { openDatabase } from '../libs/database/index.js';
import { SEARCH_ATTRIBUTE_TYPES } from '../libs/temporal/index.js';
import { startDevServer } from '../libs/temporal-server/index.js';
import { benchActivities } from './workflows/activities.js';
import { benchWorkflowsPath } from './workflows/path.js';

/** The whole product in this process, on a Temporal server and a database of its own. */
export interface BenchEnvironment {
  /** `http://127.0.0.1:<port>` of the listening API. */
  readonly apiUrl: string;
  /** The client the API itself uses, so the baseline pays for the same connection. */
  readonly temporal: Client;
  readonly config: AppConfig;
  /** Task queue of the worker that serves the bench's own workflows (bench/workflows). */
  readonly baselineTaskQueue: string;
  token(role: Role, departments?: readonly string[]): string;
}

export interface OpenedEnvironment {
  readonly environment: BenchEnvironment;
  /** Closes everything that was opened, last first; never throws. */
  close(): Promise<void>;
}

type Log = (line: string) => void;

/**
 * What was opened, to be closed in reverse order whatever happens. A resource may also
 * give a synchronous fallback for when the process exits without closing it (Nest calls
 * process.exit when the API cannot start), so no database or directory is left behind.
 */
class Resources {
  private readonly closers: { name: string; close: () => Promise<unknown>; onExit?: () => void }[] = [];
  private readonly exitFallbacks = (): void => {
    for (const { onExit } of [...this.closers].reverse()) onExit?.();
  };

  constructor(private readonly log: Log) {
    process.on('exit', this.exitFallbacks);
  }

  defer(name: string, close: () => Promise<unknown>, onExit?: () => void): void {
    this.closers.push({ name, close, onExit });
  }

  async closeAll(): Promise<void> {
    for (const { name, close } of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        this.log(`closing ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    process.off('exit', this.exitFallbacks);
  }
}

export async function openEnvironment(log: Log): Promise<OpenedEnvironment> {
  const resources = new Resources(log);
  try {
    const environment = await open(resources, log);
    return { environment, close: () => resources.closeAll() };
  } catch (error) {
    await resources.closeAll();
    throw error;
  }
}

async function open(resources: Resources, log: Log): Promise<BenchEnvironment> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'ssc-bench-'));
  resources.defer(
    'scratch directory',
    () => rm(scratch, { recursive: true, force: true }),
    () => rmSync(scratch, { recursive: true, force: true }),
  );

  log('starting a Temporal dev server…');
  const server = await startDevServer({
    projectRoot: projectRoot(),
    dbFilename: path.join(scratch, 'temporal.sqlite'),
    searchAttributes: SEARCH_ATTRIBUTE_TYPES,
    log,
  });
  resources.defer('Temporal dev server', () => server.stop());

  const databaseUrl = await createThrowawayDatabase(resources);
  const db = await openDatabase({ postgresUrl: databaseUrl });
  resources.defer('database pool', () => db.close());

  const jwtSecret = randomBytes(48).toString('base64url');
  const config = loadConfig({
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: `bench-onboarding-${randomUUID()}`,
    DATABASE_URL: databaseUrl,
    AUTH_JWT_SECRET: jwtSecret,
    LOG_LEVEL: 'warn',
    // This process's Runtime exports no metrics: no gauges to keep.
    WORKER_METRICS_PORT: '0',
    // The limiter stays in the measured path, with limits no run of the bench reaches.
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
    // The console figure signs in as a person would; this API listens on loopback only and is thrown away.
    CONSOLE_DEV_SIGN_IN: 'true',
  });
  const baselineTaskQueue = `bench-baseline-${randomUUID()}`;

  await startWorkers(resources, server.address, config, baselineTaskQueue, db);

  const connection = await Connection.connect({ address: server.address });
  resources.defer('Temporal client connection', () => connection.close());
  const temporal = new Client({ connection, namespace: config.temporalNamespace });

  const app = await createApp({ config, db, temporal });
  resources.defer('API', () => app.close());
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}`,
    temporal,
    config,
    baselineTaskQueue,
    token: (role, departments = []) => signToken({ sub: `bench-${role}`, roles: [role], departments }, { secret: jwtSecret }),
  };
}

async function startWorkers(
  resources: Resources,
  address: string,
  config: AppConfig,
  baselineTaskQueue: string,
  db: Awaited<ReturnType<typeof openDatabase>>,
): Promise<void> {
  // The bench stops its workers itself; Ctrl-C is handled by bench/run.ts.
  Runtime.install({ logger: new DefaultLogger('WARN', sdkLog), shutdownSignals: [] });
  // The product's worker side as the worker process builds it. Its stuck sweep stays off, as
  // in earlier runs of the bench: a periodic scan of every running workflow is not what any
  // figure measures.
  const onboarding = await createWorkerSide({ config, db, stuckSweep: false });
  resources.defer('onboarding worker', () => onboarding.stop());
  const connection = await NativeConnection.connect({ address });
  resources.defer('baseline worker connection', () => connection.close());
  const baseline = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: baselineTaskQueue,
    workflowsPath: benchWorkflowsPath(),
    activities: benchActivities,
  });
  const running = Promise.all([onboarding.run(), baseline.run()]);
  // A worker that dies mid-run fails the measurement through timeouts; say why here.
  running.catch((error: unknown) => process.stderr.write(`a bench worker stopped: ${String(error)}\n`));
  resources.defer('workers', async () => {
    if (baseline.getState() === 'RUNNING') baseline.shutdown();
    await onboarding.stop().catch(() => undefined);
    await running.catch(() => undefined);
  });
}

/**
 * Warnings from the SDK matter here (a failing activity would show up only as latency),
 * except the one the baseline worker gives for having no activities by design.
 */
function sdkLog(entry: LogEntry): void {
  if (entry.message.startsWith('No activities registered')) return;
  process.stderr.write(`[temporal ${entry.level}] ${entry.message}${entry.meta ? ` ${JSON.stringify(entry.meta)}` : ''}\n`);
}

/** A fresh PostgreSQL database for this run, dropped at the end. */
async function createThrowawayDatabase(resources: Resources): Promise<string> {
  const adminUrl = process.env.BENCH_PG_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `ssc_bench_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const drop = `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`;
  resources.defer(
    `database ${name}`,
    () => withAdmin(adminUrl, (client) => client.query(drop)),
    // An exit handler cannot wait for a query, so a child process runs it.
    () => void spawnSync(process.execPath, ['-e', DROP_FROM_CHILD, adminUrl, drop], { cwd: projectRoot(), stdio: 'ignore', timeout: 15_000 }),
  );
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const DROP_FROM_CHILD = `
const [adminUrl, sql] = process.argv.slice(1);
const client = new (require('pg').Client)({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
client.connect().then(() => client.query(sql)).finally(() => client.end());
`;

async function withAdmin<T>(connectionString: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `the bench needs PostgreSQL: could not connect to ${connectionString} (set BENCH_PG_ADMIN_URL to an admin URL): ` +
        (error instanceof Error ? error.message : String(error)),
    );
  }
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** The folder with this project's package.json, from `bench/` or `dist/bench/`. */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root above bench/');
    dir = parent;
  }
  return dir;
}
