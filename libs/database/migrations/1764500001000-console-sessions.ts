import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The console's sessions, kept in the product's own database so they survive a restart
 * and every API process behind one address sees the same sign-ins.
 */
export class ConsoleSessions1764500001000 implements MigrationInterface {
  name = 'ConsoleSessions1764500001000';

  async up(runner: QueryRunner): Promise<void> {
    // `expires_at` is an ISO instant in UTC (toISOString), so text order is time order.
    await runner.query(`CREATE TABLE console_sessions (
      sid VARCHAR(200) PRIMARY KEY,
      data TEXT NOT NULL,
      expires_at VARCHAR(40) NOT NULL
    )`);
    await runner.query(`CREATE INDEX console_sessions_expires_at ON console_sessions (expires_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE console_sessions`);
  }
}
