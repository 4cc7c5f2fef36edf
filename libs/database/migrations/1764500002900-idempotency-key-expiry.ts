import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Keys are purged once older than IDEMPOTENCY_KEY_RETENTION: the purge finds
 * them by `created_at` (ISO 8601 text in UTC, which sorts as time does) without reading
 * every key.
 */
export class IdempotencyKeyExpiry1764500002900 implements MigrationInterface {
  name = 'IdempotencyKeyExpiry1764500002900';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX idempotency_keys_created_at`);
  }
}
