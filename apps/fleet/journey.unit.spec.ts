import { driveDepartment, JOURNEY_LENGTH, type Attempt } from './journey.js';

describe("a fleet journey's record of a command that got no answer", () => {
  it('says why (the cause fetch hides behind "fetch failed"), and the command is sent again with its key', async () => {
    let calls = 0;
    const refusedOnce: typeof fetch = async (input, init) => {
      calls += 1;
      if (calls === 1) {
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
      }
      const key = new Headers(init?.headers).get('idempotency-key');
      const status = String(input).endsWith('/api/departments') ? 201 : 200;
      return new Response(JSON.stringify({ events: [{ eventId: `${key}-event` }] }), { status, headers: { 'content-type': 'application/json' } });
    };
    const attempts: Attempt[] = [];
    const outcomes = await driveDepartment('JR', {
      apiUrls: () => ['http://api-1.invalid', 'http://api-2.invalid'],
      jwtSecret: 'unit-test-secret-unit-test-secret',
      record: (attempt) => attempts.push(attempt),
      fetch: refusedOnce,
    });

    expect(attempts[0]).toMatchObject({ status: 0, failure: 'fetch failed: connect ECONNREFUSED 127.0.0.1:1 ECONNREFUSED', eventIds: [] });
    expect(attempts[1]).toMatchObject({ key: attempts[0].key, status: 201 });
    expect(attempts[1].failure).toBeUndefined();
    expect(outcomes).toHaveLength(JOURNEY_LENGTH);
    expect(outcomes.every((outcome) => outcome.status >= 200 && outcome.status < 300)).toBe(true);
  });
});
