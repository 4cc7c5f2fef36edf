import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { replayHistories } from '../../libs/audit/index.js';
import { auditSigningKeyPem, departmentWithHistory } from '../support/audit-scenario.js';
import { writeChangedWorkflow } from '../support/changed-workflow.js';
import { testTemporalAddress } from '../support/env.js';
import { startStack, workflowBundle, type Stack } from '../support/stack.js';


/** The temporal CLI the run's dev server came from, to compare our history JSON with its own. */
function temporalCli(): string {
  const candidates = [process.env.TEMPORAL_CLI_PATH, fileURLToPath(new URL('../../.cache/temporal-cli/temporal', import.meta.url))];
  for (const dir of (process.env.PATH ?? '').split(':')) candidates.push(`${dir}/temporal`);
  const found = candidates.find((candidate) => candidate && existsSync(candidate));
  if (!found) throw new Error('no temporal CLI: set TEMPORAL_CLI_PATH (the integration setup needs one anyway)');
  return found;
}

describe('Temporal history and replay for auditors', () => {
  let stack: Stack;
  let code: string;
  const auditor = () => `Bearer ${stack.token('auditor')}`;

  beforeAll(async () => {
    // A database of its own (SQLite): "every registered department" is then this suite's, not
    // the hundreds the rest of the run registers in the shared PostgreSQL database, whose
    // replay outran the test's time on a loaded machine.
    stack = await startStack({ database: 'sqlite', env: { AUDIT_SIGNING_KEY: auditSigningKeyPem() } });
    code = await departmentWithHistory(stack, 'RP');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('serves the workflow history exactly as `temporal workflow show --output json` writes it', async () => {
    const response = await stack.http.get(`/api/departments/${code}/history`).set('Authorization', auditor());
    const { stdout } = await promisify(execFile)(temporalCli(), [
      'workflow', 'show', '--workflow-id', `onboarding-${code}`, '--address', testTemporalAddress(), '--namespace', stack.config.temporalNamespace, '--output', 'json',
    ]);

    expect(response.status).toBe(200);
    expect(response.headers['x-workflow-id']).toBe(`onboarding-${code}`);
    expect(response.body.events[0]).toMatchObject({ eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' });
    expect(response.body).toEqual(JSON.parse(stdout));
  });

  it('answers 404 for a department without a workflow', async () => {
    const response = await stack.http.get('/api/departments/NOWORKFLOW/history').set('Authorization', auditor());

    expect([response.status, response.body.code]).toEqual([404, 'workflow-not-found']);
  });

  it("replays the chosen departments' histories against today's workflow code", async () => {
    const response = await stack.http.post('/api/audit/replay').set('Authorization', auditor()).send({ departments: [code.toLowerCase()] });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ replayed: 1, failed: 0 });
    expect(response.body.results).toEqual([{ department: code, workflowId: `onboarding-${code}`, runId: expect.any(String), ok: true }]);
  });

  it('replays every registered department when none is named, and refuses unknown ones', async () => {
    const all = await stack.http.post('/api/audit/replay').set('Authorization', auditor()).send({});
    const unknown = await stack.http.post('/api/audit/replay').set('Authorization', auditor()).send({ departments: ['NOSUCHDEPT'] });

    expect(all.status).toBe(200);
    expect(all.body.results).toEqual(expect.arrayContaining([expect.objectContaining({ department: code, ok: true })]));
    expect([unknown.status, unknown.body.code]).toEqual([404, 'department-not-found']);
  });

  it('catches a deliberately changed workflow, naming the history event where it diverged', async () => {
    const history = (await stack.http.get(`/api/departments/${code}/history`).set('Authorization', auditor())).body;
    const runs = [{ workflowId: `onboarding-${code}`, history: historyFromJSON(history) }];

    const changedWorkflow = writeChangedWorkflow();
    const [changed] = await replayHistories(runs, { workflowsPath: changedWorkflow.workflowsPath }).finally(changedWorkflow.remove);
    const [current] = await replayHistories(runs, { workflowBundle: await workflowBundle() });

    expect(current.ok).toBe(true);
    expect(changed).toMatchObject({ workflowId: `onboarding-${code}`, ok: false, error: { kind: 'nondeterminism' } });
    // The changed code schedules the lesson-library activity where the history recorded the
    // first append taking the local-activity path (its patch marker).
    const diverged = history.events.find((event: { eventId: string }) => Number(event.eventId) === changed.error?.eventId);
    expect(diverged).toMatchObject({ eventType: 'EVENT_TYPE_MARKER_RECORDED', markerRecordedEventAttributes: { markerName: 'core_patch' } });
    expect(changed.error?.message).toMatch(/local-activity-commands/);
  });
});

describe('digests without a configured signing key', () => {
  it('are refused with a 503 that names the variables to set, while verification still works', async () => {
    const stack = await startStack({ withoutWorker: true, env: { AUDIT_SIGNING_KEY: '' } });
    try {
      const auditor = `Bearer ${stack.token('auditor')}`;
      const digest = await stack.http.get('/api/audit/digest').set('Authorization', auditor);
      const key = await stack.http.get('/api/audit/public-key').set('Authorization', auditor);
      const verify = await stack.http.get('/api/departments/NOSUCHDEPT/verify').set('Authorization', auditor);

      expect([digest.status, digest.body.code]).toEqual([503, 'signing-key-not-configured']);
      expect(digest.body.message).toMatch(/AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE/);
      expect(key.status).toBe(503);
      expect([verify.status, verify.body.code]).toEqual([404, 'department-not-found']);
    } finally {
      await stack.close();
    }
  });
});
