import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { streamIdFor, type DepartmentState } from '../../libs/domain/index.js';
import { testDatabaseUrl, testTemporalAddress } from '../support/env.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { eventually } from '../support/operations.js';
import { TEST_JWT_SECRET, startStack, uniqueCode, type Stack } from '../support/stack.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { requireBuiltWorker, startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

interface Sent {
  readonly code: string;
  readonly command: string;
  readonly response: Promise<Response>;
}

const DEPARTMENTS = 6;

/**
 * Crash safety: the worker process is killed with SIGKILL while activities are running
 * (escalation webhooks held open, appends in progress), a new worker takes over, and
 * nothing a caller was told succeeded is lost or doubled, and every workflow finishes.
 */
describe('a worker killed with SIGKILL while activities are in flight', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    requireBuiltWorker();
    receiver = await startWebhookReceiver('hold');
    stack = await startStack({ withoutWorker: true, env: { COMMAND_TIMEOUT_MS: '10000' } });
  });
  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await stack?.close();
    await receiver?.close();
  });

  const workerEnv = () => ({
    TEMPORAL_ADDRESS: testTemporalAddress(),
    TEMPORAL_TASK_QUEUE: stack.config.temporalTaskQueue,
    DATABASE_URL: testDatabaseUrl(),
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    ESCALATION_WEBHOOK_URL: receiver.url,
    STUCK_SWEEP_INTERVAL: 'PT1S',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'ssc-crash-worker-')),
  });

  it('loses and doubles nothing acknowledged, and every workflow finishes', async () => {
    const first = await startWorkerProcess(workerEnv());
    workers.push(first);
    const departments = Array.from({ length: DEPARTMENTS }, () => new OnboardingDriver(stack, uniqueCode('CR')));
    const registrations = await Promise.all(departments.map((department) => department.register()));

    // Every department gets three commands at once; escalations hold the webhook open.
    const sent: Sent[] = departments.flatMap((department) => [
      { code: department.code, command: 'AssessmentRecorded', response: department.command('assessment', department.lead, { sro: 'Jane Smith', score: 4, contractManagementFte: 2 }) },
      { code: department.code, command: 'LeadReassigned', response: department.command('reassign', department.operations, { lead: `new-lead-${department.code}` }) },
      {
        code: department.code,
        command: 'OnboardingEscalated',
        response: department.post(`/api/operations/departments/${department.code}/escalate`, department.operations, { reason: 'crash drill' }),
      },
    ]);
    const settled = sent.map((entry) => entry.response.then((response) => response));

    await eventually(async () => receiver.held >= 3, 'escalation webhooks to be in flight', 30_000, 50);
    await first.kill();
    receiver.setMode('ok');
    receiver.releaseHeld();

    const second = await startWorkerProcess(workerEnv());
    workers.push(second);
    const responses = await Promise.all(settled);

    // Finish every workflow; a withdrawal waits behind commands the crash interrupted, so
    // it is repeated with its Idempotency-Key until the workflow answers in time, or until
    // the read model shows that an earlier attempt, answered 503, went through after all.
    const withdrawStatuses: number[] = [];
    const withdrawals = await Promise.all(
      departments.map((department) =>
        eventually(
          async () => {
            const response = await department.command('withdraw', department.programme, { reason: 'crash drill over' }, { 'Idempotency-Key': `withdraw-${department.code}` });
            if (response.status === 422 && response.body.code === 'department-finished') return response;
            withdrawStatuses.push(response.status);
            return response.status === 200 ? response : undefined;
          },
          `${department.code} to be withdrawn`,
          120_000,
          1000,
        ),
      ),
    );
    const results = await Promise.all(departments.map((department) => stack.temporal.workflow.getHandle(`onboarding-${department.code}`).result()));
    expect(results.map((state: DepartmentState) => state.stage)).toEqual(departments.map(() => 'WITHDRAWN'));

    // A caller is told 2xx, or 503 to retry with the same key; never a 500 because a worker died.
    expect([...responses.map((response) => response.status), ...withdrawStatuses].filter((status) => status !== 200 && status !== 503)).toEqual([]);

    const succeeded = (response: Response) => response.status >= 200 && response.status < 300;
    const acknowledged = [...registrations, ...responses.filter(succeeded), ...withdrawals.filter(succeeded)];
    expect(acknowledged.length).toBeGreaterThan(DEPARTMENTS);
    const acknowledgedEventIds = acknowledged.flatMap((response) => (response.body.events as { eventId: string }[]).map((event) => event.eventId));
    const counts = await stack.db.query<{ event_id: string; copies: number | string }>(
      `SELECT event_id, COUNT(*) AS copies FROM events WHERE stream_id IN (${departments.map((_, index) => `$${index + 1}`).join(', ')}) GROUP BY event_id`,
      departments.map((department) => streamIdFor(department.code)),
    );
    const copies = new Map(counts.map((row) => [row.event_id, Number(row.copies)]));
    expect(acknowledgedEventIds.filter((eventId) => copies.get(eventId) !== 1)).toEqual([]);

    for (const department of departments) {
      const events = await stack.store.readStream(streamIdFor(department.code));
      expect(events.map((event) => event.version)).toEqual(events.map((_, index) => index + 1));
      for (const [index, entry] of sent.entries()) {
        if (entry.code !== department.code) continue;
        const recorded = events.filter((event) => event.type === entry.command).length;
        // Acknowledged: exactly once. Timed out during the crash: carried out once the new worker took over, never twice.
        if (responses[index].status === 200) expect({ command: entry.command, recorded }).toEqual({ command: entry.command, recorded: 1 });
        else expect(recorded).toBeLessThanOrEqual(1);
      }
      expect(receiver.received.some((body) => body.code === department.code && body.reason === 'crash drill')).toBe(true);
    }

    // The new worker serves the SDK's runtime metrics and the onboarding gauges on its metrics port.
    const metrics = await (await fetch(`http://127.0.0.1:${second.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^temporal_worker_start_total\{[^}]*task_queue="[^"]+"[^}]*\} 1$/m);
    expect(metrics).toMatch(/^onboarding_departments\{stage="WITHDRAWN"\} \d+$/m);
    expect(metrics).toMatch(/^onboarding_stuck\{reason="activity-failing"\} \d+$/m);
    expect(second.lines.filter((line) => line.startsWith('{')).every((line) => JSON.parse(line).service === 'worker')).toBe(true);
  }, 240_000);
});
