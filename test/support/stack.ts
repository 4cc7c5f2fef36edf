import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, bundleWorkflowCode, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../../apps/api/src/create-app.js';
import { createWorkerSide, type WorkerSide } from '../../apps/worker/src/worker-side.js';
import { signToken } from '../../apps/api/src/auth/tokens.js';
import type { Role } from '../../apps/api/src/auth/roles.js';
import { loadConfig, type AppConfig } from '../../libs/config/index.js';
import type { SqlClient } from '../../libs/database/index.js';
import { EventStore } from '../../libs/event-store/index.js';
import { DepartmentReadModel, INLINE_PROJECTIONS } from '../../libs/projections/index.js';
import type { Notifier } from '../../libs/temporal/index.js';
import { WORKFLOW_BUNDLER_OPTIONS, workflowsPath } from '../../libs/temporal/worker.js';
import { databaseCases } from './databases.js';
import { testTemporalAddress } from './env.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
/** Signs the audit digests of every test stack; each test process has its own. */
export const TEST_AUDIT_SIGNING_KEY = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Another test in this process already installed it.
  }
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundling takes seconds; every stack in one test file shares the bundle. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger, ...WORKFLOW_BUNDLER_OPTIONS });
  return bundle;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string) => process.stderr.write(`${message}\n`),
};

export interface StackOptions {
  readonly database?: 'postgres' | 'sqlite';
  readonly notifier?: Notifier;
  readonly env?: Record<string, string>;
  /** Start no worker: commands wait, as when every worker is down. */
  readonly withoutWorker?: boolean;
  /** Another Temporal server than the run's shared one (e.g. with special dynamic config). */
  readonly temporalAddress?: string;
}

/**
 * The whole product in one test process, against the run's real Temporal server and a
 * real database: API, worker and read models. Each stack polls its own task queue.
 */
export interface Stack {
  readonly http: TestAgent;
  readonly app: NestExpressApplication;
  readonly config: AppConfig;
  readonly db: SqlClient;
  readonly store: EventStore;
  readonly departments: DepartmentReadModel;
  readonly temporal: Client;
  readonly worker: Worker | undefined;
  token(role: Role, departments?: readonly string[], sub?: string): string;
  close(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const database = databaseCases().find((candidate) => candidate.name === (options.database ?? 'postgres'));
  if (!database) throw new Error(`unknown database ${options.database}`);
  const db = await database.open();
  const address = options.temporalAddress ?? testTemporalAddress();
  const config = loadConfig({
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
    DATA_DIR: '/tmp/ssc-test-data',
    COMMAND_TIMEOUT_MS: '20000',
    // A JSON line per request would bury test output; a test that reads logs sets its own level.
    LOG_LEVEL: 'warn',
    // The test Runtime exports no metrics: no gauges to keep.
    WORKER_METRICS_PORT: '0',
    // Rate limits on PostgreSQL are one budget per database, as for replicas: every stack of a
    // run would draw on the same one (and the same test subjects). A test about limits sets its own.
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
    ...options.env,
  });
  const connection = await Connection.connect({ address });
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  const store = new EventStore(db, INLINE_PROJECTIONS);

  let workerSide: WorkerSide | undefined;
  if (!options.withoutWorker) {
    quietRuntime();
    // The tests that look at stuck onboardings drive the sweep themselves (test/support/operations.ts).
    workerSide = await createWorkerSide({ config, db, notifier: options.notifier, workflowBundle: await workflowBundle(), stuckSweep: false });
    void workerSide.run();
  }

  const app = await createApp({ config, db, temporal });
  await app.init();

  return {
    http: request(app.getHttpServer()),
    app,
    config,
    db,
    store,
    departments: new DepartmentReadModel(db),
    temporal,
    worker: workerSide?.worker,
    token: (role, departments = [], sub = `${role}-user`) => signToken({ sub, roles: [role], departments }, { secret: TEST_JWT_SECRET }),
    async close() {
      await app.close();
      await workerSide?.stop();
      await connection.close();
      await db.close();
    },
  };
}

let counter = 0;
/** A department code no other test (or earlier run on the same server) uses. */
export function uniqueCode(prefix = 'D'): string {
  counter += 1;
  const stamp = (Date.now() % 1e8).toString(36).toUpperCase();
  return `${prefix}${stamp}${counter.toString(36).toUpperCase()}`.slice(0, 10);
}
