import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { userInfo } from 'node:os';
import { SingleBar, Presets } from 'cli-progress';
import { Command, CommanderError, Option } from 'commander';
import { signToken } from '../api/src/auth/tokens.js';
import { ROLES } from '../api/src/auth/roles.js';
import { TokenRequestError, parseTokenRequest } from '../api/src/auth/token-request.js';
import { runAuditCli } from '../audit-cli/cli.js';
import { loadConfig } from '../../libs/config/index.js';
import { apiIsUp, runDemo, type DemoSummary } from './demo.js';

/** Exit statuses scripts can rely on. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface SscIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
}

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * `ssc <command>`: the operators' and auditors' command line, gathering `npm run token`,
 * `npm run audit` and the demo programme. Returns the exit status; never exits itself.
 */
export async function runSsc(argv: readonly string[], io: SscIo): Promise<number> {
  let status: number = EXIT.ok;
  const program = new Command('ssc')
    .description('ssc-onboarding from the command line: tokens, audit, the demo programme')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(ssc --help lists the commands)')
    .addHelpText(
      'after',
      `\nExit status: ${EXIT.ok} done, ${EXIT.failed} something did not verify or a demo step failed, ${EXIT.usage} bad usage or the command could not run.\nConfiguration comes from the same environment variables as the API (DATA_DIR, AUTH_JWT_SECRET, DATABASE_URL, TEMPORAL_ADDRESS…).`,
    );

  program
    .command('token')
    .description('print a bearer token signed with AUTH_JWT_SECRET (embedded mode: DATA_DIR/jwt-secret)')
    .addOption(new Option('--role <role...>', `role(s): ${ROLES.join(', ')}`).makeOptionMandatory())
    .option('--dept <code...>', 'department code(s) the token covers; required for lead and centre')
    .option('--sub <name>', 'who the token names in the audit trail')
    .option('--hours <n>', 'lifetime, 1 to 24', '8')
    .option('--json', 'print { token, sub, roles, departments, expiresInSeconds }')
    .action((options: { role: string[]; dept?: string[]; sub?: string; hours: string; json?: boolean }) => {
      status = token(options, io);
    });

  const audit = program.command('audit').description("the auditors' tools (the same as npm run audit)");
  const auditCommand = (name: string, description: string, build: (command: Command) => Command, args: (options: Record<string, unknown>, ...positionals: string[]) => string[]) => {
    build(audit.command(name).description(description))
      .option('--json', 'machine-readable results')
      .action(async (...received: unknown[]) => {
        const command = received.at(-1) as Command;
        const positionals = received.slice(0, -2).filter((value): value is string => typeof value === 'string');
        const options = command.opts();
        status = await runAuditCli([name, ...args(options, ...positionals), ...(options.json ? ['--json'] : [])], io);
      });
  };
  auditCommand('verify', "recompute a department's hash chain, or every stream's with --all", (c) => c.argument('[code]', 'department code').option('--all', 'every stream in the event store'), (o, code) => (o.all ? ['--all'] : code ? [code] : []));
  auditCommand('export', 'events, signed digest, public key, verifier and README for an outsider', (c) => c.argument('<code>', 'department code').requiredOption('--out <dir>', 'where to write the evidence'), (o, code) => [code, '--out', String(o.out)]);
  auditCommand('replay', "replay Temporal histories against today's workflow code", (c) => c.option('--histories <dir>', 'replay the *.json histories in this folder').option('--departments <codes>', 'only these departments, comma-separated'), (o) => [
    ...(o.histories ? ['--histories', String(o.histories)] : []),
    ...(o.departments ? ['--departments', String(o.departments)] : []),
  ]);
  auditCommand('rebuild', 'rebuild the read models from the events', (c) => c.option('--restart', 'start again instead of resuming an interrupted rebuild'), (o) => (o.restart ? ['--restart'] : []));
  auditCommand('digest', 'take a signed digest of every stream head', (c) => c.option('--out <file>', 'write it to this file'), (o) => (o.out ? ['--out', String(o.out)] : []));
  auditCommand('verify-digest', "prove that today's log extends a digest taken earlier", (c) => c.argument('<file>', 'the digest file'), (_o, file) => [file]);

  program
    .command('demo')
    .description('register a realistic demo programme through the public API (two centres, 26 departments at every stage); running it again adds nothing')
    .option('--url <url>', 'the API to build it in (default http://localhost:$PORT)')
    .option('--no-start', 'do not start the embedded stack (npm start) when no API answers')
    .option('--concurrency <n>', 'departments built at once', '4')
    .option('--json', 'print the summary as JSON')
    .action(async (options: { url?: string; start: boolean; concurrency: string; json?: boolean }) => {
      status = await demo(options, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage;
    }
    io.stderr.write(`ssc: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.usage;
  }
  return status;
}

function token(options: { role: string[]; dept?: string[]; sub?: string; hours: string; json?: boolean }, io: SscIo): number {
  const argv = [...options.role.flatMap((role) => ['--role', role]), ...(options.dept ?? []).flatMap((code) => ['--dept', code]), ...(options.sub ? ['--sub', options.sub] : []), '--hours', options.hours];
  let request;
  try {
    request = parseTokenRequest(argv, safeUserName());
  } catch (error) {
    if (!(error instanceof TokenRequestError)) throw error;
    io.stderr.write(`ssc token: ${error.message}\n`);
    return EXIT.usage;
  }
  if (request === 'help') return EXIT.ok;
  const config = loadConfig(io.env);
  if (!config.authJwtSecret) {
    io.stderr.write('ssc token: this deployment accepts only its identity provider\'s tokens (AUTH_JWT_SECRET is not set)\n');
    return EXIT.usage;
  }
  const signed = signToken(request.claims, { secret: config.authJwtSecret, issuer: config.authJwtIssuer, audience: config.authJwtAudience, expiresInSeconds: request.expiresInSeconds });
  io.stdout.write(options.json ? `${JSON.stringify({ token: signed, ...request.claims, expiresInSeconds: request.expiresInSeconds })}\n` : `${signed}\n`);
  return EXIT.ok;
}

async function demo(options: { url?: string; start: boolean; concurrency: string; json?: boolean }, io: SscIo): Promise<number> {
  const config = loadConfig(io.env);
  if (!config.authJwtSecret) {
    io.stderr.write('ssc demo: AUTH_JWT_SECRET is needed to sign the demo users\' tokens\n');
    return EXIT.usage;
  }
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
    io.stderr.write('ssc demo: --concurrency must be an integer from 1 to 16\n');
    return EXIT.usage;
  }
  const url = options.url ?? `http://localhost:${config.port}`;
  let stack: ChildProcess | undefined;
  if (!(await apiIsUp(url))) {
    if (!options.start || options.url) {
      io.stderr.write(`ssc demo: no API answers at ${url}${options.url ? '' : ' (start it with npm start, or leave out --no-start)'}\n`);
      return EXIT.usage;
    }
    io.stderr.write('No API answers yet: starting the embedded stack (npm start)…\n');
    stack = await startStack(url, io);
    if (!stack) return EXIT.usage;
  }

  const bar = new SingleBar({ format: 'Demo programme [{bar}] {value}/{total} steps  {label}', stream: io.stderr as NodeJS.WritableStream, noTTYOutput: false, hideCursor: true }, Presets.shades_classic);
  const showBar = io.stderr.isTTY === true && !options.json;
  let summary: DemoSummary;
  try {
    summary = await runDemo({
      url,
      secret: config.authJwtSecret,
      issuer: config.authJwtIssuer,
      audience: config.authJwtAudience,
      concurrency,
      onStart: (total) => (showBar ? bar.start(total, 0, { label: '' }) : undefined),
      onStep: (step) => (showBar ? bar.increment({ label: step.key.replace(/^demo-/, '') }) : undefined),
    });
  } finally {
    if (showBar) bar.stop();
  }
  if (options.json) {
    io.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    io.stdout.write(`Demo programme at ${summary.url}: ${summary.departments} departments in ${summary.centres.join(' and ')}, ${summary.succeeded} of ${summary.steps} steps answered.\n`);
    for (const failure of summary.failures) io.stdout.write(`  failed ${failure.key}: ${failure.status} ${failure.code ?? ''} ${failure.message ?? ''}\n`);
    io.stdout.write(`Explore it: ${summary.url}/ (console), ${summary.url}/api/reports/savings, /timetable, /stage-durations, /benchmarks\n`);
  }
  if (stack) {
    io.stderr.write('The stack keeps running so you can explore it; Ctrl-C stops it.\n');
    await new Promise<void>((resolve) => stack!.once('exit', () => resolve()));
  }
  return summary.failures.length === 0 ? EXIT.ok : EXIT.failed;
}

/** `npm start`'s launcher as a child, until its API answers (the first start may build the Temporal CLI). */
async function startStack(url: string, io: SscIo): Promise<ChildProcess | undefined> {
  const child = spawn(process.execPath, [join(projectRoot, 'dist/apps/launcher/main.js')], { env: { ...io.env }, stdio: ['ignore', 'inherit', 'inherit'] });
  process.once('SIGINT', () => child.kill('SIGINT'));
  const deadline = Date.now() + 15 * 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      io.stderr.write(`ssc demo: the stack stopped (exit ${child.exitCode}) before its API answered\n`);
      return undefined;
    }
    if (await apiIsUp(url)) return child;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  child.kill('SIGINT');
  io.stderr.write(`ssc demo: no API answered at ${url} within 15 minutes\n`);
  return undefined;
}

function safeUserName(): string {
  try {
    return userInfo().username.replace(/[^\w.@:+-]/g, '') || 'local';
  } catch {
    return 'local';
  }
}
