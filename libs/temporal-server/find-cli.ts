import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { buildTemporalCliWithGo, TEMPORAL_CLI_EXECUTABLE, type BuildTemporalCli } from './go-build.js';
import { stderrLog, type Log } from './log.js';

export interface FindTemporalCliOptions {
  projectRoot: string;
  log?: Log;
  /** Where TEMPORAL_CLI_PATH and PATH are read; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** The last resort when no binary exists; defaults to `go install` into the cache folder. */
  build?: BuildTemporalCli;
}

export function temporalCliCacheDir(projectRoot: string): string {
  return path.join(projectRoot, '.cache', 'temporal-cli');
}

/**
 * Path of a `temporal` CLI binary: TEMPORAL_CLI_PATH, then PATH, then the project cache,
 * then a fresh Go build into the cache. Undefined when none exists and Go is missing.
 * Throws when TEMPORAL_CLI_PATH is set but unusable, or when the Go build fails.
 */
export async function findTemporalCli(options: FindTemporalCliOptions): Promise<string | undefined> {
  const env = options.env ?? process.env;
  const fromEnv = env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (await isExecutableFile(fromEnv)) return path.resolve(fromEnv);
    throw new Error(
      `TEMPORAL_CLI_PATH=${fromEnv} is not an executable file: point it at a temporal CLI binary or unset it`,
    );
  }
  const onPath = await findOnPath(TEMPORAL_CLI_EXECUTABLE, env.PATH);
  if (onPath) return onPath;
  const cacheDir = temporalCliCacheDir(options.projectRoot);
  const cached = path.join(cacheDir, TEMPORAL_CLI_EXECUTABLE);
  if (await isExecutableFile(cached)) return cached;
  const build = options.build ?? buildTemporalCliWithGo;
  return await build({ cacheDir, log: options.log ?? stderrLog });
}

async function findOnPath(executable: string, searchPath: string | undefined): Promise<string | undefined> {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.resolve(dir, executable);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
