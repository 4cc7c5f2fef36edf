import { Inject, Injectable } from '@nestjs/common';
import { isIPv6 } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import type { AppConfig } from '../../../../libs/config/index.js';
import type { SqlClient } from '../../../../libs/database/index.js';
import { ApiError } from '../common/api-error.js';
import { APP_CONFIG, SQL_CLIENT } from '../common/tokens.js';
import { Authenticator } from './authenticator.js';
import { SharedAllowance } from './shared-allowance.js';
import { MemoryAllowance, SlidingWindowLimiter, type AllowanceStore } from './sliding-window.js';

/**
 * Where a limiter keeps its counters. On PostgreSQL: the `rate_limits` table, so N API
 * replicas allow the configured rate once, not N times (a replica may hold a claimed,
 * not yet used share of a key's allowance: see SlidingWindowLimiter); should the database
 * not answer within a second, this process counts on its own meanwhile rather than refuse
 * or hold every request. On SQLite (one embedded process): memory.
 */
export function rateLimitCounters(db: SqlClient | undefined, name: string): AllowanceStore {
  const memory = new MemoryAllowance();
  if (db?.dialect !== 'postgres') return memory;
  return new SharedAllowance(db, `rate:${name}`, memory);
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
 * Express middleware, so it runs before any guard, pipe or body parsing. Every request but
 * a `/health` probe counts against its client address (with a token or without, so floods of bad tokens are
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
    if (isProbe(request)) return next();
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

/**
 * A load balancer's health probes come from one address, often many times a second: they
 * are never counted nor refused (a 429 would take a healthy replica out of service).
 * Concurrent probes share one check of the dependencies (HealthController).
 */
function isProbe(request: Request): boolean {
  return request.path === '/health' || request.path === '/health/';
}

function refuseWhenOver(retryAfterSeconds: number, response: Response): void {
  if (retryAfterSeconds === 0) return;
  response.setHeader('Retry-After', String(retryAfterSeconds));
  throw new ApiError(429, 'rate-limited', `too many requests; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
}
