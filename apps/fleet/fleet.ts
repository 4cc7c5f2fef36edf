import { randomUUID } from 'node:crypto';
import { startProductionServer, type Log, type ProductionServer, type TemporalPostgres } from '../../libs/temporal-server/index.js';
import { FleetProcess } from './processes.js';

export interface FleetOptions {
  readonly projectRoot: string;
  readonly apis: number;
  readonly workers: number;
  /** The event store and read models, shared by every process. */
  readonly databaseUrl: string;
  /** Where the production Temporal server keeps its persistence and visibility. */
  readonly temporalPostgres: TemporalPostgres;
  readonly jwtSecret: string;
  readonly env?: Record<string, string>;
  readonly log: Log;
}

/**
 * N API processes and M workers behind one PostgreSQL and one production Temporal server
 * (on PostgreSQL), all on loopback: how the product runs once one machine is not enough.
 */
export interface Fleet {
  readonly temporal: ProductionServer;
  readonly apis: FleetProcess[];
  readonly workers: FleetProcess[];
  readonly taskQueue: string;
  addWorker(): Promise<FleetProcess>;
  stop(): Promise<void>;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const temporal = await startProductionServer({ projectRoot: options.projectRoot, postgres: options.temporalPostgres, log: options.log });
  const taskQueue = `fleet-${randomUUID().slice(0, 8)}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATABASE_URL: options.databaseUrl,
    AUTH_JWT_SECRET: options.jwtSecret,
    DATA_DIR: '/tmp/ssc-fleet-data',
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const apis: FleetProcess[] = [];
  const workers: FleetProcess[] = [];
  const fleet: Fleet = {
    temporal,
    apis,
    workers,
    taskQueue,
    async addWorker() {
      const worker = await FleetProcess.create(options.projectRoot, 'worker', `worker-${workers.length + 1}`, { ...env, LOG_LEVEL: 'info' });
      workers.push(worker);
      return worker;
    },
    async stop() {
      await Promise.all([...apis, ...workers].map((child) => child.stop()));
      await temporal.stop();
    },
  };
  try {
    // Workers first: they register the search attributes the API's queries use.
    for (let index = 0; index < options.workers; index++) await fleet.addWorker();
    for (let index = 0; index < options.apis; index++) apis.push(await FleetProcess.create(options.projectRoot, 'api', `api-${index + 1}`, env));
  } catch (error) {
    await fleet.stop();
    throw error;
  }
  return fleet;
}
