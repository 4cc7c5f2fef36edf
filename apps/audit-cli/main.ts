import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runAuditCli } from './cli.js';

// `npm run audit -- <command>`: the auditors' command line (see cli.ts for the commands).
// Replay reports divergence itself; core's own warning for each replayed prefix is noise here.
Runtime.install({ logger: new DefaultLogger('ERROR') });
runAuditCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`audit: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
