/**
 * `npm run temporal:ensure`: makes sure a temporal CLI exists (building it with Go when
 * needed) and prints its path as the only line on stdout, for scripts to capture.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTemporalCli, temporalCliCacheDir } from './find-cli.js';
import { stderrLog } from './log.js';

const projectRoot = nearestPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

try {
  const cliPath = await findTemporalCli({ projectRoot, log: stderrLog });
  if (!cliPath) {
    stderrLog(
      `No temporal CLI in TEMPORAL_CLI_PATH, on PATH or in ${temporalCliCacheDir(projectRoot)}, and no Go to build one. ` +
        'Install Go >= 1.22 from https://go.dev/dl/, or put a temporal CLI on PATH or set TEMPORAL_CLI_PATH to one.',
    );
    process.exitCode = 1;
  } else {
    process.stdout.write(`${cliPath}\n`);
  }
} catch (error) {
  stderrLog(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}

/** Runs from dist/libs/temporal-server/: the project is the closest folder with a package.json. */
function nearestPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}
