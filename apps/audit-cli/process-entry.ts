import { DefaultLogger, Runtime } from '@temporalio/worker';

type ProcessIo = { env: NodeJS.ProcessEnv; stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream };

/**
 * A command line as a process: this process's arguments and streams, its exit status from
 * the command (2 when it could not run at all, the message prefixed with `name`). Replay
 * reports divergence itself; the SDK's own warning for each replayed prefix is noise here.
 */
export function runAsProcess(name: string, run: (argv: readonly string[], io: ProcessIo) => Promise<number>): void {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  run(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
