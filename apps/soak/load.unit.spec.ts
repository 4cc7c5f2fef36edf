import { JOURNEY_LENGTH, type Attempt } from '../fleet/journey.js';
import { Load } from './load.js';

/**
 * The API's answers, scripted: every command is answered 2xx after `delayMs`, except the
 * commands `unavailable` names (`CODE command-path-end`), answered 503 with Retry-After.
 */
function scriptedApi(delayMs: number, unavailable: readonly string[] = []): typeof fetch {
  return async (input, init) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const url = String(input);
    const key = new Headers(init?.headers).get('idempotency-key') ?? '';
    const code = key.split('-')[0];
    const command = key.slice(code.length + 1);
    if (unavailable.includes(`${code} ${command}`)) {
      return new Response(JSON.stringify({ code: 'temporal-unavailable' }), { status: 503, headers: { 'retry-after': '1', 'content-type': 'application/json' } });
    }
    const status = url.endsWith('/api/departments') ? 201 : 200;
    return new Response(JSON.stringify({ events: [{ eventId: `${key}-event` }] }), { status, headers: { 'content-type': 'application/json' } });
  };
}

const firstSentAt = (attempts: readonly Attempt[]) => {
  const byKey = new Map<string, number>();
  for (const attempt of attempts) byKey.set(attempt.key, Math.min(byKey.get(attempt.key) ?? Infinity, attempt.startedAt));
  return byKey;
};

describe("a soak drill's load under the time limit", () => {
  const options = { apiUrls: () => ['http://api.invalid'], jwtSecret: 'unit-test-secret-unit-test-secret', patienceMs: 60_000 };

  it('starts no journey and sends no new command from the limit, finishes the commands under way, and says what it cut', async () => {
    const started = Date.now();
    const cutoff = { sendUntil: started + 300, answerUntil: started + 5_000 };
    const codes = ['CA', 'CB', 'CC', 'CD', 'CE', 'CF'];
    const load = new Load({ ...options, codes, concurrency: 2, cutoff, fetch: scriptedApi(40) });

    // The fault of a fault drill is not struck once the load stops sending.
    expect(await load.untilAcknowledged(1)).toBe(false);
    expect(Date.now()).toBeGreaterThanOrEqual(cutoff.sendUntil);
    await load.done;
    expect(Date.now()).toBeLessThan(cutoff.answerUntil);

    for (const [key, sentAt] of firstSentAt(load.attempts)) expect([key, sentAt < cutoff.sendUntil]).toEqual([key, true]);
    // Every command sent was answered, none given up.
    expect(load.attempts.every((attempt) => attempt.status >= 200 && attempt.status < 300)).toBe(true);
    // A journey is 15 commands of 40 ms: the two under way at 300 ms cannot have finished.
    expect(load.cutShort).toEqual({
      at: new Date(cutoff.sendUntil).toISOString(),
      departmentsNotStarted: 4,
      journeysStopped: 2,
      commandsAbandoned: 0,
      codes,
    });
    expect(load.finished.size).toBe(0);
    expect(JOURNEY_LENGTH * 40).toBeGreaterThan(300);
  });

  it('retries a command under way past the limit until it gives it up, unanswered, at the end of the grace', async () => {
    const started = Date.now();
    // The assessment is first sent within milliseconds and answered 503 (Retry-After: 1 s), so its
    // retry falls after the limit and the one after that past the grace. The limit leaves room
    // for a loaded machine to send the registration and the assessment before it: at 100 ms it
    // did not always.
    const cutoff = { sendUntil: started + 500, answerUntil: started + 2_000 };
    const load = new Load({ ...options, codes: ['SLOW', 'NEXT'], concurrency: 1, cutoff, fetch: scriptedApi(10, ['SLOW assessment']) });
    await load.done;

    const assessment = load.attempts.filter((attempt) => attempt.key === 'SLOW-assessment');
    expect(assessment.every((attempt) => attempt.status === 503)).toBe(true);
    // Retried with its key after the limit, none sent after the grace.
    expect(assessment.some((attempt) => attempt.startedAt > cutoff.sendUntil)).toBe(true);
    expect(assessment.every((attempt) => attempt.startedAt < cutoff.answerUntil)).toBe(true);
    expect(load.attempts.map((attempt) => attempt.key).filter((key) => key !== 'SLOW-assessment')).toEqual(['SLOW-register']);
    expect(load.cutShort).toEqual({ at: new Date(cutoff.sendUntil).toISOString(), departmentsNotStarted: 1, journeysStopped: 0, commandsAbandoned: 1, codes: ['NEXT', 'SLOW'] });
  });

  it('without a limit, drives every department to its end and cuts nothing', async () => {
    const load = new Load({ ...options, codes: ['FA', 'FB', 'FC'], concurrency: 2, fetch: scriptedApi(1) });
    expect(await load.untilAcknowledged(0.5)).toBe(true);
    await load.done;
    expect(load.cutShort).toBeNull();
    expect([...load.finished].sort()).toEqual(['FA', 'FB', 'FC']);
    expect(load.acknowledged).toBe(3 * JOURNEY_LENGTH);
  });
});
