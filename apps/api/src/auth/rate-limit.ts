import { Inject, Injectable } from '@nestjs/common';
import { isIPv6 } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import type { AppConfig } from '../../../../libs/config/index.js';
import { ApiError } from '../common/api-error.js';
import { APP_CONFIG } from '../common/tokens.js';
import { Authenticator } from './authenticator.js';

const WINDOW_MS = 60_000;

/**
 * A sliding one-minute window per key, estimated from this minute's count and the last
 * one's (two numbers a key, however busy): a burst at a window's edge cannot double the rate.
 */
export class SlidingWindowLimiter {
  private readonly windows = new Map<string, { start: number; current: number; previous: number }>();
  private lastSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs = WINDOW_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Counts one request; the seconds to wait when it is over the limit, otherwise 0. */
  take(key: string): number {
    const now = this.clock();
    this.sweep(now);
    const start = now - (now % this.windowMs);
    let window = this.windows.get(key);
    if (!window || window.start < start - this.windowMs) window = { start, current: 0, previous: 0 };
    else if (window.start < start) window = { start, current: 0, previous: window.current };
    this.windows.set(key, window);
    const elapsed = (now - start) / this.windowMs;
    const estimate = window.previous * (1 - elapsed) + window.current;
    if (estimate >= this.limit) return this.retryAfterSeconds(window, now - start);
    window.current += 1;
    return 0;
  }

  /** Until the last window's weight has decayed enough, or, when this window is full, until the next. */
  private retryAfterSeconds(window: { current: number; previous: number }, elapsedMs: number): number {
    const freeAt = window.current < this.limit && window.previous > 0 ? 1 - (this.limit - window.current) / window.previous : 1;
    // The estimate must fall below the limit, not reach it: one millisecond past the point.
    return Math.max(1, Math.ceil((freeAt * this.windowMs - elapsedMs + 1) / 1000));
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (window.start < now - 2 * this.windowMs) this.windows.delete(key);
  }
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
    private readonly authenticator: Authenticator,
  ) {
    this.byAddress = config.rateLimitPerAddressPerMinute > 0 ? new SlidingWindowLimiter(config.rateLimitPerAddressPerMinute) : undefined;
    this.bySubject = config.rateLimitPerMinute > 0 ? new SlidingWindowLimiter(config.rateLimitPerMinute) : undefined;
  }

  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    this.check(request, response).then(() => next(), next);
  };

  private async check(request: Request, response: Response): Promise<void> {
    if (this.byAddress) refuseWhenOver(this.byAddress.take(clientKey(request.ip)), response);
    if (this.bySubject) {
      const outcome = await this.authenticator.authenticate(request);
      if ('principal' in outcome) refuseWhenOver(this.bySubject.take(outcome.principal.sub), response);
    }
  }
}

function refuseWhenOver(retryAfterSeconds: number, response: Response): void {
  if (retryAfterSeconds === 0) return;
  response.setHeader('Retry-After', String(retryAfterSeconds));
  throw new ApiError(429, 'rate-limited', `too many requests; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
}
