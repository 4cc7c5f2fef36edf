import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../../../libs/config/index.js';
import type { SqlClient } from '../../../../libs/database/index.js';
import { canonicalJson } from '../../../../libs/event-store/index.js';
import { ApiError } from './api-error.js';
import { APP_CONFIG, SQL_CLIENT } from './tokens.js';

export interface IdempotentCall<T> {
  /** Who and where: the same key from another caller or route is another command. */
  readonly scope: string;
  readonly key: string | undefined;
  readonly body: unknown;
  /** Receives a stable id derived from the key, to deduplicate the command downstream as well. */
  readonly run: (dedupeId: string | undefined) => Promise<T>;
}

export interface IdempotentResult<T> {
  readonly value: T;
  readonly replayed: boolean;
}

/** The id a keyed command carries downstream: its Update id and its events' `commandId`. */
export function commandIdFor(scope: string, key: string): string {
  return createHash('sha256').update(`${scope}\n${key}`).digest('hex').slice(0, 40);
}

const KEY_PATTERN = /^[A-Za-z0-9_\-:.]{1,200}$/;

/**
 * A claim outlives the longest a holder can be busy: its request answers within
 * COMMAND_TIMEOUT_MS and the Update behind it is held to the same bound. Past that the
 * holder is gone (its process died) or only finishing work the command id makes safe to
 * run again, so another copy may take the key over.
 */
const LEASE_MARGIN_MS = 5_000;
/** A copy that finds its key claimed looks again after this long, doubling up to the cap. */
const FIRST_LOOK_MS = 20;
const LOOK_CAP_MS = 250;

interface KeyRow {
  readonly fingerprint: string;
  readonly response: string | null;
  readonly claimed_until: number | string | null;
}

/**
 * `Idempotency-Key`: the same key and body return the first result and run nothing; the
 * same key with another body is a 409. A failed command frees its key for a retry.
 *
 * One copy of a command runs at a time, whichever API process each copy reached: the key
 * is claimed by one INSERT, and a copy that finds it claimed waits for the first result and
 * returns it (replayed). A copy that has waited most of COMMAND_TIMEOUT_MS is answered 503
 * `idempotency-key-in-progress`, to be sent again. When the holder fails, its key is freed
 * and a waiting copy runs the command itself; when the holder's process died, its claim
 * lapses after COMMAND_TIMEOUT_MS plus a margin and a copy takes it over.
 *
 * A key is kept for IDEMPOTENCY_KEY_RETENTION after its first use, then purged. A command sent
 * again later is still one command: the key is also its id, which the events carry.
 */
@Injectable()
export class IdempotencyService {
  private readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly retentionMs: number;

  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'commandTimeoutMs' | 'idempotencyKeyRetentionMs'>,
  ) {
    this.leaseMs = config.commandTimeoutMs + LEASE_MARGIN_MS;
    this.retentionMs = config.idempotencyKeyRetentionMs;
    // Answered before the request's own deadline (503 request-timeout) would cut in.
    this.waitMs = Math.floor(config.commandTimeoutMs * 0.8);
  }

  async run<T>(call: IdempotentCall<T>): Promise<IdempotentResult<T>> {
    if (call.key === undefined) return { value: await call.run(undefined), replayed: false };
    if (!KEY_PATTERN.test(call.key)) {
      throw new ApiError(400, 'invalid-idempotency-key', 'Idempotency-Key must be 1-200 letters, digits or - _ : .');
    }
    const { scope, key } = call;
    const fingerprint = createHash('sha256').update(canonicalJson(call.body ?? null)).digest('hex');
    const giveUpAt = Date.now() + this.waitMs;
    for (let look = FIRST_LOOK_MS; ; look = Math.min(look * 2, LOOK_CAP_MS)) {
      // A new key (the usual case) is claimed in one statement; only a key already there is read.
      const claim = await this.claim(scope, key, fingerprint);
      if (claim) return { value: await this.runClaimed(call.run, scope, key, claim), replayed: false };
      const existing = await this.find(scope, key);
      if (!existing) continue; // its holder failed and freed it just now: claim it
      if (existing.fingerprint !== fingerprint) {
        throw new ApiError(409, 'idempotency-key-reused', 'this Idempotency-Key was used with a different request');
      }
      if (existing.response !== null) return { value: JSON.parse(existing.response) as T, replayed: true };
      const lapsed = await this.takeOverLapsed(scope, key, existing);
      if (lapsed) return { value: await this.runClaimed(call.run, scope, key, lapsed), replayed: false };
      if (Date.now() + look > giveUpAt) {
        throw new ApiError(503, 'idempotency-key-in-progress', 'a request with this Idempotency-Key is still being processed; send it again shortly for its result', {
          idempotencyKey: key,
        });
      }
      await sleep(look);
    }
  }

  /**
   * Deletes the keys first used longer than the retention window ago; a key still claimed by
   * a copy that is running is left to it, however old.
   */
  async purgeExpired(now = Date.now()): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_keys WHERE created_at < $1 AND (claimed_until IS NULL OR claimed_until < $2)`, [
      new Date(now - this.retentionMs).toISOString(),
      now,
    ]);
  }

  private async runClaimed<T>(run: IdempotentCall<T>['run'], scope: string, key: string, claim: string): Promise<T> {
    let value: T;
    try {
      value = await run(commandIdFor(scope, key));
    } catch (error) {
      // Only this claim: a holder whose claim lapsed and was taken over must not free the new one.
      await this.db.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2 AND claimed_by = $3 AND response IS NULL`, [
        scope,
        key,
        claim,
      ]);
      throw error;
    }
    // The first result is kept: a holder that lost its claim and finished late answers its own caller only.
    await this.db.query(
      `UPDATE idempotency_keys SET response = $1, status_code = $2, claimed_by = NULL, claimed_until = NULL
       WHERE scope = $3 AND idempotency_key = $4 AND response IS NULL`,
      [JSON.stringify(value), 200, scope, key],
    );
    return value;
  }

  /** The new claim's id when this call stored the key; undefined when it was there already. */
  private async claim(scope: string, key: string, fingerprint: string): Promise<string | undefined> {
    const claim = randomUUID();
    const inserted = await this.db.query(
      `INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, created_at, claimed_by, claimed_until) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (scope, idempotency_key) DO NOTHING RETURNING fingerprint`,
      [scope, key, fingerprint, new Date().toISOString(), claim, Date.now() + this.leaseMs],
    );
    return inserted.length === 1 ? claim : undefined;
  }

  /**
   * Takes over a claim whose lease ran out (or that an older version left without one), as
   * one compare-and-set on the lease it read: of several copies that saw it lapse, one wins,
   * and reads its own claim back (TypeORM answers UPDATE … RETURNING differently per driver).
   */
  private async takeOverLapsed(scope: string, key: string, existing: KeyRow): Promise<string | undefined> {
    const until = existing.claimed_until === null ? null : Number(existing.claimed_until);
    if (until !== null && until > Date.now()) return undefined;
    const claim = randomUUID();
    await this.db.query(
      `UPDATE idempotency_keys SET claimed_by = $1, claimed_until = $2
       WHERE scope = $3 AND idempotency_key = $4 AND response IS NULL AND ${until === null ? 'claimed_until IS NULL' : 'claimed_until = $5'}`,
      [claim, Date.now() + this.leaseMs, scope, key, ...(until === null ? [] : [until])],
    );
    const [row] = await this.db.query<{ claimed_by: string | null }>(
      `SELECT claimed_by FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2`,
      [scope, key],
    );
    return row?.claimed_by === claim ? claim : undefined;
  }

  private async find(scope: string, key: string): Promise<KeyRow | undefined> {
    const [row] = await this.db.query<KeyRow>(
      `SELECT fingerprint, response, claimed_until FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2`,
      [scope, key],
    );
    return row;
  }
}
