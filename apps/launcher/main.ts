import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedSecretFile, loadConfigOrExit, type AppConfig } from '../../libs/config/index.js';
import { openConfiguredDatabase } from '../../libs/database/index.js';
import { SEARCH_ATTRIBUTE_TYPES } from '../../libs/temporal/index.js';
import { startDevServer, type DevServer } from '../../libs/temporal-server/index.js';
import { SupervisedChild } from './supervised-child.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = join(here, '..', '..', '..');

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * `npm start`: the whole product on one machine. Starts what is not configured — the
 * Temporal development server persisted in DATA_DIR — then the worker and the API as
 * child processes, restarting either when it crashes. Ctrl-C stops every one of them.
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
  let stopping = false;
  const children: SupervisedChild[] = [];
  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    say('\nStopping…');
    await Promise.all(children.map((child) => child.stop()));
    await devServer?.stop();
    process.exit(exitCode);
  };
  // A crashed worker or API is started again with backoff, so the other keeps serving;
  // only a crash loop stops the stack.
  const onCrashLoop = (name: string, crashes: number) => {
    say(`${name} crashed ${crashes} times within a minute: a crash loop, not restarting it; stopping the stack`);
    void stop(1);
  };
  children.push(
    new SupervisedChild('worker', join(projectRoot, 'dist/apps/worker/src/main.js'), env, say, onCrashLoop),
    new SupervisedChild('api', join(projectRoot, 'dist/apps/api/src/main.js'), env, say, onCrashLoop),
  );
  for (const child of children) child.start();
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  await waitForHealth(config.port);
  say('');
  say('ssc-onboarding is running');
  say(`  Console      http://localhost:${config.port}/${config.consoleDevSignIn ? '   (sign in with any role: development sign-in)' : ''}`);
  say(`  API          http://localhost:${config.port}/api`);
  say(`  API docs     http://localhost:${config.port}/docs`);
  say(`  Health       http://localhost:${config.port}/health`);
  if (temporalUiUrl) say(`  Temporal UI  ${temporalUiUrl}`);
  say(`  Data         ${config.dataDir}${config.databaseUrl ? ' (events in PostgreSQL)' : ''}`);
  // `npm run token` signs with the shared secret; with only an identity provider, tokens come from it.
  if (config.authJwtSecret) say('  Get a token  npm run token -- --role programme   (or --role lead --dept DFT)');
  else if (config.oidc) say(`  Tokens       issued by ${config.oidc.issuerUrl} (sign in to the console through it)`);
  say('Press Ctrl-C to stop.');
}

function childEnvironment(config: AppConfig, temporalAddress: string, temporalUiUrl: string | undefined): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATA_DIR: config.dataDir,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: config.temporalNamespace,
    ...(config.authJwtSecret ? { AUTH_JWT_SECRET: config.authJwtSecret } : {}),
    // The children see TEMPORAL_ADDRESS and would no longer count as embedded: hand them what
    // the launcher resolved as the embedded stack (the development sign-in, the generated key).
    CONSOLE_DEV_SIGN_IN: String(config.consoleDevSignIn),
    ...(config.auditSigningKeyPem && !process.env.AUDIT_SIGNING_KEY && !process.env.AUDIT_SIGNING_KEY_FILE
      ? { AUDIT_SIGNING_KEY_FILE: generatedSecretFile(config.dataDir, 'auditSigningKey') }
      : {}),
    PORT: String(config.port),
    ...(temporalUiUrl ? { TEMPORAL_UI_URL: temporalUiUrl } : {}),
  };
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
