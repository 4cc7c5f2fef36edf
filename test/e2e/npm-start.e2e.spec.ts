import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signToken } from '../../apps/api/src/auth/tokens.js';
import { findFreePort, isPortFree } from '../../libs/temporal-server/index.js';
import { uniqueCode } from '../support/stack.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const launcher = join(projectRoot, 'dist/apps/launcher/main.js');

interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
}

function start(env: NodeJS.ProcessEnv): Running {
  let output = '';
  const child = spawn(process.execPath, [launcher], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitFor(running: Running, text: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!running.output().includes(text)) {
    if (running.child.exitCode !== null) throw new Error(`launcher exited early:\n${running.output()}`);
    if (Date.now() > deadline) throw new Error(`launcher did not print "${text}":\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function stop(running: Running): Promise<number | null> {
  return new Promise((resolve) => {
    running.child.once('exit', (code) => resolve(code));
    running.child.kill('SIGINT');
  });
}

/** `npm start` as a newcomer runs it: the embedded stack, stopped with Ctrl-C and started again. */
describe('npm start (the embedded stack)', () => {
  it('keeps workflows and events across a restart, and Ctrl-C stops every child', async () => {
    if (!existsSync(launcher)) throw new Error('dist/ is missing: npm test builds first (npm run build)');
    const dataDir = mkdtempSync(join(tmpdir(), 'ssc-start-'));
    const ports = { PORT: await findFreePort('127.0.0.1'), TEMPORAL_DEV_PORT: await findFreePort('127.0.0.1'), TEMPORAL_DEV_UI_PORT: await findFreePort('127.0.0.1'), WORKER_METRICS_PORT: await findFreePort('127.0.0.1') };
    const env = { DATA_DIR: dataDir, ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])) };
    const api = `http://127.0.0.1:${ports.PORT}`;
    const code = uniqueCode('S');

    const first = start(env);
    // The whole banner, so that every address in it has been printed.
    await waitFor(first, 'Press Ctrl-C to stop.');
    expect(first.output()).toContain(`http://localhost:${ports.PORT}/docs`);
    // The console's address comes first: it is where a person starts.
    expect(first.output()).toMatch(new RegExp(`is running\\n  Console      http://localhost:${ports.PORT}/`));
    const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim();
    const programme = signToken({ sub: 'programme-office', roles: ['programme'] }, { secret });
    const registered = await fetch(`${api}/api/departments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${programme}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code, name: 'Cabinet Office', centre: 'ISSC2', plannedGoLive: '2027-09-01' }),
    });
    expect(registered.status).toBe(201);
    // A newcomer signs in to the console with the development form, and an auditor's digest is signed.
    const signIn = await (await fetch(`${api}/sign-in`)).text();
    expect(signIn).toMatch(/<button[^>]*>\s*Sign in\s*<\/button>/);
    expect(signIn).toMatch(/<label[^>]*>\s*Role\s*<\/label>/);
    const auditor = signToken({ sub: 'auditor', roles: ['auditor'] }, { secret });
    expect((await fetch(`${api}/api/audit/digest`, { headers: { authorization: `Bearer ${auditor}` } })).status).toBe(200);

    expect(await stop(first)).toBe(0);
    for (const port of Object.values(ports)) expect(await isPortFree('127.0.0.1', port)).toBe(true);

    const second = start(env);
    try {
      await waitFor(second, 'ssc-onboarding is running');
      const read = await fetch(`${api}/api/departments/${code}`, { headers: { authorization: `Bearer ${programme}` } });
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ code, stage: 'LESSONS', version: 1 });
      // The workflow itself survived: it still answers an Update, and refuses this one.
      const advance = await fetch(`${api}/api/departments/${code}/advance`, {
        method: 'POST',
        headers: { authorization: `Bearer ${programme}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from: 'LESSONS' }),
      });
      expect(advance.status).toBe(422);
      expect(await advance.json()).toMatchObject({ code: 'gates-unmet' });
    } finally {
      await stop(second);
    }
  }, 300_000);
});
