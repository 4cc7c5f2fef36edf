import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { openDatabase, type SqlClient } from '../../libs/database/index.js';
import { parseIsoDuration } from '../../libs/domain/index.js';
import { startProductionServer, TEMPORAL_SERVER_VERSION, type Log, type ProductionServer, type TemporalPostgres } from '../../libs/temporal-server/index.js';
import { startFleet, type Fleet } from '../fleet/fleet.js';
import type { Attempt, Cutoff } from '../fleet/journey.js';
import type { FleetProcess } from '../fleet/processes.js';
import { measureFailingTaskDetection, type DetectionResult } from './detection.js';
import { DRILL_TITLES, type DrillName } from './drills.js';
import { commandFigures, recoveredAt, type CommandFigures } from './figures.js';
import { checkInvariants, invariantsHold, type InvariantReport } from './invariants.js';
import { Load, type CutShort } from './load.js';
import { PrivatePostgres } from './private-postgres.js';
import { ReadProbe, type ReadFigures } from './read-probe.js';

export interface SoakOptions {
  readonly projectRoot: string;
  readonly drills: readonly DrillName[];
  /** Departments of drill 1. */
  readonly departments: number;
  /** Departments of each fault drill (2-5). */
  readonly faultDepartments: number;
  /** Journeys driven at the same time. */
  readonly concurrency: number;
  /** How long Temporal (drill 3) and PostgreSQL (drill 4) stay down. */
  readonly downtimeMs: number;
  /** How long a killed worker (drill 2) or API (drill 5) stays down before it is started again. */
  readonly restartDelayMs: number;
  /** The fault strikes once this fraction of the drill's commands has been acknowledged. */
  readonly faultAtFraction: number;
  /** How long a client keeps retrying one command (503s, no connection) before it gives up. */
  readonly patienceMs: number;
  readonly commandTimeoutMs: number;
  /** STUCK_SWEEP_INTERVAL and STUCK_SWEEP_BATCH of the workers, as deployed. */
  readonly stuckSweepInterval: string;
  readonly stuckSweepBatch: number;
  /** Measure how long a failing workflow task takes to be listed as stuck. */
  readonly detection: boolean;
  /**
   * From the soak's start: no drill starts, and a running drill sends no new command, after
   * this long; commands already sent get LIMIT_GRACE_MS more to be answered (see Cutoff).
   */
  readonly timeLimitMs: number;
  /** Where the results go as JSON, with every HTTP call beside it (`<name>-attempts.jsonl`); nothing is written when unset. */
  readonly output?: string;
  readonly log: Log;
}

export const DEFAULT_SOAK_OPTIONS: Omit<SoakOptions, 'projectRoot' | 'log'> = {
  drills: ['load', 'worker-kill', 'temporal-outage', 'postgres-outage', 'api-kill'],
  departments: 300,
  faultDepartments: 60,
  concurrency: 30,
  downtimeMs: 20_000,
  restartDelayMs: 2_000,
  faultAtFraction: 0.3,
  patienceMs: 180_000,
  commandTimeoutMs: 10_000,
  stuckSweepInterval: 'PT30S',
  stuckSweepBatch: 200,
  detection: true,
  timeLimitMs: 90 * 60_000,
};

/** How long commands already sent at the time limit may keep being retried for an answer. */
export const LIMIT_GRACE_MS = 30_000;

export interface FaultRecord {
  readonly at: string;
  /** From the fault until the process or server was back. */
  readonly repairedAfterMs: number;
  /** From the fault until every journey under way then had a command acknowledged again; null: some never did. */
  readonly recoveredAfterMs: number | null;
  /** Requests cut off with no answer by the fault (drill 5: the killed API's requests in flight). */
  readonly requestsCut: number;
}

export interface DrillResult {
  readonly drill: DrillName;
  readonly title: string;
  readonly departments: number;
  readonly journeysCompleted: number;
  readonly durationMs: number;
  readonly fault: FaultRecord | null;
  /** Why a fault drill struck no fault: the time limit came first. */
  readonly faultNotStruck?: string;
  /** What the time limit left undone; null when the drill ran to its end. */
  readonly cutShort: CutShort | null;
  readonly commands: CommandFigures;
  /** Department pages, the stuck list and /health, read through both APIs during the drill. */
  readonly reads: ReadFigures;
  /** Each command refused with a 4xx, with what its client had been answered before. */
  readonly refusals: readonly Refusal[];
  readonly invariants: InvariantReport;
  /** Processes that exited without being told to and were started again by the soak, as a supervisor would. */
  readonly unplannedRestarts: readonly string[];
  readonly passed: boolean;
  /** Why the drill did not pass, in words. */
  readonly problems: readonly string[];
}

export interface Refusal {
  readonly code: string;
  readonly command: string;
  readonly status: number;
  readonly errorCode: string | null;
  /** The answers to the same department's earlier commands and retries, last ones first. */
  readonly before: readonly string[];
}

export interface SoakResult {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: { readonly cpus: number; readonly memoryGb: number; readonly node: string };
  readonly topology: { readonly apis: number; readonly workers: number; readonly temporalServer: string; readonly postgres: string };
  readonly options: Omit<SoakOptions, 'projectRoot' | 'log'>;
  readonly drills: readonly DrillResult[];
  readonly skipped: readonly DrillName[];
  readonly failingWorkflowTask: DetectionResult | null;
  /** Set when the time limit left no time to measure failingWorkflowTask. */
  readonly detectionSkipped?: string;
  readonly passed: boolean;
}

const CODE_PREFIX: Readonly<Record<DrillName, string>> = { load: 'LD', 'worker-kill': 'WK', 'temporal-outage': 'TO', 'postgres-outage': 'PO', 'api-kill': 'AK' };

/**
 * `npm run soak`: a private PostgreSQL cluster, the production Temporal server on it,
 * 2 API processes and 2 workers, and the drills one after another, each on departments of
 * its own, each followed by the checks that nothing acknowledged was lost or doubled.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const startedAt = new Date();
  const { log } = options;
  const closers: [string, () => Promise<unknown>][] = [];
  try {
    const soak = await startSoakStack(options, closers);
    const stopWatching = watchProcesses(soak, log);
    const drills: DrillResult[] = [];
    const attemptLines: string[] = [];
    const skipped: DrillName[] = [];
    let detection: DetectionResult | null = null;
    let detectionSkipped: string | undefined;
    const cutoff: Cutoff = { sendUntil: startedAt.getTime() + options.timeLimitMs, answerUntil: startedAt.getTime() + options.timeLimitMs + LIMIT_GRACE_MS };
    try {
      for (const drill of options.drills) {
        if (Date.now() >= cutoff.sendUntil) {
          log(`soak: time limit reached; ${drill} not run`);
          skipped.push(drill);
          continue;
        }
        const { result, attempts } = await runDrill(drill, soak, options, cutoff);
        drills.push(result);
        for (const attempt of attempts) attemptLines.push(JSON.stringify({ drill, ...attempt }));
        log(`soak: ${result.title}: ${result.passed ? 'passed' : `FAILED (${result.problems.join('; ')})`}`);
      }
      if (options.detection && Date.now() >= cutoff.sendUntil) {
        detectionSkipped = 'time limit reached';
        log('soak: time limit reached; how long a failing workflow task takes to be listed is not measured');
      } else if (options.detection) {
        log('soak: measuring how long a failing workflow task takes to be listed as stuck…');
        detection = await measureFailingTaskDetection({
          temporal: soak.temporal,
          taskQueue: soak.fleet.taskQueue,
          apiUrl: soak.fleet.apis[1].url,
          jwtSecret: soak.jwtSecret,
          sweepIntervalMs: parseIsoDuration(options.stuckSweepInterval),
          sweepBatch: options.stuckSweepBatch,
        });
      }
    } finally {
      stopWatching();
    }
    const result: SoakResult = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
      topology: { apis: 2, workers: 2, temporalServer: `go.temporal.io/server ${TEMPORAL_SERVER_VERSION} on PostgreSQL`, postgres: 'private PostgreSQL 15 cluster (initdb)' },
      options: withoutRuntime(options),
      drills,
      skipped,
      failingWorkflowTask: detection,
      ...(detectionSkipped ? { detectionSkipped } : {}),
      // A drill cut short checked what it sent, but did not do what it was asked to.
      passed: drills.every((drill) => drill.passed && drill.cutShort === null) && skipped.length === 0 && detectionSkipped === undefined && (detection?.listed ?? true),
    };
    if (options.output) {
      await mkdir(path.dirname(options.output), { recursive: true });
      await writeFile(options.output, `${JSON.stringify(result, null, 2)}\n`);
      await writeFile(options.output.replace(/(\.json)?$/, '-attempts.jsonl'), attemptLines.map((line) => `${line}\n`).join(''));
    }
    return result;
  } finally {
    for (const [name, close] of closers.reverse()) {
      await close().catch((error: unknown) => log(`soak: stopping the ${name} failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
}

/** Everything a drill acts on; `closers` receives how to stop each part, in the order started. */
async function startSoakStack(options: SoakOptions, closers: [string, () => Promise<unknown>][]): Promise<SoakStack> {
  const { log } = options;
  log('soak: creating a private PostgreSQL cluster…');
  const postgres = await PrivatePostgres.create();
  closers.push(['PostgreSQL cluster', () => postgres.destroy()]);
  const databaseUrl = await postgres.createDatabase('ssc_soak');
  const temporalPostgres: TemporalPostgres = { host: '127.0.0.1', port: postgres.port, user: 'postgres', database: 'temporal', visibilityDatabase: 'temporal_visibility' };
  const jwtSecret = randomBytes(32).toString('base64url');
  log(`soak: PostgreSQL on 127.0.0.1:${postgres.port}; starting the Temporal server ${TEMPORAL_SERVER_VERSION}, 2 workers and 2 APIs…`);
  const fleet = await startFleet({
    projectRoot: options.projectRoot,
    apis: 2,
    workers: 2,
    databaseUrl,
    temporalPostgres,
    jwtSecret,
    env: {
      COMMAND_TIMEOUT_MS: String(options.commandTimeoutMs),
      STUCK_SWEEP_INTERVAL: options.stuckSweepInterval,
      STUCK_SWEEP_BATCH: String(options.stuckSweepBatch),
      // Every soak client comes from 127.0.0.1; people come from addresses of their own.
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
    },
    log,
  });
  const soak: Omit<SoakStack, 'connection' | 'temporal' | 'db'> = {
    projectRoot: options.projectRoot,
    postgres,
    fleet,
    temporalServer: fleet.temporal,
    temporalPostgres,
    jwtSecret,
    down: new Set(),
    unplannedRestarts: [],
  };
  // Drill 3 replaces the server: stop whichever one runs at the end.
  closers.push(['Temporal server', () => (soak as SoakStack).temporalServer.stop()]);
  closers.push(['fleet', () => fleet.stop()]);
  const connection = await Connection.connect({ address: fleet.temporal.address });
  closers.push(['Temporal connection', () => connection.close()]);
  const db = await openDatabase({ postgresUrl: databaseUrl });
  closers.push(['database pool', () => db.close()]);
  return Object.assign(soak, { connection, temporal: new Client({ connection }), db });
}

interface SoakStack {
  readonly projectRoot: string;
  readonly postgres: PrivatePostgres;
  readonly fleet: Fleet;
  /** The server now running: drill 3 replaces it. */
  temporalServer: ProductionServer;
  readonly connection: Connection;
  readonly temporal: Client;
  readonly db: SqlClient;
  readonly temporalPostgres: TemporalPostgres;
  readonly jwtSecret: string;
  /** Processes a drill took down on purpose: the watcher leaves them alone. */
  readonly down: Set<FleetProcess | 'temporal'>;
  readonly unplannedRestarts: string[];
}

async function runDrill(drill: DrillName, soak: SoakStack, options: SoakOptions, cutoff: Cutoff): Promise<{ result: DrillResult; attempts: readonly Attempt[] }> {
  const count = drill === 'load' ? options.departments : options.faultDepartments;
  const codes = Array.from({ length: count }, (_, index) => `${CODE_PREFIX[drill]}${String(index + 1).padStart(4, '0')}`);
  options.log(`soak: ${DRILL_TITLES[drill]} — ${count} departments, ${options.concurrency} at a time`);
  const restartsBefore = soak.unplannedRestarts.length;
  const startedAt = Date.now();
  const reads = new ReadProbe(() => soak.fleet.apis.map((api) => api.url), codes, soak.jwtSecret);
  const load = new Load({
    codes,
    concurrency: options.concurrency,
    apiUrls: () => soak.fleet.apis.map((api) => api.url),
    jwtSecret: soak.jwtSecret,
    patienceMs: options.patienceMs,
    cutoff,
  });
  const progress = setInterval(() => {
    const unavailable = load.attempts.filter((attempt) => attempt.status === 503 || attempt.status === 0).length;
    options.log(`soak: ${drill}: ${load.acknowledged}/${load.expectedCommands} commands acknowledged, ${unavailable} answers 503 or none so far`);
  }, 15_000);
  let fault: { at: number; repairedAt: number } | undefined;
  let faultNotStruck: string | undefined;
  let readsStopped: Promise<ReadFigures>;
  const stopSending = setTimeout(() => {
    options.log(`soak: ${drill}: time limit reached; no new commands, those under way get ${LIMIT_GRACE_MS / 1000} s to be answered`);
  }, Math.max(0, cutoff.sendUntil - Date.now()));
  try {
    if (drill !== 'load' && !(await load.untilAcknowledged(options.faultAtFraction)) && load.sendingStopped) {
      faultNotStruck = `time limit reached at ${load.acknowledged}/${load.expectedCommands} commands acknowledged`;
      options.log(`soak: ${drill}: not struck, ${faultNotStruck}`);
    } else if (drill !== 'load') {
      const at = Date.now();
      options.log(`soak: ${drill} at ${load.acknowledged}/${load.expectedCommands} commands acknowledged`);
      await injectFault(drill, soak, options);
      fault = { at, repairedAt: Date.now() };
    }
    await load.done;
  } finally {
    clearTimeout(stopSending);
    clearInterval(progress);
    readsStopped = reads.stop();
  }
  const readFigures = await readsStopped;
  const recovered = fault ? recoveredAt(load.attempts, fault.at) : undefined;
  const commands = commandFigures(load.attempts, fault ? { faultAt: fault.at, recoveredAt: recovered ?? Number.POSITIVE_INFINITY } : undefined);
  options.log(`soak: ${drill}: load finished (${commands.acknowledged}/${commands.attempted} acknowledged); checking the event store, workflows and read models…`);
  // A department the time limit kept from starting has no stream and no workflow to check.
  const driven = new Set(load.attempts.map((attempt) => attempt.code));
  const invariants = await checkInvariants({ db: soak.db, temporal: soak.temporal, codes: codes.filter((code) => driven.has(code)), attempts: load.attempts });
  const cutShort = load.cutShort;
  const cutCodes = new Set(cutShort?.codes ?? []);
  const journeysCompleted = new Set(load.attempts.filter((attempt) => attempt.command === 'savings' && attempt.status >= 200 && attempt.status < 300).map((attempt) => attempt.code)).size;
  const faultRecord: FaultRecord | null = fault
    ? {
        at: new Date(fault.at).toISOString(),
        repairedAfterMs: fault.repairedAt - fault.at,
        recoveredAfterMs: recovered === undefined ? null : recovered - fault.at,
        requestsCut: load.attempts.filter((attempt) => attempt.status === 0 && attempt.startedAt < fault.at && attempt.startedAt + attempt.ms >= fault.at).length,
      }
    : null;
  const problems = [
    ...(invariants.lost.length ? [`${invariants.lost.length} acknowledged commands lost`] : []),
    ...(invariants.duplicated.length ? [`${invariants.duplicated.length} commands duplicated`] : []),
    ...(invariants.brokenStreams.length ? [`${invariants.brokenStreams.length} broken streams`] : []),
    ...(invariants.badWorkflows.length ? [`${invariants.badWorkflows.length} workflows failed or hold a state other than their stream`] : []),
    ...(invariants.readModelMismatches.length ? [`${invariants.readModelMismatches.length} read-model rows differ from a rebuild`] : []),
    ...(commands.otherServerErrors ? [`${commands.otherServerErrors} 5xx answers other than 503`] : []),
    ...(commands.http503WithoutRetryAfter ? [`${commands.http503WithoutRetryAfter} 503s without Retry-After`] : []),
    ...(readFigures.otherServerErrors ? [`${readFigures.otherServerErrors} reads answered 5xx other than 503`] : []),
    ...(readFigures.http503WithoutRetryAfter ? [`${readFigures.http503WithoutRetryAfter} reads answered 503 without Retry-After`] : []),
    ...(journeysCompleted + cutCodes.size < count ? [`${count - journeysCompleted - cutCodes.size} of ${count} departments did not reach LIVE and record savings`] : []),
    // A journey the time limit stopped may not have had the time to move again.
    ...(fault && recovered === undefined && !cutShort ? ['some journeys under way at the fault never moved again'] : []),
  ];
  const result: DrillResult = {
    drill,
    title: DRILL_TITLES[drill],
    departments: count,
    journeysCompleted,
    durationMs: Date.now() - startedAt,
    fault: faultRecord,
    ...(faultNotStruck ? { faultNotStruck } : {}),
    cutShort,
    commands,
    reads: readFigures,
    refusals: refusalsOf(load.attempts),
    invariants,
    unplannedRestarts: soak.unplannedRestarts.slice(restartsBefore),
    passed: problems.length === 0,
    problems,
  };
  return { result, attempts: load.attempts };
}

function refusalsOf(attempts: readonly Attempt[]): Refusal[] {
  return attempts
    .filter((attempt) => attempt.status >= 400 && attempt.status < 500)
    .map((attempt) => ({
      code: attempt.code,
      command: attempt.command,
      status: attempt.status,
      errorCode: attempt.errorCode ?? null,
      before: attempts
        .filter((earlier) => earlier.code === attempt.code && earlier.startedAt < attempt.startedAt)
        .slice(-4)
        .reverse()
        .map((earlier) => `${earlier.command} ${earlier.status || 'no connection'}${earlier.errorCode ? ` ${earlier.errorCode}` : ''} after ${earlier.ms} ms`),
    }));
}

/** Strikes the drill's fault and resolves once the failed part is back. */
async function injectFault(drill: DrillName, soak: SoakStack, options: SoakOptions): Promise<void> {
  const bounce = async (target: FleetProcess) => {
    soak.down.add(target);
    try {
      await target.kill();
      await sleep(options.restartDelayMs);
      await target.start();
    } finally {
      soak.down.delete(target);
    }
  };
  switch (drill) {
    case 'worker-kill':
      return bounce(soak.fleet.workers[0]);
    case 'api-kill':
      return bounce(soak.fleet.apis[0]);
    case 'temporal-outage': {
      soak.down.add('temporal');
      try {
        await soak.temporalServer.stop();
        await sleep(options.downtimeMs);
        soak.temporalServer = await restartTemporal(soak, options.log);
      } finally {
        soak.down.delete('temporal');
      }
      return;
    }
    case 'postgres-outage':
      await soak.postgres.stop();
      await sleep(options.downtimeMs);
      await soak.postgres.start();
      return;
    case 'load':
      return;
  }
}

/** The same server on the same frontend port, so the APIs' and workers' connections find it again. */
async function restartTemporal(soak: SoakStack, log: Log): Promise<ProductionServer> {
  const port = Number(soak.fleet.temporal.address.split(':').at(-1));
  return startProductionServer({ projectRoot: soak.projectRoot, postgres: soak.temporalPostgres, port, log });
}

/**
 * What compose's `restart: unless-stopped` does: a process that exits without a drill
 * having stopped it is started again, and the drill's report says so.
 */
function watchProcesses(soak: SoakStack, log: Log): () => void {
  const restarting = new Set<unknown>();
  const check = () => {
    for (const child of [...soak.fleet.apis, ...soak.fleet.workers]) {
      if (child.running || soak.down.has(child) || restarting.has(child)) continue;
      restarting.add(child);
      const exit = child.child?.exitCode ?? child.child?.signalCode;
      soak.unplannedRestarts.push(`${child.name} exited (${exit}) at ${new Date().toISOString()}`);
      log(`soak: ${child.name} exited (${exit}) without being stopped; starting it again:\n${child.lines.slice(-5).join('\n')}`);
      child
        .start()
        .catch((error: unknown) => log(`soak: ${child.name} did not come back yet: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`))
        .finally(() => restarting.delete(child));
    }
    const server = soak.temporalServer;
    if (server.process.exitedWith && !soak.down.has('temporal') && !restarting.has('temporal')) {
      restarting.add('temporal');
      soak.unplannedRestarts.push(`Temporal server exited (${server.process.exitedWith}) at ${new Date().toISOString()}`);
      log(`soak: the Temporal server exited (${server.process.exitedWith}) without being stopped; starting it again`);
      restartTemporal(soak, log)
        .then((restarted) => (soak.temporalServer = restarted))
        .catch((error: unknown) => log(`soak: the Temporal server did not come back yet: ${String(error)}`))
        .finally(() => restarting.delete('temporal'));
    }
  };
  const timer = setInterval(check, 1000);
  return () => clearInterval(timer);
}

function withoutRuntime(options: SoakOptions): Omit<SoakOptions, 'projectRoot' | 'log'> {
  const { projectRoot: _root, log: _log, ...rest } = options;
  return rest;
}
