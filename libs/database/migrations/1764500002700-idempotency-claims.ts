import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An Idempotency-Key still being worked on is held by one request at a time, whichever API
 * process it reached: `claimed_by` names the request's claim, `claimed_until` (milliseconds
 * since the epoch) is when a claim whose holder never finished (its process died) may be
 * taken over. A key with a response is finished and no longer claimed.
 */
export class IdempotencyClaims1764500002700 implements MigrationInterface {
  name = 'IdempotencyClaims1764500002700';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    await runner.query(`ALTER TABLE idempotency_keys ADD COLUMN claimed_by VARCHAR(64)`);
    await runner.query(`ALTER TABLE idempotency_keys ADD COLUMN claimed_until ${postgres ? 'BIGINT' : 'INTEGER'}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE idempotency_keys DROP COLUMN claimed_until`);
    await runner.query(`ALTER TABLE idempotency_keys DROP COLUMN claimed_by`);
  }
}
