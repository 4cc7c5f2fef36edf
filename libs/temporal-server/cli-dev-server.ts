import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import type { Log } from './log.js';
import { ServerProcess } from './server-process.js';
import { dynamicConfigArgs, frontendAddress, uiUrlOf, type DevServer, type DevServerSettings } from './types.js';

const POLL_INTERVAL_MS = 250;

/** Runs `temporal server start-dev` as a child process and waits until it serves requests. */
export async function startCliDevServer(
  cliPath: string,
  settings: DevServerSettings,
  log: Log,
): Promise<DevServer> {
  if (settings.dbFilename) await mkdir(path.dirname(settings.dbFilename), { recursive: true });
  const server = new ServerProcess(cliPath, startDevArgs(settings), log);
  const address = frontendAddress(settings.ip, settings.port);
  try {
    await waitUntilServing(address, settings, server);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { address, uiUrl: uiUrlOf(settings), stop: () => server.stop() };
}

function startDevArgs(settings: DevServerSettings): string[] {
  const args = ['server', 'start-dev', '--ip', settings.ip, '--port', String(settings.port)];
  if (settings.headless) args.push('--headless');
  else if (settings.uiPort !== undefined) args.push('--ui-port', String(settings.uiPort));
  if (settings.dbFilename) args.push('--db-filename', settings.dbFilename);
  // "default" is always created; naming it again would register it twice.
  if (settings.namespace !== 'default') args.push('--namespace', settings.namespace);
  for (const [name, type] of Object.entries(settings.searchAttributes)) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  args.push(...dynamicConfigArgs(settings));
  args.push('--log-level', 'warn');
  return args;
}

async function waitUntilServing(address: string, settings: DevServerSettings, server: ServerProcess): Promise<void> {
  const deadline = Date.now() + settings.readyTimeoutMs;
  let lastProblem = 'none yet';
  for (;;) {
    if (server.exitedWith) {
      throw new Error(
        `temporal dev server on ${address} stopped before it was ready (${server.exitedWith}). ` +
          `Its output:\n${server.output}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `temporal dev server on ${address} did not answer within ${settings.readyTimeoutMs / 1000}s ` +
          `(last attempt: ${lastProblem}). Its output:\n${server.output}`,
      );
    }
    try {
      await probe(address, settings.namespace);
      return;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

/** Ready means: the frontend answers and the namespace is registered. */
async function probe(address: string, namespace: string): Promise<void> {
  // Not Connection.connect: when it fails it leaves its channel reconnecting in the background.
  const connection = Connection.lazy({ address, connectTimeout: '2s' });
  try {
    await connection.ensureConnected();
    await connection.workflowService.getSystemInfo({});
    await connection.workflowService.describeNamespace({ namespace });
  } finally {
    await connection.close();
  }
}
