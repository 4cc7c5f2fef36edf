import path from 'node:path';
import { startCliDevServer } from './cli-dev-server.js';
import { findTemporalCli, temporalCliCacheDir } from './find-cli.js';
import { stderrLog, type Log } from './log.js';
import { findFreePort, isAddressInUse, isPortFree } from './ports.js';
import { startSdkDevServer } from './sdk-dev-server.js';
import type { DevServer, DevServerSearchAttributeType, DevServerSettings } from './types.js';

/** How often a dev server that lost a port race is started again before its failure is reported. */
const PORT_RACE_ATTEMPTS = 3;

export interface StartDevServerOptions {
  projectRoot: string;
  log?: Log;
  /** Default 127.0.0.1. */
  ip?: string;
  /** gRPC frontend port; a free one when omitted. */
  port?: number;
  /** Web UI port when not headless; a free one when omitted. */
  uiPort?: number;
  /** Default true: no web UI. */
  headless?: boolean;
  /** SQLite file that keeps workflows across restarts; in memory when omitted. */
  dbFilename?: string;
  /** Default "default". */
  namespace?: string;
  searchAttributes?: Readonly<Record<string, DevServerSearchAttributeType>>;
  /** Server dynamic config values (`--dynamic-config-value key=value`). */
  dynamicConfig?: Readonly<Record<string, string | number | boolean>>;
  /** How long to wait for the frontend to answer; default 60 s. */
  readyTimeoutMs?: number;
}

/**
 * Starts a real Temporal development server: the `temporal` CLI when one is found or can
 * be built with Go, otherwise the SDK's downloaded dev server.
 */
export async function startDevServer(options: StartDevServerOptions): Promise<DevServer> {
  const log = options.log ?? stderrLog;
  let cliProblem: string | undefined;
  let cliPath: string | undefined;
  try {
    cliPath = await findTemporalCli({ projectRoot: options.projectRoot, log });
  } catch (error) {
    cliProblem = messageOf(error);
    log(`Cannot use a temporal CLI: ${cliProblem}`);
  }
  // Ports are chosen after a possibly long CLI build, so that they are still free.
  for (let attempt = 1; ; attempt += 1) {
    const settings = await resolveSettings(options);
    // Checked up front: a readiness probe could otherwise reach whatever already listens there.
    if (!(await isPortFree(settings.ip, settings.port))) {
      throw new Error(`Cannot start a Temporal dev server on ${settings.ip}:${settings.port}: the port is in use`);
    }
    if (!cliPath) return await startSdkFallback(options.projectRoot, settings, cliProblem, log);
    try {
      return await startCliDevServer(cliPath, settings, log);
    } catch (error) {
      // The CLI picks its internal services' ports itself, and another process can take one
      // (or one chosen here) before the server binds it: a lost race, worth another go.
      if (attempt >= PORT_RACE_ATTEMPTS || !isAddressInUse(error)) throw error;
      log(`The Temporal dev server lost a port to another process (attempt ${attempt} of ${PORT_RACE_ATTEMPTS}); starting it again.`);
    }
  }
}

async function startSdkFallback(
  projectRoot: string,
  settings: DevServerSettings,
  cliProblem: string | undefined,
  log: Log,
): Promise<DevServer> {
  log('No temporal CLI available; falling back to the dev server the Temporal SDK downloads.');
  const downloadDir = path.join(projectRoot, '.cache', 'temporal-sdk-download');
  try {
    return await startSdkDevServer(settings, { type: 'cached-download', downloadDir });
  } catch (error) {
    throw new Error(noServerMessage(projectRoot, cliProblem, messageOf(error)), { cause: error });
  }
}

async function resolveSettings(options: StartDevServerOptions): Promise<DevServerSettings> {
  const ip = options.ip ?? '127.0.0.1';
  const headless = options.headless ?? true;
  return {
    ip,
    port: options.port ?? (await findFreePort(ip)),
    uiPort: headless ? undefined : (options.uiPort ?? (await findFreePort(ip))),
    headless,
    dbFilename: options.dbFilename === undefined ? undefined : path.resolve(options.dbFilename),
    namespace: options.namespace ?? 'default',
    searchAttributes: options.searchAttributes ?? {},
    dynamicConfig: options.dynamicConfig ?? {},
    readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
  };
}

function noServerMessage(projectRoot: string, cliProblem: string | undefined, sdkProblem: string): string {
  const cacheDir = temporalCliCacheDir(projectRoot);
  return [
    'Could not start a Temporal development server.',
    `- temporal CLI: ${cliProblem ?? `none in TEMPORAL_CLI_PATH, on PATH or in ${cacheDir}, and no Go to build one`}`,
    `- the Temporal SDK's download of the dev server: ${sdkProblem}`,
    `Install Go >= 1.22 from https://go.dev/dl/ (the CLI is then built into ${cacheDir} automatically), ` +
      'or put a temporal CLI on PATH or set TEMPORAL_CLI_PATH to one.',
  ].join('\n');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
