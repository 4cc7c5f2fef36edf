import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runAuditCli } from '../../apps/audit-cli/cli.js';
import { openDatabase } from '../../libs/database/index.js';
import { streamIdFor } from '../../libs/domain/index.js';
import { inLive, registered } from '../../libs/domain/testing/onboarding-history.js';
import { EventStore } from '../../libs/event-store/index.js';
import { INLINE_PROJECTIONS } from '../../libs/projections/index.js';
import { auditSigningKeyPem, departmentWithHistory } from '../support/audit-scenario.js';
import { writeChangedWorkflow } from '../support/changed-workflow.js';
import { Tamperer, ThrowawayPostgres, withTestDatabaseUrl } from '../support/audit-tamper.js';
import { testTemporalAddress } from '../support/env.js';
import { startStack, TEST_JWT_SECRET, type Stack } from '../support/stack.js';

const run = promisify(execFile);

interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function audit(env: Record<string, string>, args: string[], workflowsPath?: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await runAuditCli(args, {
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    workflowsPath,
  });
  return { status, stdout, stderr };
}

/** What an outsider would run in an export folder: node and openssl, nothing of ours. */
async function outsiderChecks(dir: string) {
  const node = await run(process.execPath, ['verify.mjs'], { cwd: dir }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  const openssl = await run('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'public-key.pem', '-rawin', '-in', 'digest-payload.json', '-sigfile', 'digest.sig'], { cwd: dir });
  const headsSha256 = (await run('openssl', ['dgst', '-sha256', '-r', 'digest-heads.json'], { cwd: dir })).stdout.split(' ')[0];
  return { node, openssl: openssl.stdout.trim(), headsSha256 };
}

describe('the auditor CLI against PostgreSQL and Temporal', () => {
  let stack: Stack;
  let throwaway: ThrowawayPostgres;
  let env: Record<string, string>;
  let codes: string[];
  let work: string;

  beforeAll(async () => {
    throwaway = await ThrowawayPostgres.create();
    const key = auditSigningKeyPem();
    stack = await withTestDatabaseUrl(throwaway.url, () => startStack({ database: 'postgres', env: { AUDIT_SIGNING_KEY: key } }));
    codes = [await departmentWithHistory(stack, 'CL'), await departmentWithHistory(stack, 'CL')];
    work = mkdtempSync(join(tmpdir(), 'ssc-audit-cli-'));
    env = {
      DATABASE_URL: throwaway.url,
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_NAMESPACE: stack.config.temporalNamespace,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      AUDIT_SIGNING_KEY: key,
      DATA_DIR: join(work, 'data'),
    };
  });
  afterAll(async () => {
    await stack?.close();
    await throwaway?.drop();
  });

  it('verifies one department or every stream, drawing progress on stderr', async () => {
    const one = await audit(env, ['verify', codes[0].toLowerCase()]);
    const all = await audit(env, ['verify', '--all']);

    expect(one).toMatchObject({ status: 0, stdout: expect.stringContaining(`ok      ${streamIdFor(codes[0])}: 6 events, chain intact`) });
    expect(all.status).toBe(0);
    expect(all.stdout).toMatch(/(\d+) of \1 streams verified\n/);
    expect(all.stderr).toMatch(/verify \[#{30}\] 100%/);
  });

  it('exports evidence that plain Node and openssl confirm, and that fails once altered', async () => {
    const dir = join(work, 'export');
    const exported = await audit(env, ['export', codes[0], '--out', dir]);

    expect(exported.status).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(
      ['README.md', 'digest-heads.json', 'digest-payload.json', 'digest.json', 'digest.sig', 'events.jsonl', 'public-key.pem', 'verify.mjs'].sort(),
    );
    const checks = await outsiderChecks(dir);
    expect(checks.node).toMatchObject({ code: 0, stdout: expect.stringContaining('all checks passed') });
    expect(checks.openssl).toBe('Signature Verified Successfully');
    expect(JSON.parse(readFileSync(join(dir, 'digest.json'), 'utf8')).payload.headsSha256).toBe(checks.headsSha256);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('openssl pkeyutl -verify');

    const events = readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n');
    events[1] = events[1].replace('"score":4', '"score":5');
    writeFileSync(join(dir, 'events.jsonl'), events.join('\n'));
    const altered = await outsiderChecks(dir);
    expect(altered.node).toMatchObject({ code: 1, stdout: expect.stringContaining('FAILED event version 2') });
  });

  it('takes a digest into a file and later proves the log extends it', async () => {
    const file = join(work, 'digest.json');
    await expect(audit(env, ['digest', '--out', file])).resolves.toMatchObject({ status: 0 });

    const verified = await audit(env, ['verify-digest', file]);

    expect(verified).toMatchObject({ status: 0, stdout: expect.stringContaining('ok: signature valid, log extends the digest') });
  });

  it("replays histories from Temporal or from files against today's code, and flags a changed workflow", async () => {
    const histories = join(work, 'histories');
    await mkdir(histories);
    for (const code of codes) {
      const response = await stack.http.get(`/api/departments/${code}/history`).set('Authorization', `Bearer ${stack.token('auditor')}`);
      writeFileSync(join(histories, `onboarding-${code}.json`), JSON.stringify(response.body));
    }

    const fromTemporal = await audit(env, ['replay', '--departments', codes.join(',')]);
    const fromFiles = await audit(env, ['replay', '--histories', histories]);
    const changedWorkflow = writeChangedWorkflow();
    const changed = await audit(env, ['replay', '--histories', histories], changedWorkflow.workflowsPath).finally(changedWorkflow.remove);

    expect(fromTemporal).toMatchObject({ status: 0, stdout: expect.stringContaining('2 of 2 histories replayed without divergence') });
    expect(fromFiles).toMatchObject({ status: 0, stdout: expect.stringContaining(`ok        onboarding-${codes[0]}`) });
    expect(changed.status).toBe(1);
    expect(changed.stdout).toMatch(new RegExp(`DIVERGED  onboarding-${codes[0]} \\(run [0-9a-f-]+\\) at history event \\d+: `));
    expect(changed.stderr).toMatch(/replay \[#{30}\] 100% 2\/2 histories/);
  });

  it('rebuilds the read models', async () => {
    await stack.db.query(`DELETE FROM departments WHERE code = $1`, [codes[1]]);

    const rebuilt = await audit(env, ['rebuild']);

    expect(rebuilt).toMatchObject({ status: 0, stdout: expect.stringMatching(/rebuilt read models from \d+ events in \d+ streams/) });
    expect(await stack.departments.get(codes[1])).toMatchObject({ code: codes[1], version: 6 });
  });

  it('exits 1 naming the version once an event is altered, and 2 on a usage error', async () => {
    const digest = join(work, 'digest.json');
    const tamperer = new Tamperer(stack.db);
    await tamperer.liftProtection();
    await tamperer.changePayload(streamIdFor(codes[1]), 3, { tampered: true });

    const verify = await audit(env, ['verify', codes[1]]);
    const digestCheck = await audit(env, ['verify-digest', digest]);
    const json = await audit(env, ['verify', codes[1], '--json']);

    expect(verify).toMatchObject({ status: 1, stdout: expect.stringContaining(`INVALID ${streamIdFor(codes[1])}: first invalid version 3 (hash-mismatch)`) });
    expect(digestCheck).toMatchObject({ status: 1, stdout: expect.stringContaining(`altered-before-digest ${streamIdFor(codes[1])} version 3`) });
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ valid: false, firstInvalidVersion: 3 })]);
    await expect(audit(env, ['export', codes[0]])).resolves.toMatchObject({ status: 2, stderr: expect.stringContaining('--out') });
    await expect(audit(env, ['frobnicate'])).resolves.toMatchObject({ status: 2 });
  });
});

describe('the auditor CLI in embedded mode (SQLite in DATA_DIR)', () => {
  it('verifies, rebuilds and exports with a signing key generated into DATA_DIR', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ssc-audit-embedded-'));
    const db = await openDatabase({ sqliteFile: join(dataDir, 'ssc-onboarding.sqlite') });
    const store = new EventStore(db, INLINE_PROJECTIONS);
    const code = 'EMBED1';
    const history = [{ ...registered, data: { ...registered.data, code } }, ...inLive.slice(1)];
    for (const [index, event] of history.entries()) {
      await store.append(streamIdFor(code), index, [
        { eventId: randomUUID(), type: event.type, data: event.data, metadata: { actor: { sub: 'seed', role: 'lead' } }, recordedAt: (event.data as { at: string }).at },
      ]);
    }
    await db.close();
    const env = { DATA_DIR: dataDir };

    const verified = await audit(env, ['verify', '--all']);
    const rebuilt = await audit(env, ['rebuild']);
    const exported = await audit(env, ['export', code, '--out', join(dataDir, 'evidence')]);

    expect(verified).toMatchObject({ status: 0, stdout: expect.stringContaining('1 of 1 streams verified') });
    expect(rebuilt.status).toBe(0);
    expect(exported.status).toBe(0);
    expect(existsSync(join(dataDir, 'audit-signing-key.pem'))).toBe(true);
    const checks = await outsiderChecks(join(dataDir, 'evidence'));
    expect(checks.node).toMatchObject({ code: 0 });
    expect(checks.openssl).toBe('Signature Verified Successfully');
  });
});
