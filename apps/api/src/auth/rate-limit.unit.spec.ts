import { clientKey, rateLimitCounters } from './rate-limit.js';
import { MemoryAllowance, SlidingWindowLimiter, type ClaimRequest } from './sliding-window.js';

/** One request after another, as the middleware sends them. */
async function takeInTurn(limiter: SlidingWindowLimiter, key: string, times: number): Promise<number[]> {
  const waits: number[] = [];
  for (let i = 0; i < times; i++) waits.push(await limiter.take(key));
  return waits;
}

describe('SlidingWindowLimiter (counters in memory, as on SQLite)', () => {
  const minute = 60_000;

  function limiterAt(start: number, limit: number) {
    let now = start;
    const limiter = new SlidingWindowLimiter(rateLimitCounters(undefined, 'test'), limit, minute, () => now);
    return { limiter, advance: (ms: number) => (now += ms) };
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

describe('SlidingWindowLimiter sharing one store, as API replicas share PostgreSQL', () => {
  const minute = 60_000;

  /** A store that counts the claims made on it. */
  function countingStore() {
    const memory = new MemoryAllowance();
    const store = { claims: 0, claim: (request: ClaimRequest) => ((store.claims += 1), memory.claim(request)) };
    return store;
  }

  it('admits the limit once between two replicas asked in turn, then both refuse', async () => {
    const store = countingStore();
    const replicas = [0, 1].map(() => new SlidingWindowLimiter(store, 100, minute, () => 10 * minute + 1_000));
    let admitted = 0;
    for (let i = 0; i < 300; i++) if ((await replicas[i % 2].take('a')) === 0) admitted += 1;
    expect(admitted).toBe(100);
    expect(await replicas[0].take('a')).toBeGreaterThan(0);
    expect(await replicas[1].take('a')).toBeGreaterThan(0);
  });

  it('claims a share of what is left, so most requests reach no store', async () => {
    const store = countingStore();
    const limiter = new SlidingWindowLimiter(store, 600, minute, () => 10 * minute);
    expect(await takeInTurn(limiter, 'a', 100)).toEqual(Array(100).fill(0));
    // 600 / 8 = 75 at first, then 525 / 8 = 65: two claims for a hundred requests.
    expect(store.claims).toBe(2);
  });

  it('claims one request at a time near the limit, so the last ones are exact', async () => {
    const store = countingStore();
    const limiter = new SlidingWindowLimiter(store, 7, minute, () => 10 * minute);
    expect(await takeInTurn(limiter, 'a', 7)).toEqual(Array(7).fill(0));
    expect(store.claims).toBe(7);
  });

  it('refuses a key at its limit without asking the store again until its wait is over', async () => {
    const store = countingStore();
    let now = 10 * minute;
    const limiter = new SlidingWindowLimiter(store, 2, minute, () => now);
    await takeInTurn(limiter, 'a', 2);
    const claimsAtLimit = store.claims;
    expect(await takeInTurn(limiter, 'a', 5)).toEqual(Array(5).fill(61));
    expect(store.claims).toBe(claimsAtLimit + 1);
    now += 61_000;
    expect(await limiter.take('a')).toBe(0);
  });

  it('lets requests that arrive together share one claim', async () => {
    const store = countingStore();
    const limiter = new SlidingWindowLimiter(store, 600, minute, () => 10 * minute);
    const waits = await Promise.all(Array.from({ length: 50 }, () => limiter.take('a')));
    expect(waits).toEqual(Array(50).fill(0));
    expect(store.claims).toBe(1);
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
