export const WINDOW_MS = 60_000;
/**
 * A replica claims at most this share of what a key has left (and at least one request),
 * so the other replicas find the rest: near the limit every claim is of one request and
 * the budget is exact; far from it, one claim serves many requests.
 */
export const LEASE_DIVISOR = 8;

/** One claim on a key's allowance in the current window. */
export interface ClaimRequest {
  /** This window's counter. */
  readonly key: string;
  /** The last window's counter, which still weighs on the estimate. */
  readonly previousKey: string;
  readonly now: number;
  /** When this window's counter may be forgotten: once the next window no longer reads it. */
  readonly expiresAt: number;
  readonly limit: number;
  /** How much of the last window still counts: 1 at this window's start, 0 at its end. */
  readonly previousWeight: number;
}

export interface Claim {
  /** Requests this claim admits; 0 when the key is at its limit. */
  readonly granted: number;
  /** The counts after the claim, for the wait to announce when nothing was granted. */
  readonly previous: number;
  readonly current: number;
}

/** Where a key's counters live; a claim is atomic there, however many replicas claim at once. */
export interface AllowanceStore {
  claim(request: ClaimRequest): Promise<Claim>;
}

/**
 * How many more requests the sliding estimate lets through now: each must find
 * `previous × weight + current < limit`. Written to give the same answer as the SQL that
 * claims on PostgreSQL (both in IEEE doubles).
 */
export function headroom(limit: number, previous: number, previousWeight: number, current: number): number {
  return Math.ceil(limit - previous * previousWeight) - current;
}

export function leaseSize(free: number): number {
  return free <= 0 ? 0 : Math.max(1, Math.floor(free / LEASE_DIVISOR));
}

/** Counters in this process's memory: SQLite's one embedded process, and a replica whose database does not answer. */
export class MemoryAllowance implements AllowanceStore {
  private readonly counters = new Map<string, { points: number; expiresAt: number }>();
  private sweptAt = 0;

  async claim(request: ClaimRequest): Promise<Claim> {
    this.sweep(request.now);
    const previous = this.live(request.previousKey, request.now)?.points ?? 0;
    const counter = this.live(request.key, request.now);
    const current = counter?.points ?? 0;
    const granted = leaseSize(headroom(request.limit, previous, request.previousWeight, current));
    if (granted > 0) this.counters.set(request.key, { points: current + granted, expiresAt: counter?.expiresAt ?? request.expiresAt });
    return { granted, previous, current: current + granted };
  }

  private live(key: string, now: number) {
    const counter = this.counters.get(key);
    return counter && counter.expiresAt > now ? counter : undefined;
  }

  /** At most once a window, so a quiet key is forgotten without a timer. */
  private sweep(now: number): void {
    if (now - this.sweptAt < WINDOW_MS) return;
    this.sweptAt = now;
    for (const [key, counter] of this.counters) if (counter.expiresAt <= now) this.counters.delete(key);
  }
}

interface Holding {
  /** Requests already claimed from the store and not yet admitted. */
  remaining: number;
  /** The last claim found the key at its limit: refused here, with no claim, until `until`. */
  readonly refusal?: { readonly previous: number; readonly current: number; readonly until: number };
}

/**
 * A sliding one-minute window per key, estimated from this minute's count and the last
 * one's: a burst at a window's edge cannot double the rate. The counts live in an
 * AllowanceStore (PostgreSQL, shared by every replica, or memory).
 *
 * Requests are not counted there one by one: a limiter claims a share of what the key has
 * left (LEASE_DIVISOR) and admits that many requests itself, so most requests reach no
 * store at all. What is claimed is counted at once, so replicas together never admit more
 * than the limit; a claim's unused part is forgotten with its window. A key found at its
 * limit is refused here, without asking the store again, until its estimate can have
 * fallen below the limit (only time frees allowance). Refused requests are never counted.
 */
export class SlidingWindowLimiter {
  private readonly holdings = new Map<string, Holding>();
  private readonly claiming = new Map<string, Promise<void>>();
  /** Holdings are of one window, the current one; they are dropped together when it ends. */
  private holdingsWindow = Number.NaN;

  constructor(
    private readonly store: AllowanceStore,
    private readonly limit: number,
    private readonly windowMs = WINDOW_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Admits one request: 0, or the seconds to wait when the key is over its limit. */
  async take(key: string): Promise<number> {
    for (;;) {
      const now = this.clock();
      const windowStart = now - (now % this.windowMs);
      if (windowStart !== this.holdingsWindow) {
        this.holdings.clear();
        this.holdingsWindow = windowStart;
      }
      const holding = this.holdings.get(key);
      if (holding && holding.remaining > 0) {
        holding.remaining -= 1;
        return 0;
      }
      if (holding?.refusal && now < holding.refusal.until) return Math.max(1, Math.ceil(this.waitMs(holding.refusal, now - windowStart) / 1000));
      // One claim per key at a time: requests that arrive meanwhile share what it brings.
      let claim = this.claiming.get(key);
      if (!claim) {
        claim = this.claim(key, now, windowStart).finally(() => this.claiming.delete(key));
        this.claiming.set(key, claim);
      }
      await claim;
    }
  }

  private async claim(key: string, now: number, windowStart: number): Promise<void> {
    const claim = await this.store.claim({
      key: `${key}@${windowStart}`,
      previousKey: `${key}@${windowStart - this.windowMs}`,
      now,
      // Kept for two windows: the next one's estimate reads this one.
      expiresAt: now + 2 * this.windowMs,
      limit: this.limit,
      previousWeight: 1 - (now - windowStart) / this.windowMs,
    });
    // A claim that outlived its window is of no use to the next one.
    if (windowStart !== this.holdingsWindow) return;
    if (claim.granted > 0) {
      this.holdings.set(key, { remaining: claim.granted });
      return;
    }
    const counts = { previous: claim.previous, current: claim.current };
    this.holdings.set(key, { remaining: 0, refusal: { ...counts, until: now + this.waitMs(counts, now - windowStart) } });
  }

  /** Until the last window's weight has decayed enough, or, when this window is full, until the next. */
  private waitMs(window: { readonly current: number; readonly previous: number }, elapsedMs: number): number {
    const freeAt = window.current < this.limit && window.previous > 0 ? 1 - (this.limit - window.current) / window.previous : 1;
    // The estimate must fall below the limit, not reach it: one millisecond past the point.
    return freeAt * this.windowMs - elapsedMs + 1;
  }
}
