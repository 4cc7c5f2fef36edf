import { streamIdFor } from '../../libs/domain/index.js';
import { operationsStreamId } from '../../libs/operations/index.js';
import { WebhookNotifier } from '../../libs/temporal/index.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { completedAttempt, eventually, stuckList, sweepStuck } from '../support/operations.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const DECISION_WAIT_LIMIT_MS = 3000;

describe.each(['postgres', 'sqlite'] as const)('stuck onboardings recorded from the event log on %s', (database) => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ database, env: { DECISION_WAIT_LIMIT: 'PT3S' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('lists a department whose stage deadline passed, since the deadline, with a link to its workflow', async () => {
    const department = new OnboardingDriver(stack, uniqueCode('DL'));
    await department.register({ centre: 'ISSC2', deadlines: { LESSONS: 'PT2S' } });

    const [entry] = await eventually(async () => {
      const list = await stuckList(stack, [department.code], { reason: 'deadline-missed' });
      return list.length > 0 ? list : undefined;
    }, 'the missed deadline to be listed');

    const events = await stack.store.readStream(streamIdFor(department.code));
    const missed = events.find((event) => event.type === 'StageDeadlineMissed');
    expect(entry).toMatchObject({
      code: department.code,
      stage: 'LESSONS',
      centre: 'ISSC2',
      reason: 'deadline-missed',
      since: (missed?.data as { deadline: string }).deadline,
      detail: expect.objectContaining({ stage: 'LESSONS' }),
      links: { department: `/api/departments/${department.code}`, workflow: `http://127.0.0.1:8233/namespaces/default/workflows/onboarding-${department.code}` },
    });
  });

  it('lists a deviation left undecided longer than DECISION_WAIT_LIMIT, and drops it once decided', async () => {
    const department = new OnboardingDriver(stack, uniqueCode('AD'));
    await department.register();
    await department.passLessons();
    const requested = await department.expectOk(
      department.command('deviations', department.lead, { area: 'payroll', description: 'Weekly pay run', justification: 'Union agreement' }),
    );
    const deviationId = (requested.body.events[0].data as { deviationId: string }).deviationId;

    // Never listed before the limit: an early answer may list it only if the limit had passed by then.
    const early = await stuckList(stack, [department.code], { reason: 'awaiting-decision' });
    expect(early.length === 0 || Date.now() - Date.parse(requested.body.events[0].recordedAt) >= DECISION_WAIT_LIMIT_MS).toBe(true);
    const [entry] = await eventually(async () => {
      const list = await stuckList(stack, [department.code], { reason: 'awaiting-decision' });
      return list.length > 0 ? list : undefined;
    }, 'the undecided deviation to be listed once DECISION_WAIT_LIMIT has passed');
    expect(Date.now() - Date.parse(requested.body.events[0].recordedAt)).toBeGreaterThanOrEqual(DECISION_WAIT_LIMIT_MS);
    expect(entry).toMatchObject({
      stage: 'READINESS',
      reason: 'awaiting-decision',
      since: requested.body.events[0].recordedAt,
      detail: { pending: [{ kind: 'deviation', deviationId, area: 'payroll', since: requested.body.events[0].recordedAt }], paused: false },
    });

    await department.expectOk(department.command(`deviations/${deviationId}/decision`, department.programme, { decision: 'approved', reason: 'costed' }));
    expect(await stuckList(stack, [department.code])).toEqual([]);
  });

  it('filters by reason, stage and centre, oldest first', async () => {
    const early = new OnboardingDriver(stack, uniqueCode('FA'));
    const late = new OnboardingDriver(stack, uniqueCode('FB'));
    const elsewhere = new OnboardingDriver(stack, uniqueCode('FC'));
    await late.register({ deadlines: { LESSONS: 'PT3S' } });
    await early.register({ deadlines: { LESSONS: 'PT2S' } });
    await elsewhere.register({ centre: 'ISSC2', deadlines: { LESSONS: 'PT2S' } });
    const codes = [early.code, late.code, elsewhere.code];
    await eventually(async () => (await stuckList(stack, codes)).length === 3, 'three missed deadlines');

    // Oldest first means by the deadline each missed, whatever order a loaded machine registered them in.
    const deadlines = new Map<string, string>();
    for (const code of codes) {
      const missed = (await stack.store.readStream(streamIdFor(code))).find((event) => event.type === 'StageDeadlineMissed');
      deadlines.set(code, (missed?.data as { deadline: string }).deadline);
    }
    const all = await stuckList(stack, codes);
    const byDeadline = [...codes].sort((a, b) => deadlines.get(a)!.localeCompare(deadlines.get(b)!) || a.localeCompare(b));
    expect(all.map((entry) => [entry.code, entry.since])).toEqual(byDeadline.map((code) => [code, deadlines.get(code)]));
    const listed = async (query: Record<string, string>) => (await stuckList(stack, codes, query)).map((entry) => entry.code).sort();
    expect(await listed({ centre: 'ISSC2' })).toEqual([elsewhere.code]);
    expect(await listed({ centre: 'ISSC1' })).toEqual([early.code, late.code].sort());
    expect(await listed({ stage: 'LESSONS' })).toEqual([...codes].sort());
    expect(await listed({ reason: 'deadline-missed' })).toEqual([...codes].sort());
    expect(await listed({ reason: 'deadline-missed', stage: 'LESSONS', centre: 'ISSC2' })).toEqual([elsewhere.code]);
    expect(await listed({ stage: 'READINESS' })).toEqual([]);
    expect(await listed({ reason: 'activity-failing' })).toEqual([]);
  });

  it('refuses an unknown reason or stage with 400', async () => {
    const token = `Bearer ${stack.token('operations')}`;
    const badReason = await stack.http.get('/api/operations/stuck?reason=sleepy').set('Authorization', token);
    const badStage = await stack.http.get('/api/operations/stuck?stage=LIMBO').set('Authorization', token);
    expect([badReason.status, badReason.body.code]).toEqual([400, 'validation-failed']);
    expect([badStage.status, badStage.body.code]).toEqual([400, 'validation-failed']);
  });
});

describe('escalating, a failing notification and retrying it', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver('ok');
    stack = await startStack({ notifier: new WebhookNotifier(receiver.url, 2000) });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  const escalate = (code: string, reason: string) =>
    stack.http
      .post(`/api/operations/departments/${code}/escalate`)
      .set('Authorization', `Bearer ${stack.token('operations')}`)
      .send({ reason });

  it('records OnboardingEscalated with the operator as actor and posts it to the webhook', async () => {
    const department = new OnboardingDriver(stack, uniqueCode('ES'));
    await department.register();

    const response = await escalate(department.code, 'No response from the department for three weeks');

    expect(response.status).toBe(200);
    expect(response.body.events).toEqual([
      expect.objectContaining({
        type: 'OnboardingEscalated',
        data: expect.objectContaining({ reason: 'No response from the department for three weeks', stage: 'LESSONS' }),
        metadata: expect.objectContaining({ actor: { sub: 'operations-user', role: 'operations' } }),
      }),
    ]);
    // Delivered beside the command queue, so the answer does not wait for the webhook.
    await eventually(async () => receiver.received.some((body) => body.code === department.code), 'the escalation to reach the webhook');
    expect(receiver.received).toContainEqual(
      expect.objectContaining({
        kind: 'onboarding-escalated',
        code: department.code,
        stage: 'LESSONS',
        reason: 'No response from the department for three weeks',
        actor: 'operations-user',
        workflowId: `onboarding-${department.code}`,
      }),
    );
  });

  it('refuses to escalate an unknown department (404) or without a reason (400)', async () => {
    expect((await escalate('NOSUCH1', 'why')).status).toBe(404);
    const department = new OnboardingDriver(stack, uniqueCode('EV'));
    await department.register();
    const noReason = await stack.http
      .post(`/api/operations/departments/${department.code}/escalate`)
      .set('Authorization', `Bearer ${stack.token('operations')}`)
      .send({});
    expect([noReason.status, noReason.body.code]).toEqual([400, 'validation-failed']);
  });

  it('lists the notification activity as failing while the webhook is down, and retry delivers it at once', async () => {
    const department = new OnboardingDriver(stack, uniqueCode('EF'));
    await department.register();
    receiver.setMode('fail');
    const pending = escalate(department.code, 'Payroll cut-over at risk').then((response) => response);

    const [failing] = await eventually(async () => {
      await sweepStuck(stack);
      const list = await stuckList(stack, [department.code], { reason: 'activity-failing' });
      return list.length > 0 ? list : undefined;
    }, 'the failing notification to be listed');
    expect(failing).toMatchObject({
      code: department.code,
      stage: 'LESSONS',
      reason: 'activity-failing',
      detail: expect.objectContaining({ activity: 'notifyEscalation', lastFailure: 'escalation webhook answered 503' }),
    });
    expect(failing.detail.attempts).toBeGreaterThanOrEqual(2);

    // The outage delays the message, not the department's other commands.
    const token = stack.token('operations');
    const paused = await stack.http.post(`/api/departments/${department.code}/pause`).set('Authorization', `Bearer ${token}`).send({ reason: 'webhook outage drill' });
    expect(paused.status).toBe(200);
    const resumed = await stack.http.post(`/api/departments/${department.code}/resume`).set('Authorization', `Bearer ${token}`).send({ reason: 'drill over' });
    expect(resumed.status).toBe(200);

    receiver.setMode('ok');
    const retried = await stack.http
      .post(`/api/operations/departments/${department.code}/retry`)
      .set('Authorization', `Bearer ${stack.token('operations')}`)
      .set('X-Correlation-Id', 'retry-after-webhook-outage')
      .send({ reason: 'paging service is back' });

    expect(retried.status).toBe(200);
    expect(retried.body.retried).toEqual([
      { target: expect.objectContaining({ kind: 'activity', activity: 'notifyEscalation', action: 'reset-activity' }), applied: true },
    ]);
    expect(retried.body.event).toMatchObject({
      streamId: operationsStreamId(department.code),
      type: 'RetryRequested',
      metadata: expect.objectContaining({ actor: { sub: 'operations-user', role: 'operations' }, correlationId: 'retry-after-webhook-outage' }),
    });
    await eventually(async () => receiver.received.some((body) => body.code === department.code), 'the escalation to reach the webhook');
    // Delivered by the reset (attempts start again at 1), not by a backoff retry that came due.
    expect(await completedAttempt(stack, department.code, 'notifyEscalation')).toBe(1);
    expect((await pending).status).toBe(200);
    expect(await stuckList(stack, [department.code], { reason: 'activity-failing' })).toEqual([]);
  });

  it('answers retry with 409 when nothing is failing', async () => {
    const department = new OnboardingDriver(stack, uniqueCode('EN'));
    await department.register();
    const response = await stack.http
      .post(`/api/operations/departments/${department.code}/retry`)
      .set('Authorization', `Bearer ${stack.token('operations')}`)
      .send({});
    expect([response.status, response.body.code]).toEqual([409, 'nothing-to-retry']);
  });
});

describe('API observability', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ env: { LOG_LEVEL: 'info' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('serves Prometheus metrics: latency by route and status, command outcomes', async () => {
    const department = new OnboardingDriver(stack, uniqueCode('MX'));
    await department.register();
    await department.get();
    const refused = await department.advance('LESSONS');
    expect(refused.status).toBe(422);

    const metrics = await stack.http.get('/metrics');

    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*method="GET"[^}]*route="\/api\/departments\/:code"[^}]*status="200"/);
    expect(metrics.text).toMatch(/onboarding_commands_total\{route="\/api\/departments",outcome="accepted",code="ok"\} \d+/);
    expect(metrics.text).toMatch(/onboarding_commands_total\{route="\/api\/departments\/:code\/advance",outcome="refused",code="gates-unmet"\} 1/);
  });

  it('writes one JSON log line per request with the request and correlation ids its events carry', async () => {
    const department = new OnboardingDriver(stack, uniqueCode('LG'));
    await department.register();
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      lines.push(String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    let response;
    try {
      response = await department.command('assessment', department.lead, { sro: 'Jane Smith', score: 4, contractManagementFte: 2 }, {
        'X-Request-Id': `req-${department.code}`,
        'X-Correlation-Id': `corr-${department.code}`,
      });
    } finally {
      process.stdout.write = write;
    }

    expect(response.status).toBe(200);
    const logged = lines
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === 'request' && entry.requestId === `req-${department.code}`);
    expect(logged).toMatchObject({
      level: 'info',
      service: 'api',
      method: 'POST',
      route: '/api/departments/:code/assessment',
      status: 200,
      correlationId: `corr-${department.code}`,
      actor: `lead-of-${department.code}`,
      role: 'lead',
    });
    expect(response.body.events[0].metadata).toMatchObject({ requestId: `req-${department.code}`, correlationId: `corr-${department.code}` });
  });

  it('links each department to its workflow in the Temporal UI', async () => {
    const department = new OnboardingDriver(stack, uniqueCode('LK'));
    await department.register();
    const view = await department.get();
    expect(view.body.links.workflow).toBe(`http://127.0.0.1:8233/namespaces/default/workflows/onboarding-${department.code}`);
  });
});
