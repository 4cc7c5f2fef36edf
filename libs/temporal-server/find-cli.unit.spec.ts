import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findTemporalCli, temporalCliCacheDir, type BuildTemporalCli } from './index.js';

describe('findTemporalCli', () => {
  let root: string;
  let projectRoot: string;
  let envDir: string;
  let pathDir: string;
  let builds: string[];
  const quiet = (): void => undefined;
  const recordingBuild: BuildTemporalCli = async ({ cacheDir }) => {
    builds.push(cacheDir);
    return undefined;
  };

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'find-cli-'));
    projectRoot = path.join(root, 'project');
    envDir = path.join(root, 'from-env');
    pathDir = path.join(root, 'on-path');
    await Promise.all([projectRoot, envDir, pathDir].map((dir) => mkdir(dir, { recursive: true })));
    builds = [];
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function fakeExecutable(dir: string): Promise<string> {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'temporal');
    await writeFile(file, '#!/bin/sh\nexit 0\n');
    await chmod(file, 0o755);
    return file;
  }

  const find = (env: NodeJS.ProcessEnv) => findTemporalCli({ projectRoot, log: quiet, env, build: recordingBuild });

  it('prefers TEMPORAL_CLI_PATH over PATH and the cache', async () => {
    const fromEnv = await fakeExecutable(envDir);
    await fakeExecutable(pathDir);
    await fakeExecutable(temporalCliCacheDir(projectRoot));

    await expect(find({ TEMPORAL_CLI_PATH: fromEnv, PATH: pathDir })).resolves.toBe(fromEnv);
    expect(builds).toEqual([]);
  });

  it('refuses a TEMPORAL_CLI_PATH that is not an executable, naming the variable', async () => {
    await fakeExecutable(pathDir);

    await expect(find({ TEMPORAL_CLI_PATH: path.join(envDir, 'missing'), PATH: pathDir })).rejects.toThrow(
      /TEMPORAL_CLI_PATH/,
    );
  });

  it('uses PATH before the cache', async () => {
    const onPath = await fakeExecutable(pathDir);
    await fakeExecutable(temporalCliCacheDir(projectRoot));

    await expect(find({ PATH: [path.join(root, 'empty'), pathDir].join(path.delimiter) })).resolves.toBe(onPath);
    expect(builds).toEqual([]);
  });

  it('skips a non-executable file named temporal on PATH', async () => {
    await writeFile(path.join(pathDir, 'temporal'), 'not a program');
    const cached = await fakeExecutable(temporalCliCacheDir(projectRoot));

    await expect(find({ PATH: pathDir })).resolves.toBe(cached);
  });

  it('uses the project cache when nothing else has one', async () => {
    const cached = await fakeExecutable(temporalCliCacheDir(projectRoot));

    await expect(find({ PATH: pathDir })).resolves.toBe(cached);
    expect(builds).toEqual([]);
  });

  it('asks for a build into the cache folder when no binary exists', async () => {
    await expect(find({ PATH: pathDir })).resolves.toBeUndefined();
    expect(builds).toEqual([temporalCliCacheDir(projectRoot)]);
  });

  it('returns what the build produced', async () => {
    const built = path.join(temporalCliCacheDir(projectRoot), 'temporal');
    const build: BuildTemporalCli = async () => built;

    await expect(findTemporalCli({ projectRoot, log: quiet, env: { PATH: pathDir }, build })).resolves.toBe(built);
  });
});
