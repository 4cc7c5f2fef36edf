import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import {
  AuditSigningKey,
  bundleWorkflows,
  exportEvidence,
  fetchRunChain,
  IntegrityChecker,
  isSignedDigest,
  rebuildProjections,
  replayHistories,
  takeDigest,
  verifyDigest,
  type ReplayOutcome,
  type WorkflowRunHistory,
} from '../../libs/audit/index.js';
import { ConfigError, loadConfig, type AppConfig } from '../../libs/config/index.js';
import { openConfiguredDatabase, type SqlClient } from '../../libs/database/index.js';
import { DEPARTMENT_CODE_PATTERN, streamIdFor, workflowIdFor } from '../../libs/domain/index.js';
import { DepartmentReadModel } from '../../libs/projections/index.js';
import { workflowsPath } from '../../libs/temporal/index.js';
import { ProgressBar } from './progress-bar.js';

export const USAGE = `Usage: npm run audit -- <command> [options]

  verify <CODE>                   recompute one department's hash chain
  verify --all                    every stream in the event store
  export <CODE> --out <dir>       events, signed digest, public key, verifier and README for an outsider
  replay [--histories <dir>]      replay Temporal histories against today's workflow code:
                                  every department's workflow runs, or the *.json histories in <dir>
         [--departments A,B]      only these departments (from Temporal)
  rebuild [--restart]             rebuild the read models from the events (resumes an interrupted rebuild)
  digest [--out <file>]           take a signed digest of every stream head
  verify-digest <file>            prove that today's log extends a digest taken earlier

Options: --json prints machine-readable results. Configuration comes from the same
environment variables as the API (DATABASE_URL or DATA_DIR, TEMPORAL_ADDRESS, AUDIT_SIGNING_KEY…).
Exit status: 0 all verified, 1 something did not verify, 2 the command could not run.`;

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Workflow code to replay against; today's workflows when absent (tests pass a changed copy). */
  readonly workflowsPath?: string;
}

class UsageError extends Error {}

/** Runs one CLI command and returns the exit status; never calls process.exit itself. */
export async function runAuditCli(argv: readonly string[], io: CliIo): Promise<number> {
  const session = new CliSession(io);
  try {
    const { positionals, values } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        all: { type: 'boolean' },
        out: { type: 'string' },
        histories: { type: 'string' },
        departments: { type: 'string' },
        restart: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    session.json = values.json ?? false;
    const [command, argument] = positionals;
    if (values.help || !command) {
      io.stdout.write(`${USAGE}\n`);
      return command || values.help ? 0 : 2;
    }
    switch (command) {
      case 'verify':
        return await session.verify(values.all ? undefined : requiredCode(argument, 'verify needs a department code or --all'));
      case 'export':
        if (!values.out) throw new UsageError('export needs --out <dir>');
        return await session.export(requiredCode(argument, 'export needs a department code'), values.out);
      case 'replay':
        return await session.replay(values.histories, values.departments?.split(',').map((code) => requiredCode(code.trim(), 'bad code')));
      case 'rebuild':
        return await session.rebuild(values.restart ?? false);
      case 'digest':
        return await session.digest(values.out);
      case 'verify-digest':
        if (!argument) throw new UsageError('verify-digest needs the digest file');
        return await session.verifyDigestFile(argument);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
      return 2;
    }
    io.stderr.write(`audit: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    await session.close();
  }
}

function requiredCode(argument: string | undefined, message: string): string {
  if (!argument) throw new UsageError(message);
  const code = argument.toUpperCase();
  if (!DEPARTMENT_CODE_PATTERN.test(code)) throw new UsageError(`"${argument}" is not a department code`);
  return code;
}

/** Opens the database and Temporal only when a command needs them, and closes what it opened. */
class CliSession {
  json = false;
  private config: AppConfig | undefined;
  private db: SqlClient | undefined;
  private connection: Connection | undefined;

  constructor(private readonly io: CliIo) {}

  async verify(code: string | undefined): Promise<number> {
    const checker = new IntegrityChecker(await this.database());
    const results = code
      ? [await checker.verifyStream(streamIdFor(code))].filter((result) => result !== undefined)
      : await checker.verifyAll(this.progress('verify'));
    if (code && results.length === 0) {
      this.io.stderr.write(`audit: no events are recorded for department ${code}\n`);
      return 2;
    }
    const invalid = results.filter((result) => !result.valid);
    this.report(results, () => {
      for (const result of code ? results : invalid) {
        this.line(
          result.valid
            ? `ok      ${result.streamId}: ${result.checkedEvents} events, chain intact`
            : `INVALID ${result.streamId}: first invalid version ${result.firstInvalidVersion} (${result.problem})`,
        );
      }
      if (!code) this.line(`${results.length - invalid.length} of ${results.length} streams verified${invalid.length ? `, ${invalid.length} INVALID` : ''}`);
    });
    return invalid.length === 0 ? 0 : 1;
  }

  async export(code: string, out: string): Promise<number> {
    const key = this.signingKey(await this.appConfig());
    const result = await exportEvidence(await this.database(), key, code, resolve(out), this.progress('export'));
    this.report(result, () => {
      this.line(`exported ${result.events} events of ${result.streamId} to ${result.directory}`);
      this.line(`check them there with: node verify.mjs   (see README.md for openssl)`);
    });
    return 0;
  }

  async replay(historiesDir: string | undefined, departments: string[] | undefined): Promise<number> {
    const runs = historiesDir ? await readHistories(historiesDir) : await this.fetchHistories(departments);
    const progress = this.progress('replay');
    this.io.stderr.write(`bundling the workflow code…\n`);
    const workflowBundle = await bundleWorkflows(this.io.workflowsPath ?? workflowsPath());
    progress.start(runs.length, 'histories');
    const outcomes = await replayHistories(runs, { workflowBundle }, progress);
    progress.done();
    this.report(outcomes, () => {
      for (const outcome of outcomes) this.line(describeReplay(outcome));
      this.line(`${outcomes.filter((outcome) => outcome.ok).length} of ${outcomes.length} histories replayed without divergence`);
    });
    return outcomes.every((outcome) => outcome.ok) ? 0 : 1;
  }

  async rebuild(restart: boolean): Promise<number> {
    const result = await rebuildProjections(await this.database(), { restart, progress: this.progress('rebuild') });
    this.report(result, () => {
      if (result.resumedFrom !== null) this.line(`resumed an interrupted rebuild after position ${result.resumedFrom}`);
      this.line(`rebuilt read models from ${result.events} events in ${result.streams} streams; ${result.orphansRemoved} orphaned rows removed`);
      for (const stream of result.invalidStreams) this.line(`WARNING ${stream.streamId}: chain invalid from version ${stream.firstInvalidVersion}`);
    });
    return 0;
  }

  async digest(out: string | undefined): Promise<number> {
    const digest = await takeDigest(await this.database(), this.signingKey(await this.appConfig()));
    const text = `${JSON.stringify(digest, null, 2)}\n`;
    if (out) {
      await writeFile(out, text);
      this.line(`signed digest of ${digest.payload.streamCount} streams up to position ${digest.payload.globalPosition} written to ${out}`);
    } else {
      this.io.stdout.write(text);
    }
    return 0;
  }

  async verifyDigestFile(file: string): Promise<number> {
    const digest: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (!isSignedDigest(digest)) throw new UsageError(`${file} is not a digest as "audit digest" writes it`);
    const key = this.signingKey(await this.appConfig());
    const result = await verifyDigest(await this.database(), digest, key.publicKeyPem, this.progress('verify-digest'));
    this.report(result, () => {
      this.line(`${result.valid ? 'ok' : 'INVALID'}: signature ${result.signatureValid ? 'valid' : 'INVALID'}, log ${result.extendsDigest ? 'extends' : 'does NOT extend'} the digest of ${result.takenAt}`);
      for (const problem of result.problems) this.line(`  ${problem.kind}${problem.streamId ? ` ${problem.streamId}` : ''}${problem.version ? ` version ${problem.version}` : ''}`);
    });
    return result.valid ? 0 : 1;
  }

  async close(): Promise<void> {
    await this.connection?.close();
    await this.db?.close();
  }

  private async fetchHistories(departments: string[] | undefined): Promise<WorkflowRunHistory[]> {
    const codes = departments ?? (await new DepartmentReadModel(await this.database()).list()).map((state) => state.code);
    const client = await this.temporal();
    const progress = this.progress('fetch');
    progress.start(codes.length, 'workflows');
    const runs: WorkflowRunHistory[] = [];
    for (const code of codes) {
      runs.push(...(await fetchRunChain(client, workflowIdFor(code))));
      progress.tick();
    }
    progress.done();
    return runs;
  }

  private async appConfig(): Promise<AppConfig> {
    this.config ??= loadConfig(this.io.env);
    return this.config;
  }

  private async database(): Promise<SqlClient> {
    this.db ??= await openConfiguredDatabase(await this.appConfig());
    return this.db;
  }

  private async temporal(): Promise<Client> {
    const config = await this.appConfig();
    this.connection ??= await Connection.connect({ address: config.temporalTarget });
    return new Client({ connection: this.connection, namespace: config.temporalNamespace });
  }

  private signingKey(config: AppConfig): AuditSigningKey {
    if (!config.auditSigningKeyPem) throw new UsageError('no audit signing key: set AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE');
    return AuditSigningKey.fromPem(config.auditSigningKeyPem);
  }

  private progress(label: string): ProgressBar {
    return new ProgressBar(this.io.stderr, label);
  }

  private report(value: unknown, human: () => void): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else human();
  }

  private line(text: string): void {
    this.io.stdout.write(`${text}\n`);
  }
}

/** `*.json` files as `temporal workflow show --output json` writes them; the workflow id is the file name. */
async function readHistories(dir: string): Promise<WorkflowRunHistory[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  if (files.length === 0) throw new UsageError(`no *.json histories in ${dir}`);
  return Promise.all(
    files.map(async (name) => {
      const history = historyFromJSON(JSON.parse(await readFile(join(dir, name), 'utf8')));
      const runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.originalExecutionRunId ?? basename(name, '.json');
      return { workflowId: basename(name, '.json'), runId, history };
    }),
  );
}

function describeReplay(outcome: ReplayOutcome): string {
  if (outcome.ok) return `ok        ${outcome.workflowId} (run ${outcome.runId})`;
  const where = outcome.error?.eventId === undefined ? '' : ` at history event ${outcome.error.eventId}`;
  return `DIVERGED  ${outcome.workflowId} (run ${outcome.runId})${where}: ${outcome.error?.message.split('\n')[0]}`;
}
