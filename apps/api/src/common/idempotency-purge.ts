import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../../../../libs/config/index.js';
import { IdempotencyService } from './idempotency.js';
import { APP_CONFIG } from './tokens.js';

const MIN_INTERVAL_MS = 1000;
const MAX_INTERVAL_MS = 3600_000;

/** A quarter of the retention window, between a second and an hour: a key outlives its window by at most that. */
export function purgeIntervalMs(retentionMs: number): number {
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, Math.floor(retentionMs / 4)));
}

/**
 * Every API process purges expired Idempotency-Keys now and then; several doing it at once
 * delete the same rows, which costs nothing. A purge that fails (the database is down) is
 * tried again at the next turn.
 */
@Injectable()
export class IdempotencyKeyPurge implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('idempotency');
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly idempotency: IdempotencyService,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'idempotencyKeyRetentionMs'>,
  ) {
    this.intervalMs = purgeIntervalMs(config.idempotencyKeyRetentionMs);
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.idempotency
        .purgeExpired()
        .catch((error: unknown) => this.logger.warn(`purging expired Idempotency-Keys failed; trying again in ${this.intervalMs} ms: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.schedule(this.intervalMs);
        });
    }, delayMs).unref();
  }
}
