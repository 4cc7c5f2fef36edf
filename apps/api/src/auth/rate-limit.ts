import { Inject, Injectable } from '@nestjs/common';
import { isIPv6 } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { RLWrapperTimeouts, RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AppConfig } from '../../../../libs/config/index.js';
import type { SqlClient } from '../../../../libs/database/index.js';
import { ApiError } from '../common/api-error.js';
import { APP_CONFIG, SQL_CLIENT } from '../common/tokens.js';
import { Authenticator } from './authenticator.js';

const WINDOW_MS = 60_000;
/** A counter's ceiling: the limiters below never refuse by it, they judge the sliding estimate. */
const UNBOUNDED = 2 ** 31 - 1;
/** Beyond this the shared counters are skipped for this process's own (a slow database must not hold every request). */
const SHARED_COUNTER_TIMEOUT_MS = 1000;

/**
 * A sliding one-minute window per key, estimated from this minute's count and the last
 * one's (two counters a key, however busy): a burst at a window's edge cannot double the
 * rate. The counters live in a rate-limiter-flexible store: PostgreSQL, shared by every API
 * replica, or this process's memory. Each request is counted atomically there; one that is
 * refused is handed back, so it does not use up the allowance.
 */
export class SlidingWindowLimiter {
  constructor(
    private readonly counters: RateLimiterAbstract,
    private readonly limit: number,
    private readonly windowMs = WINDOW_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Counts one request; the seconds to wait when it is over the limit, otherwise 0. */
  async take(key: string): Promise<number> {
    const now = this.clock();
    const start = now - (now % this.windowMs);
    const currentKey = `${key}@${start}`;
    const [last, counted] = await Promise.all([this.counters.get(`${key}@${start - this.windowMs}`), this.counters.consume(currentKey, 1)]);
    const window = { previous: last?.consumedPoints ?? 0, current: counted.consumedPoints - 1 };
    const elapsed = (now - start) / this.windowMs;
    if (window.previous * (1 - elapsed) + window.current < this.limit) return 0;
    await this.counters.reward(currentKey, 1);
    return this.retryAfterSeconds(window, now - start);
  }

  /** Until the last window's weight has decayed enough, or, when this window is full, until the next. */
  private retryAfterSeconds(window: { current: number; previous: number }, elapsedMs: number): number {
    const freeAt = window.current < this.limit && window.previous > 0 ? 1 - (this.limit - window.current) / window.previous : 1;
    // The estimate must fall below the limit, not reach it: one millisecond past the point.
    return Math.max(1, Math.ceil((freeAt * this.windowMs - elapsedMs + 1) / 1000));
  }
}

/**
 * Where a limiter keeps its counters. On PostgreSQL: the `rate_limits` table, so N API
 * replicas allow the configured rate once, not N times; should the database not answer
 * within a second, this process counts on its own meanwhile (rate-limiter-flexible's
 * insurance limiter) rather than refuse or hold every request. On SQLite (one embedded
 * process): memory.
 */
export function rateLimitCounters(db: SqlClient | undefined, name: string, windowMs = WINDOW_MS): RateLimiterAbstract {
  // Kept for two windows: the sliding estimate reads the last one.
  const options = { keyPrefix: `rate:${name}`, points: UNBOUNDED, duration: Math.ceil((2 * windowMs) / 1000) };
  const memory = new RateLimiterMemory(options);
  if (db?.dialect !== 'postgres') return memory;
  const shared = new RateLimiterPostgres({ ...options, storeClient: db.dataSource, storeType: 'typeorm', tableName: 'rate_limits', tableCreated: true });
  return new RLWrapperTimeouts({ limiter: shared, timeoutMs: SHARED_COUNTER_TIMEOUT_MS, insuranceLimiter: memory });
}

/** IPv6 clients usually hold a whole /64; counting each address apart would let one client rotate freely. */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((group) => group.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * Express middleware, so it runs before any guard, pipe or body parsing. Every request
 * counts against its client address (with a token or without, so floods of bad tokens are
 * held back too). A request whose token verifies also counts against its subject — never a
 * subject read from an unverified token, which anyone could forge to use up another
 * person's allowance. The access guard reuses the same verification.
 */
@Injectable()
export class RateLimiter {
  private readonly byAddress: SlidingWindowLimiter | undefined;
  private readonly bySubject: SlidingWindowLimiter | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(SQL_CLIENT) db: SqlClient,
    private readonly authenticator: Authenticator,
  ) {
    const perMinute = (limit: number, name: string) => (limit > 0 ? new SlidingWindowLimiter(rateLimitCounters(db, name), limit) : undefined);
    this.byAddress = perMinute(config.rateLimitPerAddressPerMinute, 'address');
    this.bySubject = perMinute(config.rateLimitPerMinute, 'subject');
  }

  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    this.check(request, response).then(() => next(), next);
  };

  private async check(request: Request, response: Response): Promise<void> {
    if (this.byAddress) refuseWhenOver(await this.byAddress.take(clientKey(request.ip)), response);
    if (this.bySubject) {
      const outcome = await this.authenticator.authenticate(request);
      if ('principal' in outcome) refuseWhenOver(await this.bySubject.take(outcome.principal.sub), response);
    }
  }
}

function refuseWhenOver(retryAfterSeconds: number, response: Response): void {
  if (retryAfterSeconds === 0) return;
  response.setHeader('Retry-After', String(retryAfterSeconds));
  throw new ApiError(429, 'rate-limited', `too many requests; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
}
