import type { SqlExecutor } from '../../../../libs/database/index.js';
import { LEASE_DIVISOR, type AllowanceStore, type Claim, type ClaimRequest } from './sliding-window.js';

/** Beyond this a claim is made in this process's memory instead (a slow database must not hold every request). */
export const SHARED_CLAIM_TIMEOUT_MS = 1000;
/** Counters past their expiry are deleted at most this often, by whichever claim comes first. */
const SWEEP_EVERY_MS = 5 * 60_000;

/**
 * One statement, one round trip: lock this window's counter (if it exists), read the last
 * window's, and add what the sliding estimate still allows — a LEASE_DIVISOR share of it,
 * at least one — or nothing. The grant is `current - before`. When two replicas create the
 * same counter at once, the one that finds it created grants nothing (`before` is null and
 * the row was not inserted) and claims again, now under the lock.
 *
 * The table and its keys are the ones rate-limiter-flexible used (`points` = requests
 * counted, `expire` in epoch milliseconds), so replicas of either version share one budget.
 */
const CLAIM = `
WITH previous AS (
  SELECT COALESCE((SELECT points FROM rate_limits WHERE key = $2 AND expire > $3::bigint), 0) AS points
), locked AS (
  SELECT CASE WHEN expire > $3::bigint THEN points ELSE 0 END AS points FROM rate_limits WHERE key = $1 FOR UPDATE
), claim AS (
  SELECT locked.points AS before, previous.points AS previous,
    CEIL($5::int - previous.points * $6::float8)::int - COALESCE(locked.points, 0) AS free
  FROM previous LEFT JOIN locked ON true
)
INSERT INTO rate_limits AS counter (key, points, expire)
SELECT $1, CASE WHEN free <= 0 THEN 0 ELSE GREATEST(1, free / $7::int) END, $4::bigint FROM claim
ON CONFLICT (key) DO UPDATE SET
  points = CASE WHEN (SELECT before FROM claim) IS NULL THEN counter.points ELSE (SELECT before FROM claim) + excluded.points END,
  expire = CASE WHEN (SELECT before FROM claim) IS NOT NULL AND counter.expire <= $3::bigint THEN excluded.expire ELSE counter.expire END
RETURNING counter.points AS current, (SELECT before FROM claim) AS before, (SELECT previous FROM claim) AS previous, (counter.xmax = 0) AS inserted`;

interface ClaimRow {
  readonly current: number;
  readonly before: number | null;
  readonly previous: number;
  readonly inserted: boolean;
}

/**
 * The `rate_limits` table on PostgreSQL, shared by every API replica: N replicas allow the
 * configured rate once, not N times. Should the database not answer a claim within
 * SHARED_CLAIM_TIMEOUT_MS (or fail), the claim is made in this process's memory meanwhile
 * rather than hold or refuse the request.
 */
export class SharedAllowance implements AllowanceStore {
  private sweptAt = 0;

  constructor(
    private readonly db: SqlExecutor,
    private readonly keyPrefix: string,
    private readonly fallback: AllowanceStore,
    private readonly timeoutMs = SHARED_CLAIM_TIMEOUT_MS,
  ) {}

  async claim(request: ClaimRequest): Promise<Claim> {
    const named = { ...request, key: `${this.keyPrefix}:${request.key}`, previousKey: `${this.keyPrefix}:${request.previousKey}` };
    try {
      const claim = await withTimeout(this.claimShared(named), this.timeoutMs);
      this.sweep(request.now);
      return claim;
    } catch {
      return this.fallback.claim(named);
    }
  }

  private async claimShared(request: ClaimRequest): Promise<Claim> {
    const params = [request.key, request.previousKey, request.now, request.expiresAt, request.limit, request.previousWeight, LEASE_DIVISOR];
    // After a race the counter exists, so a second attempt takes the lock; one more is enough.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const [row] = await this.db.query<ClaimRow>(CLAIM, params);
      if (!row) break;
      if (row.before === null && !row.inserted) continue;
      const current = Number(row.current);
      return { granted: current - Number(row.before ?? 0), previous: Number(row.previous), current };
    }
    throw new Error('the rate-limit claim found no counter to lock');
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < SWEEP_EVERY_MS) return;
    this.sweptAt = now;
    this.db.query('DELETE FROM rate_limits WHERE expire <= $1', [now]).catch(() => undefined);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
