import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createRequire, register } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { DevServer } from '../../libs/temporal-server/index.js';

declare global {
  /** Set by the global setup, run by the global teardown; jest runs both in one process. */
  // eslint-disable-next-line no-var
  var __sscIntegrationDispose: (() => Promise<void>) | undefined;
}

/**
 * One Temporal dev server and one fresh PostgreSQL database for the whole integration run,
 * so that tests pay start-up once and never see data from an earlier run.
 */
export default async function globalSetup(globalConfig: { rootDir: string }): Promise<void> {
  const projectRoot = globalConfig.rootDir;
  const suffix = randomBytes(6).toString('hex');
  const databaseName = `ssc_test_${suffix}`;
  const temporalDbFile = path.join(tmpdir(), `ssc-test-temporal-${suffix}.sqlite`);
  const adminUrl = await reachablePostgresAdminUrl();

  const { startDevServer } = await importProjectModules(projectRoot, () => import('../../libs/temporal-server/index.js'));
  const { SEARCH_ATTRIBUTE_TYPES } = await import('../../libs/temporal/search-attributes.js');

  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${databaseName}"`));
  let server: DevServer | undefined;
  const dispose = async (): Promise<void> => {
    await server?.stop();
    // SQLite keeps its write-ahead log and shared memory next to the database file.
    await Promise.all(['', '-wal', '-shm', '-journal'].map((end) => rm(`${temporalDbFile}${end}`, { force: true })));
    await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`));
  };
  try {
    server = await startDevServer({ projectRoot, dbFilename: temporalDbFile, searchAttributes: SEARCH_ATTRIBUTE_TYPES });
  } catch (error) {
    await dispose(); // jest skips the teardown when the setup throws
    throw error;
  }
  globalThis.__sscIntegrationDispose = dispose;
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
  process.env.TEST_DATABASE_URL = databaseUrl(adminUrl, databaseName);
}

/**
 * jest loads this file through Node's own module loader, not its test runtime: the
 * `moduleNameMapper` and ts-jest do not apply to what it imports. These hooks let Node
 * load the project's TypeScript (`./x.js` written, `./x.ts` on disk) for the setup only.
 */
async function importProjectModules<T>(projectRoot: string, load: () => Promise<T>): Promise<T> {
  if (!globalThis.__sscTsHooksRegistered) {
    const typescriptUrl = pathToFileURL(createRequire(path.join(projectRoot, 'package.json')).resolve('typescript')).href;
    register(`data:text/javascript,${encodeURIComponent(TS_HOOKS)}`, { data: { typescriptUrl, projectRoot } });
    globalThis.__sscTsHooksRegistered = true;
  }
  return await load();
}

declare global {
  // eslint-disable-next-line no-var
  var __sscTsHooksRegistered: boolean | undefined;
}

const TS_HOOKS = `
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
let ts;
let projectUrl;
export async function initialize({ typescriptUrl, projectRoot }) {
  ts = (await import(typescriptUrl)).default;
  projectUrl = pathToFileURL(projectRoot + '/').href;
}
const ours = (url) => url.startsWith(projectUrl) && !url.includes('/node_modules/');
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const relativeJs = /^\\.{1,2}\\//.test(specifier) && specifier.endsWith('.js');
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !relativeJs || !ours(context.parentURL ?? '')) throw error;
    return await next(specifier.slice(0, -3) + '.ts', context);
  }
}
export async function load(url, context, next) {
  if (!url.endsWith('.ts') || !ours(url)) return next(url, context);
  const fileName = fileURLToPath(url);
  const { outputText } = ts.transpileModule(await readFile(fileName, 'utf8'), {
    fileName,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      useDefineForClassFields: false,
      inlineSourceMap: true,
    },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
`;

async function reachablePostgresAdminUrl(): Promise<string> {
  const configured = process.env.TEST_PG_ADMIN_URL;
  const candidates = configured
    ? [configured]
    : [
        'postgres://postgres@127.0.0.1:5432/postgres',
        `postgres://${encodeURIComponent(userInfo().username)}@127.0.0.1:5432/postgres`,
      ];
  const failures: string[] = [];
  for (const url of candidates) {
    try {
      await withClient(url, (client) => client.query('SELECT 1'));
      return url;
    } catch (error) {
      failures.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(
    'Integration tests need PostgreSQL on 127.0.0.1:5432 with trust auth, or TEST_PG_ADMIN_URL set to an ' +
      `admin connection URL. Tried:\n${failures.join('\n')}`,
  );
}

function databaseUrl(adminUrl: string, databaseName: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

async function withClient<T>(connectionString: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
