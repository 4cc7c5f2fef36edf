import { databaseCases, uniqueSuffix } from '../../../../test/support/databases.js';
import type { SqlClient } from '../../../../libs/database/index.js';
import { SharedAllowance } from './shared-allowance.js';
import { MemoryAllowance, SlidingWindowLimiter, type ClaimRequest } from './sliding-window.js';

const minute = 60_000;

/**
 * The claims two API replicas make on PostgreSQL's `rate_limits`: one budget between them,
 * whatever the interleaving, and the same grants as the in-memory counters.
 */
describe('SharedAllowance on PostgreSQL', () => {
  let db: SqlClient;
  beforeAll(async () => {
    db = await databaseCases()
      .find((candidate) => candidate.name === 'postgres')!
      .open();
  });
  afterAll(async () => {
    await db?.close();
  });

  const replica = (prefix: string, limit: number, clock: () => number, timeoutMs?: number) =>
    new SlidingWindowLimiter(new SharedAllowance(db, prefix, new MemoryAllowance(), timeoutMs), limit, minute, clock);

  it('admits the limit once between two replicas flooded at once', async () => {
    const prefix = `rate:test-${uniqueSuffix()}`;
    const now = () => 10 * minute + 1_000;
    const replicas = [replica(prefix, 50, now), replica(prefix, 50, now)];
    const waits = await Promise.all(Array.from({ length: 200 }, (_, i) => replicas[i % 2].take('client')));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(50);
    expect(waits.filter((wait) => wait > 0)).toHaveLength(150);
    const [row] = await db.query<{ points: number }>('SELECT points FROM rate_limits WHERE key = $1', [`${prefix}:client@${10 * minute}`]);
    expect(row.points).toBe(50);
  });

  it('grants what the in-memory counters grant, claim after claim and across a window edge', async () => {
    const prefix = `rate:test-${uniqueSuffix()}`;
    const shared = new SharedAllowance(db, prefix, new MemoryAllowance());
    const memory = new MemoryAllowance();
    const base = 20 * minute;
    const at = (now: number, limit: number): ClaimRequest => {
      const start = now - (now % minute);
      return { key: `k@${start}`, previousKey: `k@${start - minute}`, now, expiresAt: now + 2 * minute, limit, previousWeight: 1 - (now - start) / minute };
    };
    const steps = [
      ...Array.from({ length: 12 }, (_, i) => at(base + 59_000 + i, 40)),
      ...Array.from({ length: 12 }, (_, i) => at(base + minute + 7_001 + i * 3_000, 40)),
      at(base + 3 * minute + 5, 40),
    ];
    for (const step of steps) expect(await shared.claim(step)).toEqual(await memory.claim(step));
  });

  it('counts in memory when the database does not answer in time', async () => {
    const prefix = `rate:test-${uniqueSuffix()}`;
    const now = 30 * minute;
    await db.query('INSERT INTO rate_limits (key, points, expire) VALUES ($1, 0, $2)', [`${prefix}:client@${now}`, now + 2 * minute]);
    const limiter = replica(prefix, 3, () => now, 200);
    // Another transaction holds this window's counter: the claim waits on its lock.
    await db.transaction(async (tx) => {
      await tx.query('SELECT points FROM rate_limits WHERE key = $1 FOR UPDATE', [`${prefix}:client@${now}`]);
      expect(await Promise.all([limiter.take('client'), limiter.take('client'), limiter.take('client')])).toEqual([0, 0, 0]);
      expect(await limiter.take('client')).toBeGreaterThan(0);
    });
  });
});
