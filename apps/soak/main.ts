#!/usr/bin/env node
import 'reflect-metadata';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { parseIsoDuration } from '../../libs/domain/index.js';
import { stderrLog } from '../../libs/temporal-server/index.js';
import { DRILL_TITLES, DRILLS, parseDrills } from './drills.js';
import { soakTable } from './report.js';
import { DEFAULT_SOAK_OPTIONS, runSoak } from './soak.js';

// The soak's own Temporal client logs through core only when something is badly wrong.
Runtime.install({ logger: new DefaultLogger('ERROR') });

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const count = (min: number, max: number) => (text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
  return value;
};
const fraction = (text: string) => {
  const value = Number(text);
  if (!(value > 0 && value < 1)) throw new InvalidArgumentError('a fraction between 0 and 1, such as 0.3');
  return value;
};
const isoDuration = (text: string) => {
  try {
    parseIsoDuration(text);
  } catch {
    throw new InvalidArgumentError('an ISO 8601 duration such as PT30S');
  }
  return text;
};

const defaults = DEFAULT_SOAK_OPTIONS;
const program = new Command('soak')
  .description(
    'The fault drills on loopback: a private PostgreSQL cluster, the production Temporal server on it, 2 API processes and 2 workers.\n' +
      `Drills: ${DRILLS.map((drill) => DRILL_TITLES[drill]).join('; ')}.\n` +
      'Writes the results as JSON and prints a table; exits 1 when a drill lost, doubled or broke anything.',
  )
  .option('--drills <list>', 'drills to run, by number or name (1,2,5 or load,api-kill)', DRILLS.join(','))
  .option('--departments <n>', 'departments of drill 1', count(1, 5000), defaults.departments)
  .option('--fault-departments <n>', 'departments of each fault drill (2-5)', count(1, 5000), defaults.faultDepartments)
  .option('--concurrency <n>', 'departments driven at the same time', count(1, 500), defaults.concurrency)
  .option('--downtime <seconds>', 'how long Temporal (3) and PostgreSQL (4) stay down', count(1, 600), defaults.downtimeMs / 1000)
  .option('--restart-delay <seconds>', 'how long a killed worker (2) or API (5) stays down', count(0, 600), defaults.restartDelayMs / 1000)
  .option('--fault-at <fraction>', "strike once this fraction of a drill's commands is acknowledged", fraction, defaults.faultAtFraction)
  .option('--patience <seconds>', 'how long a client retries one command before giving up', count(10, 3600), defaults.patienceMs / 1000)
  .option('--command-timeout <seconds>', 'COMMAND_TIMEOUT_MS of the APIs, in seconds', count(1, 600), defaults.commandTimeoutMs / 1000)
  .option('--sweep-interval <duration>', 'STUCK_SWEEP_INTERVAL of the workers', isoDuration, defaults.stuckSweepInterval)
  .option('--sweep-batch <n>', 'STUCK_SWEEP_BATCH of the workers', count(1, 1000), defaults.stuckSweepBatch)
  .option('--no-detection', 'skip measuring how long a failing workflow task takes to be listed')
  .option('--time-limit <minutes>', 'send no new command after this long (those sent get 30 s more to be answered); what is cut short is reported', count(1, 24 * 60), defaults.timeLimitMs / 60_000)
  .option('--out <file>', 'where the JSON results go', 'soak-results/latest.json')
  .option('--json', 'print the JSON results instead of the table')
  .exitOverride();

async function main(): Promise<number> {
  try {
    program.parse();
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const opts = program.opts<{
    drills: string;
    departments: number;
    faultDepartments: number;
    concurrency: number;
    downtime: number;
    restartDelay: number;
    faultAt: number;
    patience: number;
    commandTimeout: number;
    sweepInterval: string;
    sweepBatch: number;
    detection: boolean;
    timeLimit: number;
    out: string;
    json?: boolean;
  }>();
  let drills;
  try {
    drills = parseDrills(opts.drills);
  } catch (error) {
    process.stderr.write(`soak: --drills: ${(error as Error).message}\n`);
    return 2;
  }
  const result = await runSoak({
    projectRoot,
    drills,
    departments: opts.departments,
    faultDepartments: opts.faultDepartments,
    concurrency: opts.concurrency,
    downtimeMs: opts.downtime * 1000,
    restartDelayMs: opts.restartDelay * 1000,
    faultAtFraction: opts.faultAt,
    patienceMs: opts.patience * 1000,
    commandTimeoutMs: opts.commandTimeout * 1000,
    stuckSweepInterval: opts.sweepInterval,
    stuckSweepBatch: opts.sweepBatch,
    detection: opts.detection,
    timeLimitMs: opts.timeLimit * 60_000,
    output: resolve(projectRoot, opts.out),
    log: stderrLog,
  });
  process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${soakTable(result)}\n\nResults: ${opts.out}\n`);
  return result.passed ? 0 : 1;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
