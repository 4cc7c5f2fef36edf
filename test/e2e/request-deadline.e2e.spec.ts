import { streamIdFor } from '../../libs/domain/index.js';
import { testDatabaseUrl } from '../support/env.js';
import { EventsTableLock } from '../support/events-table-lock.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';

const COMMAND_TIMEOUT_MS = 4000;

/**
 * COMMAND_TIMEOUT_MS bounds the whole request, not only the workflow Update: with the
 * events table locked against every access (so the Idempotency-Key's lookup of a lost
 * answer cannot read it), the caller still hears 503 in time, and a retry with the same
 * key after the lock is gone records the command once.
 */
describe('a command whose database is locked', () => {
  let stack: Stack;
  let locker: EventsTableLock;

  beforeAll(async () => {
    stack = await startStack({ env: { COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS) } });
    locker = await EventsTableLock.connect(testDatabaseUrl());
  });
  afterAll(async () => {
    await locker?.close();
    await stack?.close();
  });

  it('answers 503 with Retry-After within COMMAND_TIMEOUT_MS, and the retry with the same key lands once', async () => {
    const department = new OnboardingDriver(stack, uniqueCode('LK'));
    await department.register();
    const body = { sro: 'Jane Smith', score: 4, contractManagementFte: 2 };
    const key = `locked-${department.code}`;

    await locker.lock();
    const started = Date.now();
    const locked = await department.command('assessment', department.lead, body, { 'Idempotency-Key': key });
    const waited = Date.now() - started;
    await locker.release();

    expect(locked.status).toBe(503);
    expect(locked.body).toMatchObject({ statusCode: 503, code: 'request-timeout' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(waited).toBeLessThan(COMMAND_TIMEOUT_MS + 1000);

    const retried = await department.expectOk(department.command('assessment', department.lead, body, { 'Idempotency-Key': key }));
    expect(retried.body.department).toMatchObject({ code: department.code, assessment: expect.objectContaining({ score: 4 }) });
    const events = await stack.store.readStream(streamIdFor(department.code));
    expect(events.filter((event) => event.type === 'AssessmentRecorded')).toHaveLength(1);
  });
});
