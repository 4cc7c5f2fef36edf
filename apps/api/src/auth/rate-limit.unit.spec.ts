import { SlidingWindowLimiter, clientKey, rateLimitCounters } from './rate-limit.js';

describe('SlidingWindowLimiter (counters in memory, as on SQLite)', () => {
  const minute = 60_000;

  function limiterAt(start: number, limit: number) {
    let now = start;
    const limiter = new SlidingWindowLimiter(rateLimitCounters(undefined, 'test'), limit, minute, () => now);
    return { limiter, advance: (ms: number) => (now += ms) };
  }

  /** One request after another, as the middleware sends them. */
  async function takeInTurn(limiter: SlidingWindowLimiter, key: string, times: number): Promise<number[]> {
    const waits: number[] = [];
    for (let i = 0; i < times; i++) waits.push(await limiter.take(key));
    return waits;
  }

  it('lets the limit through in a window and refuses the next, saying how long to wait', async () => {
    const { limiter } = limiterAt(10 * minute, 3);
    expect(await takeInTurn(limiter, 'a', 3)).toEqual([0, 0, 0]);
    expect(await limiter.take('a')).toBe(61);
    // A refused request is not counted: it does not push the wait further out.
    expect(await limiter.take('a')).toBe(61);
  });

  it('counts each key apart', async () => {
    const { limiter } = limiterAt(10 * minute, 1);
    expect(await limiter.take('a')).toBe(0);
    expect(await limiter.take('b')).toBe(0);
    expect(await limiter.take('a')).toBeGreaterThan(0);
  });

  it('does not allow a double burst across a window edge', async () => {
    const { limiter, advance } = limiterAt(10 * minute + 59_000, 10);
    expect(await takeInTurn(limiter, 'a', 10)).toEqual(Array(10).fill(0));
    advance(2_000); // a second into the next window, the last one still weighs 59/60
    const [first, ...rest] = await takeInTurn(limiter, 'a', 10);
    expect(first).toBe(0);
    expect(rest).toEqual(Array(9).fill(6)); // by then 9/10 of the last window's weight remains: 9 + 1 < 10 fails, so 6 s
    advance(30_000); // about half the last window's weight is gone
    const allowed = (await takeInTurn(limiter, 'a', 10)).filter((wait) => wait === 0).length;
    expect(allowed).toBe(5);
  });

  it('forgets a key after two quiet windows', async () => {
    const { limiter, advance } = limiterAt(10 * minute, 1);
    await limiter.take('a');
    advance(2 * minute + 1);
    expect(await limiter.take('a')).toBe(0);
  });
});

describe('clientKey', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['2001:db8:abcd:12:1:2:3:4', '2001:db8:abcd:12::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0DB8:0000:0012::ff', '2001:db8:0:12::/64'],
    [undefined, 'unknown'],
  ])('keys %s as %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
