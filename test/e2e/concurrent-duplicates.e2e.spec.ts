import type { Response } from 'supertest';
import { streamIdFor } from '../../libs/domain/index.js';
import { operationsStreamId } from '../../libs/operations/index.js';
import { WebhookNotifier } from '../../libs/temporal/index.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { eventually, stuckList, sweepStuck } from '../support/operations.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/** How many copies of one command arrive together (a double click, a client that resends while waiting). */
const COPIES = 4;

/**
 * A command sent several times at once with one Idempotency-Key, spread over two API
 * processes behind one database and Temporal server, is one command: one event is
 * appended, and every copy is answered with the first result. Retry appends outside any
 * workflow Update (its own stream, operations-<CODE>), so nothing downstream would catch a
 * second run; escalate and pause go through the workflow.
 */
describe('the same command sent at once through two API processes', () => {
  let stack: Stack;
  let other: Stack;
  let receiver: WebhookReceiver;
  let department: OnboardingDriver;

  /** Every copy at once, alternately through each process. */
  async function sendTogether(path: string, body: object, key: string): Promise<Response[]> {
    return Promise.all(
      Array.from({ length: COPIES }, (_, copy) =>
        (copy % 2 === 0 ? stack : other).http
          .post(path)
          .set('Authorization', `Bearer ${department.operations}`)
          .set('Idempotency-Key', key)
          .send(body)
          .then((response) => response),
      ),
    );
  }

  function expectOneAnswer(responses: readonly Response[]): void {
    expect(responses.map((response) => (response.status === 200 ? 200 : `${response.status} ${response.body.code}`))).toEqual(Array(COPIES).fill(200));
    for (const response of responses.slice(1)) expect(response.body).toEqual(responses[0].body);
  }

  beforeAll(async () => {
    receiver = await startWebhookReceiver('fail');
    stack = await startStack({ notifier: new WebhookNotifier(receiver.url, 2000) });
    // A second API process on the same database, Temporal server and task queue, with no worker of its own.
    other = await startStack({ withoutWorker: true, env: { TEMPORAL_TASK_QUEUE: stack.config.temporalTaskQueue } });
    department = new OnboardingDriver(stack, uniqueCode('CD'));
    await department.register({ deadlines: { LESSONS: 'PT2S' } });
    // The deadline passes, the workflow escalates, and every delivery to the paging service fails.
    await eventually(async () => {
      await sweepStuck(stack);
      return (await stuckList(stack, [department.code], { reason: 'activity-failing' })).length > 0;
    }, 'the failing escalation delivery to be listed', 60_000, 500);
  });
  afterAll(async () => {
    await other?.close();
    await stack?.close();
    await receiver?.close();
  });

  it('retries the failing step once and records one RetryRequested, whichever copy arrives first', async () => {
    receiver.setMode('ok');
    const responses = await sendTogether(`/api/operations/departments/${department.code}/retry`, { reason: 'paging service back' }, `retry-${department.code}`);

    expectOneAnswer(responses);
    const retries = await stack.store.readStream(operationsStreamId(department.code));
    expect(retries.map((event) => [event.type, event.eventId])).toEqual([['RetryRequested', responses[0].body.event.eventId]]);
    expect(responses[0].body.retried).toEqual([{ target: expect.objectContaining({ kind: 'activity', action: 'reset-activity' }), applied: true }]);
    await eventually(async () => receiver.received.some((body) => body.code === department.code), 'the escalation to be delivered');
  });

  it('escalates once', async () => {
    const reason = 'Lead has not answered for two weeks';
    const responses = await sendTogether(`/api/operations/departments/${department.code}/escalate`, { reason }, `escalate-${department.code}`);

    expectOneAnswer(responses);
    const escalations = (await stack.store.readStream(streamIdFor(department.code))).filter(
      (event) => event.type === 'OnboardingEscalated' && (event.data as { reason?: string }).reason === reason,
    );
    expect(escalations).toHaveLength(1);
    expect(responses[0].body.events.map((event: { eventId: string }) => event.eventId)).toEqual([escalations[0].eventId]);
  });

  it('pauses once', async () => {
    const responses = await sendTogether(`/api/departments/${department.code}/pause`, { reason: 'Waiting for the new lead' }, `pause-${department.code}`);

    expectOneAnswer(responses);
    const pauses = (await stack.store.readStream(streamIdFor(department.code))).filter((event) => event.type === 'OnboardingPaused');
    expect(pauses).toHaveLength(1);
    expect(responses[0].body.department.paused).toBe(true);
  });
});
