import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What operations staff are shown as stuck, one row per department and reason, so the
 * list is an indexed read oldest-first instead of a look at every workflow; and the lease
 * that lets one worker at a time sweep Temporal for failing activities and workflow tasks.
 */
export class StuckOnboardings1764500000016 implements MigrationInterface {
  name = 'StuckOnboardings1764500000016';

  async up(runner: QueryRunner): Promise<void> {
    // `since` is an ISO instant in UTC (toISOString), so text order is time order.
    await runner.query(`CREATE TABLE stuck_onboardings (
      code VARCHAR(20) NOT NULL,
      reason VARCHAR(40) NOT NULL,
      since VARCHAR(40) NOT NULL,
      detail TEXT NOT NULL,
      observed_at VARCHAR(40) NOT NULL,
      PRIMARY KEY (code, reason)
    )`);
    await runner.query(`CREATE INDEX stuck_onboardings_since ON stuck_onboardings (since, code)`);
    await runner.query(`CREATE INDEX stuck_onboardings_reason_since ON stuck_onboardings (reason, since)`);
    await runner.query(`CREATE TABLE operations_sweeps (
      name VARCHAR(300) PRIMARY KEY,
      holder VARCHAR(300) NOT NULL,
      lease_until VARCHAR(40) NOT NULL,
      swept_at VARCHAR(40)
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE operations_sweeps`);
    await runner.query(`DROP TABLE stuck_onboardings`);
  }
}
