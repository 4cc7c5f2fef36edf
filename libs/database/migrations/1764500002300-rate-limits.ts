import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The API's rate-limit counters on PostgreSQL, so that every API replica draws on one
 * budget per client address and per token subject. The shape is the one
 * rate-limiter-flexible's RateLimiterPostgres reads and writes (a counter per key and
 * window, with its expiry in epoch milliseconds); created here rather than by the library
 * at start-up, so the schema has one owner. SQLite (one embedded process) counts in memory.
 */
export class RateLimits1764500002300 implements MigrationInterface {
  name = 'RateLimits1764500002300';

  async up(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type !== 'postgres') return;
    await runner.query(`CREATE TABLE rate_limits (
      key VARCHAR(255) PRIMARY KEY,
      points INTEGER NOT NULL DEFAULT 0,
      expire BIGINT
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type !== 'postgres') return;
    await runner.query(`DROP TABLE rate_limits`);
  }
}
