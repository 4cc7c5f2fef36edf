import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Log } from './log.js';
import { OutputTail } from './output-tail.js';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
/** Pinned: later tags carry `replace` directives, which `go install pkg@version` refuses. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_CLI_EXECUTABLE = process.platform === 'win32' ? 'temporal.exe' : 'temporal';

const PROGRESS_INTERVAL_MS = 15_000;

/** Builds the CLI into `cacheDir` and returns its path, or undefined when there is no Go. */
export type BuildTemporalCli = (request: { cacheDir: string; log: Log }) => Promise<string | undefined>;

export const buildTemporalCliWithGo: BuildTemporalCli = async ({ cacheDir, log }) => {
  const go = await goVersion();
  if (!go) return undefined;
  await mkdir(cacheDir, { recursive: true });
  // Build into a private folder and rename: an interrupted or concurrent build never
  // leaves a half-written binary where the next run would pick it up.
  const stagingDir = await mkdtemp(path.join(cacheDir, 'build-'));
  try {
    log(
      `Building the temporal CLI ${TEMPORAL_CLI_VERSION} with ${go} into ${cacheDir}. ` +
        'The first build takes several minutes; later ones reuse Go’s build cache.',
    );
    await goInstall(stagingDir, log);
    const target = path.join(cacheDir, TEMPORAL_CLI_EXECUTABLE);
    await rename(path.join(stagingDir, TEMPORAL_CLI_EXECUTABLE), target);
    log(`temporal CLI built: ${target}`);
    return target;
  } finally {
    await rm(stagingDir, { recursive: true, force: true });
  }
};

async function goVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('go', ['version']);
    return stdout.trim();
  } catch {
    return undefined;
  }
}

async function goInstall(gobin: string, log: Log): Promise<void> {
  const target = `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`;
  const child = spawn('go', ['install', '-v', target], {
    cwd: gobin,
    env: { ...process.env, GOBIN: gobin },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = new OutputTail();
  let packagesCompiled = 0;
  const onLine = (line: string): void => {
    // `go: downloading …` is worth showing as it happens; `-v` package names are only counted.
    if (line.startsWith('go: ')) log(`  ${line}`);
    else packagesCompiled += 1;
  };
  tail.follow(child.stdout, onLine);
  tail.follow(child.stderr, onLine);
  const startedAt = Date.now();
  const progress = setInterval(() => {
    const seconds = Math.round((Date.now() - startedAt) / 1000);
    const compiled = packagesCompiled > 0 ? `, ${packagesCompiled} packages compiled` : '';
    log(`  still building the temporal CLI… ${seconds}s${compiled}`);
  }, PROGRESS_INTERVAL_MS);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) {
      throw new Error(`go install ${target} failed with exit code ${code}:\n${tail}`);
    }
  } finally {
    clearInterval(progress);
  }
}
