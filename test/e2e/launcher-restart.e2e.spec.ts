import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Role } from '../../apps/api/src/auth/roles.js';
import { signToken } from '../../apps/api/src/auth/tokens.js';
import { findFreePort } from '../../libs/temporal-server/index.js';
import { uniqueCode } from '../support/stack.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const launcher = join(projectRoot, 'dist/apps/launcher/main.js');

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `npm start` keeps the stack up when one of its processes dies: the API answers while the worker comes back. */
describe('npm start when its worker crashes', () => {
  let child: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  });

  it('restarts the worker, and a command sent meanwhile goes through', async () => {
    if (!existsSync(launcher)) throw new Error('dist/ is missing: npm test builds first (npm run build)');
    const dataDir = mkdtempSync(join(tmpdir(), 'ssc-restart-'));
    const port = await findFreePort('127.0.0.1');
    const env = {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      TEMPORAL_DEV_PORT: String(await findFreePort('127.0.0.1')),
      TEMPORAL_DEV_UI_PORT: String(await findFreePort('127.0.0.1')),
    };
    child = spawn(process.execPath, [launcher], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until('the stack', () => (output.includes('ssc-onboarding is running') ? true : child?.exitCode !== null ? fail(output) : undefined));

    const api = `http://127.0.0.1:${port}`;
    const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim();
    const auth = (roles: Role[], departments: string[] = []) => ({
      authorization: `Bearer ${signToken({ sub: `${roles[0]}-user`, roles, departments }, { secret })}`,
      'content-type': 'application/json',
    });
    const code = uniqueCode('RS');
    const post = (path: string, headers: Record<string, string>, body: object) =>
      fetch(`${api}/api${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect((await post('/departments', auth(['programme']), { code, name: 'Home Office', centre: 'ISSC1', plannedGoLive: '2027-09-01' })).status).toBe(201);

    // The worker running now: the last one started (the launcher may already have replaced one
    // that exited while the stack came up; the output says why).
    const workerPid = Number([...output.matchAll(/worker started \(pid (\d+)\)/g)].at(-1)?.[1]);
    process.kill(workerPid, 'SIGKILL');
    await until('the launcher to notice', () => (output.includes('worker was killed by SIGKILL; restarting it in') ? true : undefined));
    expect(child.exitCode).toBeNull();

    // The API kept answering, and a command waits for the worker that comes back.
    const read = await fetch(`${api}/api/departments/${code}`, { headers: auth(['programme']) });
    expect(read.status).toBe(200);
    // As a client should: a 503 (the worker still coming back on a loaded machine can outlast
    // COMMAND_TIMEOUT_MS) is repeated with the same Idempotency-Key, and the command is applied once.
    const assess = () =>
      post(`/departments/${code}/assessment`, { ...auth(['lead'], [code]), 'idempotency-key': `assess-${code}` }, { sro: 'Jane Smith', score: 4, contractManagementFte: 2 });
    let assessed = await assess();
    for (let tries = 1; assessed.status === 503 && tries < 10; tries += 1) assessed = await assess();
    expect(assessed.status).toBe(200);
    const events = (await (await assess()).json()) as { events: unknown[] };
    expect(events.events).toHaveLength(1);
    expect(output.match(/worker started \(pid \d+\)/g)).toHaveLength(2);
    expect(child.exitCode).toBeNull();
  }, 300_000);
});

function fail(output: string): never {
  throw new Error(`the launcher exited early:\n${output}`);
}
