import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import { TEST_JWT_SECRET, startStack, type Stack } from '../support/stack.js';

const run = promisify(execFile);
const CLI = 'dist/apps/api/src/auth/token-cli.js';

/** `npm run token` without npm: the same compile step, then the CLI with the given environment. */
async function token(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
}

describe('npm run token', () => {
  let stack: Stack;
  beforeAll(async () => {
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.token.json']);
    stack = await startStack({ database: 'sqlite', withoutWorker: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('prints only a token the API accepts, in the role and scope asked for', async () => {
    const { stdout, stderr } = await token(['--role', 'lead', '--dept', 'dft', '--sub', 'j.smith'], {
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'ssc-token-')),
    });
    const printed = stdout.trim();
    expect(printed).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(stderr).toContain('j.smith');
    expect(stderr).not.toContain(TEST_JWT_SECRET);

    await stack.http.get('/api/departments').set('Authorization', `Bearer ${printed}`).expect(200);
    const elsewhere = await stack.http.get('/api/departments/HMT').set('Authorization', `Bearer ${printed}`);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.code).toBe('out-of-scope');
  });

  it('signs with the secret kept in DATA_DIR in embedded mode, with issuer and audience when set', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ssc-token-'));
    const { stdout } = await token(['--role', 'auditor'], { DATA_DIR: dataDir, AUTH_JWT_ISSUER: 'ssc', AUTH_JWT_AUDIENCE: 'ssc-api' });
    const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim();
    const claims = new JwtService({ secret }).verify<Record<string, unknown>>(stdout.trim(), { issuer: 'ssc', audience: 'ssc-api' });
    expect(claims).toMatchObject({ roles: ['auditor'], departments: [] });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(8 * 3600);
  });

  it('refuses a lead token without departments, and prints no token', async () => {
    const failure = await token(['--role', 'lead'], { AUTH_JWT_SECRET: TEST_JWT_SECRET, DATA_DIR: tmpdir() }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 64, stdout: '' });
    expect((failure as { stderr: string }).stderr).toContain('--dept');
  });
});
