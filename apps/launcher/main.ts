import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigOrExit, type AppConfig } from '../../libs/config/index.js';
import { openConfiguredDatabase } from '../../libs/database/index.js';
import { SEARCH_ATTRIBUTE_TYPES } from '../../libs/temporal/index.js';
import { startDevServer, type DevServer } from '../../libs/temporal-server/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = join(here, '..', '..', '..');

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * `npm start`: the whole product on one machine. Starts what is not configured — the
 * Temporal development server persisted in DATA_DIR — then the worker and the API as
 * child processes. Ctrl-C stops every one of them.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  let devServer: DevServer | undefined;
  if (!config.temporalAddress) {
    say(`Starting the Temporal development server (workflows kept in ${join(config.dataDir, 'temporal.sqlite')})…`);
    devServer = await startDevServer({
      projectRoot,
      port: config.temporalDevPort,
      uiPort: config.temporalDevUiPort,
      headless: false,
      dbFilename: join(config.dataDir, 'temporal.sqlite'),
      namespace: config.temporalNamespace,
      searchAttributes: SEARCH_ATTRIBUTE_TYPES,
    });
  }
  const temporalAddress = config.temporalAddress ?? devServer!.address;
  const temporalUiUrl = config.temporalUiUrl ?? devServer?.uiUrl;

  // Migrate once here so the worker and API do not race to create the schema.
  await (await openConfiguredDatabase(config)).close();

  const env = childEnvironment(config, temporalAddress, temporalUiUrl);
  const children = [
    startChild('worker', join(projectRoot, 'dist/apps/worker/src/main.js'), env),
    startChild('api', join(projectRoot, 'dist/apps/api/src/main.js'), env),
  ];

  let stopping = false;
  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    say('\nStopping…');
    await Promise.all(children.map((child) => terminate(child)));
    await devServer?.stop();
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  for (const child of children) {
    child.once('exit', (code) => {
      if (!stopping) {
        say(`${child.spawnargs[1]} exited with ${code}; stopping the stack`);
        void stop(code ?? 1);
      }
    });
  }

  await waitForHealth(config.port);
  say('');
  say('ssc-onboarding is running');
  say(`  API          http://localhost:${config.port}/api`);
  say(`  API docs     http://localhost:${config.port}/docs`);
  say(`  Health       http://localhost:${config.port}/health`);
  if (temporalUiUrl) say(`  Temporal UI  ${temporalUiUrl}`);
  say(`  Data         ${config.dataDir}${config.databaseUrl ? ' (events in PostgreSQL)' : ''}`);
  say('  Get a token  npm run token -- --role programme   (or --role lead --dept DFT)');
  say('Press Ctrl-C to stop.');
}

function childEnvironment(config: AppConfig, temporalAddress: string, temporalUiUrl: string | undefined): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATA_DIR: config.dataDir,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: config.temporalNamespace,
    ...(config.authJwtSecret ? { AUTH_JWT_SECRET: config.authJwtSecret } : {}),
    PORT: String(config.port),
    ...(temporalUiUrl ? { TEMPORAL_UI_URL: temporalUiUrl } : {}),
  };
}

function startChild(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.spawnargs[1] = name;
  return child;
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function waitForHealth(port: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the API did not become healthy on port ${port} within ${timeoutMs / 1000}s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
