import type { Response } from 'supertest';
import { commandIdFor } from '../../apps/api/src/common/idempotency.js';
import { LessonCommands } from '../../apps/api/src/lessons/lesson-commands.js';
import { RetryService } from '../../apps/api/src/operations/retry/retry.service.js';
import { lessonStreamId, streamIdFor } from '../../libs/domain/index.js';
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
  async function sendTogether(path: string, body: object, key: string, token = department.operations): Promise<Response[]> {
    return Promise.all(
      Array.from({ length: COPIES }, (_, copy) =>
        (copy % 2 === 0 ? stack : other).http
          .post(path)
          .set('Authorization', `Bearer ${token}`)
          .set('Idempotency-Key', key)
          .send(body)
          .then((response) => response),
      ),
    );
  }

  function expectOneAnswer(responses: readonly Response[], status = 200): void {
    expect(responses.map((response) => (response.status === status ? status : `${response.status} ${response.body.code}`))).toEqual(Array(COPIES).fill(status));
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

  it('answers a retry run again under the same command id (its answer lost) with the event it recorded, appending nothing', async () => {
    const key = `retry-${department.code}`;
    const commandId = commandIdFor(`operations-user|POST /api/operations/departments/${department.code}/retry`, key);
    const [recorded] = await stack.store.readStream(operationsStreamId(department.code));

    // Nothing fails any more, so a new retry would be refused 409 nothing-to-retry; this one was done already.
    const again = await stack.app.get(RetryService).retry(department.code, 'paging service back', { actor: { sub: 'operations-user', role: 'operations' }, commandId });

    expect(again.event).toEqual(recorded);
    expect(again.retried).toEqual([{ target: expect.objectContaining({ kind: 'activity' }), applied: false }]);
    await expect(stack.store.readStream(operationsStreamId(department.code))).resolves.toHaveLength(1);
  });

  it('records a lesson once and makes it mandatory once, and a mandatory change run again is answered, not refused', async () => {
    const programme = stack.token('programme');
    // A centre of its own: made mandatory for every centre, it would hold up every other test's departments in LESSONS.
    const lesson = { title: `Exit clauses ${department.code}`, body: 'Write them before signing', tags: ['contract'], centre: `CD-${department.code}`, sourceDepartment: department.code };
    const recorded = await sendTogether('/api/lessons', lesson, `lesson-${department.code}`, programme);
    expectOneAnswer(recorded, 201);
    const lessonId = recorded[0].body.lesson.id as string;
    const change = { mandatory: true, reason: 'Every department got this wrong' };
    const changed = await sendTogether(`/api/lessons/${lessonId}/mandatory`, change, `mandatory-${department.code}`, programme);
    expectOneAnswer(changed);
    const events = await stack.store.readStream(lessonStreamId(lessonId));
    expect(events.map((event) => event.type)).toEqual(['LessonRecorded', 'LessonMandatoryChanged']);

    const commandId = commandIdFor(`programme-user|POST /api/lessons/${lessonId}/mandatory`, `mandatory-${department.code}`);
    const again = await stack.app.get(LessonCommands).setMandatory(lessonId, change, { actor: { sub: 'programme-user', role: 'programme' }, commandId });
    expect(again.events).toEqual([events[1]]);
    await expect(stack.store.readStream(lessonStreamId(lessonId))).resolves.toHaveLength(2);
  });

  it('documents the Idempotency-Key header on every command route, retry among them', async () => {
    const document = (await stack.http.get('/docs/openapi.json')).body as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
    const keyed = (path: string) => document.paths[path].post.parameters?.some((parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key');
    expect(['/api/operations/departments/{code}/retry', '/api/operations/departments/{code}/escalate', '/api/departments/{code}/pause', '/api/lessons'].filter((path) => !keyed(path))).toEqual([]);
  });
});
