import proto from '@temporalio/proto';
import type { Response } from 'supertest';
import { streamIdFor, type DepartmentState } from '../../libs/domain/index.js';
import { ThrowawayPostgres, withTestDatabaseUrl } from '../support/audit-tamper.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { EventsTableLock } from '../support/events-table-lock.js';
import { eventually } from '../support/operations.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { requireBuiltWorker, startWorkerProcess, workerEnvBeside, type WorkerProcess } from '../support/worker-process.js';

interface Sent {
  readonly code: string;
  readonly command: string;
  readonly key: string;
  /** Sends the command again, with the same Idempotency-Key. */
  readonly send: () => Promise<Response>;
  readonly response: Promise<Response>;
}

const DEPARTMENTS = 6;
const { PendingActivityState } = proto.temporal.api.enums.v1;

/**
 * Crash safety: the worker process is killed with SIGKILL while activities are running:
 * escalation webhooks held open, and every department's append blocked inside its
 * transaction by a lock on the events table, so each command sent then is still in flight
 * when the worker dies. A new worker takes over; each of those commands, repeated with its
 * Idempotency-Key while the answer is 503, is acknowledged 2xx and recorded exactly once,
 * nothing acknowledged earlier is lost or doubled, and every workflow finishes. A database
 * of its own, so the worker's gauges can be checked against exact figures.
 */
describe('a worker killed with SIGKILL while activities are in flight', () => {
  let database: ThrowawayPostgres;
  let stack: Stack;
  let receiver: WebhookReceiver;
  let locker: EventsTableLock;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    requireBuiltWorker();
    database = await ThrowawayPostgres.create();
    receiver = await startWebhookReceiver('hold');
    stack = await withTestDatabaseUrl(database.url, () => startStack({ withoutWorker: true, env: { COMMAND_TIMEOUT_MS: '10000' } }));
    locker = await EventsTableLock.connect(database.url);
  });
  afterAll(async () => {
    await locker?.close();
    for (const worker of workers) await worker.stop();
    await stack?.close();
    await receiver?.close();
    await database?.drop();
  });

  const workerEnv = () => workerEnvBeside(stack, database.url, { ESCALATION_WEBHOOK_URL: receiver.url, STUCK_SWEEP_INTERVAL: 'PT1S' });

  const appendRunning = async (code: string) => {
    const described = await stack.temporal.workflow.getHandle(`onboarding-${code}`).describe();
    return (described.raw.pendingActivities ?? []).some(
      (activity) => activity.activityType?.name === 'appendDepartmentEvents' && activity.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
    );
  };

  /** The command's answer, repeated with its key while it is 503 (the worker died under it). */
  const acknowledgement = (entry: Sent) =>
    entry.response.then(async (first) => {
      const statuses = [first.status];
      if (first.status !== 503) return { entry, response: first, statuses };
      const response = await eventually(
        async () => {
          const again = await entry.send();
          statuses.push(again.status);
          return again.status === 503 ? undefined : again;
        },
        `${entry.command} of ${entry.code} to be acknowledged`,
        120_000,
        1000,
      );
      return { entry, response, statuses };
    });

  /**
   * Registration as a client does it: a 503 (the fresh worker still warming up on a loaded
   * machine can outlast COMMAND_TIMEOUT_MS) is repeated with the same Idempotency-Key.
   */
  const registerAcknowledged = (department: OnboardingDriver) =>
    eventually(
      async () => {
        const response = await department.post(
          '/api/departments',
          department.programme,
          { code: department.code, name: `Department ${department.code}`, centre: 'ISSC1', plannedGoLive: '2027-04-01' },
          { 'Idempotency-Key': `register-${department.code}` },
        );
        if (response.status === 503) return undefined;
        expect(response.status).toBe(201);
        return response;
      },
      `registration of ${department.code} to be acknowledged`,
      120_000,
      1000,
    );

  it('records every command in flight at the kill exactly once, loses nothing acknowledged, and every workflow finishes', async () => {
    const first = await startWorkerProcess(workerEnv());
    workers.push(first);
    const departments = Array.from({ length: DEPARTMENTS }, () => new OnboardingDriver(stack, uniqueCode('CR')));
    const registrations = await Promise.all(departments.map(registerAcknowledged));

    // Escalations are acknowledged at once; their webhook deliveries are held open.
    const escalations = await Promise.all(
      departments.map((department) => department.post(`/api/operations/departments/${department.code}/escalate`, department.operations, { reason: 'crash drill' })),
    );
    expect(escalations.map((response) => response.status)).toEqual(departments.map(() => 200));
    await eventually(async () => receiver.held >= DEPARTMENTS, 'every escalation webhook to be held open', 30_000, 50);

    // With the events table locked, each department's next append blocks inside its transaction.
    await locker.lock('SHARE');
    const sent: Sent[] = departments.flatMap((department) => {
      const commands: [string, () => Promise<Response>, string][] = [
        ['AssessmentRecorded', () => department.command('assessment', department.lead, { sro: 'Jane Smith', score: 4, contractManagementFte: 2 }, { 'Idempotency-Key': `assess-${department.code}` }), `assess-${department.code}`],
        ['LeadReassigned', () => department.command('reassign', department.operations, { lead: `new-lead-${department.code}` }, { 'Idempotency-Key': `reassign-${department.code}` }), `reassign-${department.code}`],
      ];
      return commands.map(([command, send, key]) => ({ code: department.code, command, key, send, response: send().then((response) => response) }));
    });
    const acknowledgedBeforeKill = new Set<Sent>();
    for (const entry of sent) void entry.response.then((response) => response.status < 300 && acknowledgedBeforeKill.add(entry));
    const acknowledgements = sent.map(acknowledgement);

    await eventually(async () => (await Promise.all(departments.map((department) => appendRunning(department.code)))).every(Boolean), 'every department to have an append running');
    await first.kill();
    const inFlightAtKill = sent.filter((entry) => !acknowledgedBeforeKill.has(entry));
    await locker.release();
    receiver.setMode('ok');
    receiver.releaseHeld();

    const second = await startWorkerProcess(workerEnv());
    workers.push(second);
    const acknowledged = await Promise.all(acknowledgements);

    // Nothing could be appended before the kill, so no command was acknowledged yet (a 503 is not).
    expect(inFlightAtKill).toHaveLength(sent.length);
    // A caller is told 2xx, or 503 to retry with the same key; never a 500 because a worker died.
    expect(acknowledged.flatMap(({ statuses }) => statuses).filter((status) => status !== 200 && status !== 503)).toEqual([]);
    expect(acknowledged.map(({ entry, response }) => `${entry.command} ${entry.code} ${response.status}`)).toEqual(sent.map((entry) => `${entry.command} ${entry.code} 200`));

    // Finish every workflow; a withdrawal is repeated with its key while the answer is 503.
    const withdrawals = await Promise.all(
      departments.map((department) =>
        eventually(
          async () => {
            const response = await department.command('withdraw', department.programme, { reason: 'crash drill over', category: 'other' }, { 'Idempotency-Key': `withdraw-${department.code}` });
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

    // Every acknowledged event is in the store exactly once, each in-flight command's among them.
    const answers = [...registrations, ...escalations, ...acknowledged.map(({ response }) => response), ...withdrawals];
    const acknowledgedEventIds = answers.flatMap((response) => (response.body.events as { eventId: string }[]).map((event) => event.eventId));
    expect(acknowledgedEventIds.length).toBeGreaterThanOrEqual(answers.length);
    const counts = await stack.db.query<{ event_id: string; copies: number | string }>(
      `SELECT event_id, COUNT(*) AS copies FROM events WHERE stream_id IN (${departments.map((_, index) => `$${index + 1}`).join(', ')}) GROUP BY event_id`,
      departments.map((department) => streamIdFor(department.code)),
    );
    const copies = new Map(counts.map((row) => [row.event_id, Number(row.copies)]));
    expect(acknowledgedEventIds.filter((eventId) => copies.get(eventId) !== 1)).toEqual([]);

    for (const department of departments) {
      const events = await stack.store.readStream(streamIdFor(department.code));
      expect(events.map((event) => event.version)).toEqual(events.map((_, index) => index + 1));
      const recorded = (type: string) => events.filter((event) => event.type === type).length;
      expect({ code: department.code, assessments: recorded('AssessmentRecorded'), reassignments: recorded('LeadReassigned'), escalations: recorded('OnboardingEscalated') }).toEqual({
        code: department.code,
        assessments: 1,
        reassignments: 1,
        escalations: 1,
      });
      expect(receiver.received.some((body) => body.code === department.code && body.reason === 'crash drill')).toBe(true);
    }

    // The new worker serves the SDK's runtime metrics and exact onboarding gauges on its metrics port.
    const expectedGauges = [
      /^temporal_worker_start_total\{[^}]*task_queue="[^"]+"[^}]*\} 1$/m,
      new RegExp(`^onboarding_departments\\{stage="WITHDRAWN"\\} ${DEPARTMENTS}$`, 'm'),
      ...['LESSONS', 'READINESS', 'MIGRATION', 'GO_LIVE', 'LIVE', 'CLOSED'].map((stage) => new RegExp(`^onboarding_departments\\{stage="${stage}"\\} 0$`, 'm')),
      /^onboarding_departments_overdue 0$/m,
      /^onboarding_stuck\{reason="activity-failing"\} 0$/m,
    ];
    let metrics = '';
    await eventually(async () => {
      metrics = await (await fetch(`http://127.0.0.1:${second.metricsPort}/metrics`)).text();
      return expectedGauges.every((pattern) => pattern.test(metrics));
    }, 'the gauges to count the withdrawn departments').catch(() => undefined);
    for (const pattern of expectedGauges) expect(metrics).toMatch(pattern);
    expect(second.lines.filter((line) => line.startsWith('{')).every((line) => JSON.parse(line).service === 'worker')).toBe(true);
  }, 300_000);
});
