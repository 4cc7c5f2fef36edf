import { STAGES } from '../../libs/domain/index.js';
import { ThrowawayPostgres, withTestDatabaseUrl } from '../support/audit-tamper.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { eventually, type StuckEntry } from '../support/operations.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { requireBuiltWorker, startWorkerProcess, workerEnvBeside, type WorkerProcess } from '../support/worker-process.js';

interface LogLine {
  readonly msg: string;
  readonly [field: string]: unknown;
}

function logged(worker: WorkerProcess, msg: string): LogLine[] {
  return worker.lines
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => line.msg === msg);
}
const sweeps = (worker: WorkerProcess) => logged(worker, 'stuck sweep');
const sweepsLeftToHolder = (worker: WorkerProcess) => logged(worker, 'stuck sweep left to the lease holder');

/** Gauge values from a worker's Prometheus page, `name{labels}` → value. */
async function gauges(worker: WorkerProcess): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`)).text();
  const values = new Map<string, number>();
  for (const match of text.matchAll(/^(onboarding_[a-z_]+(?:\{[^}]*\})?) (\d+(?:\.\d+)?)$/gm)) values.set(match[1], Number(match[2]));
  return values;
}

/**
 * The built worker's own periodic sweep, with nothing in the test sweeping for it: two
 * worker processes on one task queue share the sweep lease (one sweeps, the other leaves it),
 * the holder lists a failing activity by itself, X-Stuck-Swept-At names the holder's last
 * sweep, and the lease passes to the other worker when the holder stops. A database of its
 * own, so the worker's gauges can be checked against exact figures.
 */
describe("the worker's own stuck sweep", () => {
  let database: ThrowawayPostgres;
  let stack: Stack;
  let receiver: WebhookReceiver;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    requireBuiltWorker();
    database = await ThrowawayPostgres.create();
    receiver = await startWebhookReceiver('fail');
    stack = await withTestDatabaseUrl(database.url, () => startStack({ withoutWorker: true }));
  });
  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await stack?.close();
    await receiver?.close();
    await database?.drop();
  });

  const startWorker = async () => {
    const worker = await startWorkerProcess(workerEnvBeside(stack, database.url, { ESCALATION_WEBHOOK_URL: receiver.url, STUCK_SWEEP_INTERVAL: 'PT1S', LOG_LEVEL: 'debug' }));
    workers.push(worker);
    return worker;
  };

  const stuck = async (query: Record<string, string> = {}) => {
    const response = await stack.http.get('/api/operations/stuck').query(query).set('Authorization', `Bearer ${stack.token('operations')}`);
    expect(response.status).toBe(200);
    return { entries: response.body as StuckEntry[], sweptAt: response.headers['x-stuck-swept-at'] as string | undefined };
  };

  it('lists a failing activity by itself, one worker sweeping at a time, and hands the lease on', async () => {
    const holder = await startWorker();
    await eventually(async () => sweeps(holder).length > 0, 'the first worker to sweep');
    const other = await startWorker();

    const department = new OnboardingDriver(stack, uniqueCode('SW'));
    await department.register();
    const escalated = await department.post(`/api/operations/departments/${department.code}/escalate`, department.operations, { reason: 'No answer for weeks' });
    expect(escalated.status).toBe(200);

    // No test code sweeps: the entry can only come from a worker's own loop.
    const listed = await eventually(async () => {
      const answer = await stuck({ reason: 'activity-failing' });
      return answer.entries.length > 0 ? answer : undefined;
    }, 'the failing escalation to be listed by the sweep');
    expect(listed.entries).toEqual([
      expect.objectContaining({
        code: department.code,
        reason: 'activity-failing',
        detail: expect.objectContaining({ activity: 'notifyEscalation', lastFailure: 'escalation webhook answered 503' }),
      }),
    ]);
    // The header names a sweep the holder logged, no earlier than the one that saw the failure.
    const reported = listed.sweptAt!;
    expect(Date.parse(reported)).toBeGreaterThanOrEqual(Date.parse((listed.entries[0] as StuckEntry & { observedAt: string }).observedAt));
    await eventually(async () => sweeps(holder).some((line) => line.sweptAt === reported), 'the holder to log the reported sweep');

    // The other worker tried the lease and left the sweep to the holder, every time.
    await eventually(async () => sweepsLeftToHolder(other).length >= 3, 'the second worker to find the lease held three times');
    expect(sweeps(other)).toEqual([]);
    expect(new Set(sweepsLeftToHolder(other).map((line) => line.holder))).toEqual(new Set([holder.identity]));

    // Exact gauges: one department, in LESSONS, not overdue, its escalation failing.
    const expected = new Map<string, number>([
      ...STAGES.map((stage): [string, number] => [`onboarding_departments{stage="${stage}"}`, stage === 'LESSONS' ? 1 : 0]),
      ['onboarding_departments_overdue', 0],
      ['onboarding_stuck{reason="activity-failing"}', 1],
      ['onboarding_stuck{reason="workflow-task-failing"}', 0],
      ['onboarding_stuck{reason="deadline-missed"}', 0],
      ['onboarding_stuck{reason="awaiting-decision"}', 0],
    ]);
    await eventually(async () => {
      const values = await gauges(other);
      return [...expected].every(([name, value]) => values.get(name) === value);
    }, 'the gauges to show the department and its failing escalation').catch(async (error: unknown) => {
      expect(Object.fromEntries(await gauges(other))).toEqual(Object.fromEntries(expected));
      throw error;
    });

    // The holder stops; once its lease runs out the other worker sweeps, and the header follows.
    await holder.stop();
    await eventually(async () => sweeps(other).length > 0, 'the second worker to take the lease over', 60_000);
    await eventually(async () => {
      const { sweptAt } = await stuck();
      return sweptAt !== undefined && sweeps(other).some((line) => line.sweptAt === sweptAt);
    }, "the header to report the second worker's sweep");
    expect((await stuck({ reason: 'activity-failing' })).entries.map((entry) => entry.code)).toEqual([department.code]);
  }, 180_000);
});
