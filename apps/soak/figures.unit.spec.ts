import type { Attempt } from '../fleet/journey.js';
import { parseDrills } from './drills.js';
import { commandFigures, recoveredAt } from './figures.js';

const attempt = (code: string, command: string, startedAt: number, ms: number, status: number, extra: Partial<Attempt> = {}): Attempt => ({
  code,
  command,
  key: `${code}-${command}`,
  status,
  startedAt,
  ms,
  eventIds: status >= 200 && status < 300 ? [`${code}-${command}-event`] : [],
  ...extra,
});

describe('soak figures', () => {
  const attempts = [
    attempt('A', 'register', 0, 100, 201),
    attempt('A', 'assessment', 200, 10_000, 503, { errorCode: 'request-timeout', retryAfter: '2' }),
    attempt('A', 'assessment', 10_700, 50, 200),
    attempt('A', 'advance-LESSONS', 10_800, 60, 422, { errorCode: 'wrong-stage' }),
    attempt('B', 'register', 0, 80, 201),
    attempt('B', 'assessment', 150, 30, 0),
    attempt('B', 'assessment', 400, 20_000, 503, { errorCode: 'request-timeout' }),
    attempt('B', 'assessment', 21_000, 40, 500, { errorCode: 'internal-error' }),
  ];

  it('counts commands once however often they were retried, by how they ended', () => {
    const figures = commandFigures(attempts);
    expect(figures).toMatchObject({ attempted: 5, acknowledged: 3, refused: 1, unanswered: 0, http503: 2, http503WithoutRetryAfter: 1, connectionErrors: 1, otherServerErrors: 1 });
    expect(figures.answers).toEqual({ '503 request-timeout': 2, '422 wrong-stage': 1, 'no connection': 1, '500 internal-error': 1 });
  });

  it('times a command from its first attempt to its last answer, in the window it started in', () => {
    const figures = commandFigures(attempts, { faultAt: 150, recoveredAt: 10_000 });
    // Before: the two registrations (100 and 80 ms); during: the assessments (10 550 and 20 890 ms, retries included).
    expect(figures.latency.before).toEqual({ commands: 2, p50Ms: 80, p99Ms: 100 });
    expect(figures.latency.during).toEqual({ commands: 2, p50Ms: 10_550, p99Ms: 20_890 });
    expect(figures.latency.after).toEqual({ commands: 1, p50Ms: 60, p99Ms: 60 });
  });

  it('has recovered once every journey under way at the fault has had a command acknowledged since', () => {
    const both = [...attempts.slice(0, 4), attempt('B', 'register', 0, 80, 201), attempt('B', 'assessment', 150, 30, 0), attempt('B', 'assessment', 400, 12_000, 200)];
    expect(recoveredAt(both, 150)).toBe(12_400);
    // B never had another command acknowledged: not recovered.
    expect(recoveredAt(attempts, 150)).toBeUndefined();
  });

  it('reads drills by number or name, in run order, and refuses others', () => {
    expect(parseDrills('5,2')).toEqual(['worker-kill', 'api-kill']);
    expect(parseDrills('load, postgres-outage')).toEqual(['load', 'postgres-outage']);
    expect(() => parseDrills('6')).toThrow(/unknown drill "6"/);
    expect(() => parseDrills(' , ')).toThrow(/at least one/);
  });
});
