import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { SqlClient } from '../../../../libs/database/index.js';
import { canonicalJson } from '../../../../libs/event-store/index.js';
import { ApiError } from './api-error.js';
import { SQL_CLIENT } from './tokens.js';

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
 * `Idempotency-Key`: the same key and body return the first result and run nothing; the
 * same key with another body is a 409. A failed command frees its key for a retry.
 */
@Injectable()
export class IdempotencyService {
  constructor(@Inject(SQL_CLIENT) private readonly db: SqlClient) {}

  async run<T>(call: IdempotentCall<T>): Promise<IdempotentResult<T>> {
    if (call.key === undefined) return { value: await call.run(undefined), replayed: false };
    if (!KEY_PATTERN.test(call.key)) {
      throw new ApiError(400, 'invalid-idempotency-key', 'Idempotency-Key must be 1-200 letters, digits or - _ : .');
    }
    const fingerprint = createHash('sha256').update(canonicalJson(call.body ?? null)).digest('hex');
    // A new key (the usual case) is claimed in one statement; only a key already there is read.
    if (!(await this.claim(call.scope, call.key, fingerprint))) {
      const existing = await this.find(call.scope, call.key);
      if (existing && existing.fingerprint !== fingerprint) {
        throw new ApiError(409, 'idempotency-key-reused', 'this Idempotency-Key was used with a different request');
      }
      if (existing?.response) return { value: JSON.parse(existing.response) as T, replayed: true };
    }
    const dedupeId = commandIdFor(call.scope, call.key);
    let value: T;
    try {
      value = await call.run(dedupeId);
    } catch (error) {
      await this.db.query(
        `DELETE FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2 AND response IS NULL`,
        [call.scope, call.key],
      );
      throw error;
    }
    await this.db.query(`UPDATE idempotency_keys SET response = $1, status_code = $2 WHERE scope = $3 AND idempotency_key = $4`, [
      JSON.stringify(value),
      200,
      call.scope,
      call.key,
    ]);
    return { value, replayed: false };
  }

  /** True when this call stored the key; false when it was there already. */
  private async claim(scope: string, key: string, fingerprint: string): Promise<boolean> {
    const inserted = await this.db.query(
      `INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (scope, idempotency_key) DO NOTHING RETURNING fingerprint`,
      [scope, key, fingerprint, new Date().toISOString()],
    );
    return inserted.length === 1;
  }

  private async find(scope: string, key: string) {
    const [row] = await this.db.query<{ fingerprint: string; response: string | null }>(
      `SELECT fingerprint, response FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2`,
      [scope, key],
    );
    return row;
  }
}
