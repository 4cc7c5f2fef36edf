import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stderrLog } from './log.js';
import { ensureTemporalServerBinaries } from './production-server.js';

/** `npm run temporal:ensure-server`: builds the production Temporal server and its SQL tool when missing, prints the server's path. */
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
ensureTemporalServerBinaries(projectRoot, stderrLog).then(
  (binaries) => process.stdout.write(`${binaries.server}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
