import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import pg from 'pg';
import type { Log } from './log.js';
import { OutputTail } from './output-tail.js';
import { findFreePort, isPortFree } from './ports.js';
import { ServerProcess } from './server-process.js';

/** Pinned: its go.mod has no `replace` directive and builds with the machine's Go. */
export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const PACKAGES = { server: 'cmd/server', sql: 'cmd/tools/sql' } as const;

export interface TemporalServerBinaries {
  readonly server: string;
  readonly sqlTool: string;
  /** `schema/postgresql/v12` of the same module version. */
  readonly schemaDir: string;
}

const run = promisify(execFile);

/**
 * The Temporal server and `temporal-sql-tool`, built once with `go install` into
 * `.cache/temporal-server/<version>/` (later calls reuse them and Go's build cache).
 */
export async function ensureTemporalServerBinaries(projectRoot: string, log: Log): Promise<TemporalServerBinaries> {
  const cacheDir = path.join(projectRoot, '.cache', 'temporal-server', TEMPORAL_SERVER_VERSION);
  const server = path.join(cacheDir, 'temporal-server');
  const sqlTool = path.join(cacheDir, 'temporal-sql-tool');
  if (!existsSync(server) || !existsSync(sqlTool)) {
    await mkdir(cacheDir, { recursive: true });
    // Built in a private folder and renamed: a concurrent or interrupted build never leaves half a binary.
    const staging = await mkdtemp(path.join(cacheDir, 'build-'));
    try {
      log(`Building the Temporal server ${TEMPORAL_SERVER_VERSION} and temporal-sql-tool with Go into ${cacheDir} (the first build takes several minutes)…`);
      const targets = Object.values(PACKAGES).map((pkg) => `${TEMPORAL_SERVER_MODULE}/${pkg}@${TEMPORAL_SERVER_VERSION}`);
      await goInstall(staging, targets, log);
      await rename(path.join(staging, 'server'), server);
      await rename(path.join(staging, 'sql'), sqlTool);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  const { stdout } = await run('go', ['mod', 'download', '-json', `${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`]);
  const moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
  return { server, sqlTool, schemaDir: path.join(moduleDir, 'schema', 'postgresql', 'v12') };
}

async function goInstall(gobin: string, targets: readonly string[], log: Log): Promise<void> {
  const child = spawn('go', ['install', ...targets], { cwd: gobin, env: { ...process.env, GOBIN: gobin }, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = new OutputTail();
  tail.follow(child.stdout);
  tail.follow(child.stderr);
  const startedAt = Date.now();
  const progress = setInterval(() => log(`  still building the Temporal server… ${Math.round((Date.now() - startedAt) / 1000)}s`), 15_000);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`go install ${targets.join(' ')} failed with exit code ${code}:\n${tail}`);
  } finally {
    clearInterval(progress);
  }
}

export interface TemporalPostgres {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  /** Persistence and visibility databases, created when missing. */
  readonly database: string;
  readonly visibilityDatabase: string;
}

/**
 * Creates Temporal's persistence and SQL visibility schemas with temporal-sql-tool, as
 * the auto-setup image does: create the database and its base schema once, then bring
 * it up to the newest version (a no-op when it is there already).
 */
export async function setupTemporalSchemas(binaries: TemporalServerBinaries, db: TemporalPostgres): Promise<void> {
  const admin = new pg.Client({ host: db.host, port: db.port, user: db.user, password: db.password, database: 'postgres' });
  await admin.connect();
  try {
    for (const [database, schema] of [
      [db.database, 'temporal'],
      [db.visibilityDatabase, 'visibility'],
    ] as const) {
      const tool = (...args: string[]) =>
        run(binaries.sqlTool, ['--plugin', 'postgres12', '--ep', db.host, '-p', String(db.port), '-u', db.user, '--db', database, ...args], {
          env: { ...process.env, SQL_PASSWORD: db.password ?? '' },
        });
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (!rowCount) {
        await tool('create-database');
        await tool('setup-schema', '-v', '0.0');
      }
      await tool('update-schema', '-d', path.join(binaries.schemaDir, schema, 'versioned'));
    }
  } finally {
    await admin.end();
  }
}

export interface ProductionServer {
  readonly address: string;
  readonly process: ServerProcess;
  stop(): Promise<void>;
}

export interface StartProductionServerOptions {
  readonly projectRoot: string;
  readonly postgres: TemporalPostgres;
  readonly namespace?: string;
  /** The frontend's gRPC port; free ports are taken when unset. */
  readonly port?: number;
  readonly log: Log;
}

const SERVICE_PORTS = [
  'TEMPORAL_FRONTEND_MEMBERSHIP_PORT',
  'TEMPORAL_FRONTEND_HTTP_PORT',
  'TEMPORAL_HISTORY_PORT',
  'TEMPORAL_HISTORY_MEMBERSHIP_PORT',
  'TEMPORAL_MATCHING_PORT',
  'TEMPORAL_MATCHING_MEMBERSHIP_PORT',
  'TEMPORAL_WORKER_PORT',
  'TEMPORAL_WORKER_MEMBERSHIP_PORT',
  'TEMPORAL_METRICS_PORT',
] as const;

/**
 * The real Temporal server on PostgreSQL, from the config kept in deploy/temporal/, on
 * loopback only: built on demand, schemas created, the namespace registered.
 */
export async function startProductionServer(options: StartProductionServerOptions): Promise<ProductionServer> {
  const binaries = await ensureTemporalServerBinaries(options.projectRoot, options.log);
  await setupTemporalSchemas(binaries, options.postgres);
  const port = options.port ?? (await findFreePort('127.0.0.1'));
  const ports: Record<string, string> = { TEMPORAL_FRONTEND_PORT: String(port) };
  for (const name of SERVICE_PORTS) {
    ports[name] = String(name.endsWith('MEMBERSHIP_PORT') ? await freeMembershipPort() : await findFreePort('127.0.0.1'));
  }
  const { postgres } = options;
  const env = {
    ...process.env,
    ...ports,
    TEMPORAL_DB: postgres.database,
    TEMPORAL_VISIBILITY_DB: postgres.visibilityDatabase,
    TEMPORAL_DB_ADDRESS: `${postgres.host}:${postgres.port}`,
    TEMPORAL_DB_USER: postgres.user,
    TEMPORAL_DB_PASSWORD: postgres.password ?? '',
    TEMPORAL_DYNAMIC_CONFIG: path.join(options.projectRoot, 'deploy', 'temporal', 'dynamicconfig.yaml'),
    // Loopback only, whatever the caller's environment says (docker-compose.yml sets these for its network).
    TEMPORAL_BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
  };
  const server = new ServerProcess(
    binaries.server,
    ['--root', options.projectRoot, '--config', 'deploy/temporal', '--env', 'production', '--allow-no-auth', 'start'],
    options.log,
    { env },
  );
  const address = `127.0.0.1:${port}`;
  try {
    await registerNamespace(address, options.namespace ?? 'default', server);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { address, process: server, stop: () => server.stop() };
}

/** Cluster membership stores its port as a PostgreSQL smallint: it must be below 32768. */
async function freeMembershipPort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await isPortFree('127.0.0.1', port)) return port;
  }
  throw new Error('no free port below 32768 for Temporal cluster membership');
}

async function registerNamespace(address: string, namespace: string, server: ServerProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (server.exitedWith) throw new Error(`the Temporal server stopped (${server.exitedWith}):\n${server.output}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        await connection.workflowService
          .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('3 days') })
          .catch((error: unknown) => {
            if (!/already exists|AlreadyExists/i.test(String(error))) throw error;
          });
        // The frontend serves a new namespace once its registry has refreshed.
        await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await sleep(1000);
    }
  }
  throw new Error(`the Temporal server at ${address} did not serve namespace ${namespace} within ${timeoutMs / 1000}s: ${String(lastError)}\n${server.output}`);
}
