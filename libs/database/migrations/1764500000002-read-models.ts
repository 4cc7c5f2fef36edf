import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models answered by the API, the idempotency record of commands, projection checkpoints. */
export class ReadModels1764500000002 implements MigrationInterface {
  name = 'ReadModels1764500000002';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    const bool = postgres ? 'BOOLEAN' : 'INTEGER';
    await runner.query(`CREATE TABLE departments (
      code VARCHAR(20) PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      centre VARCHAR(100) NOT NULL,
      stage VARCHAR(20) NOT NULL,
      paused ${bool} NOT NULL,
      overdue ${bool} NOT NULL,
      lead VARCHAR(200),
      planned_go_live VARCHAR(10) NOT NULL,
      actual_go_live VARCHAR(40),
      stage_entered_at VARCHAR(40) NOT NULL,
      stage_deadline_at VARCHAR(40),
      version INTEGER NOT NULL,
      state TEXT NOT NULL,
      updated_at VARCHAR(40) NOT NULL
    )`);
    await runner.query(`CREATE INDEX departments_stage ON departments (stage)`);
    await runner.query(`CREATE INDEX departments_centre ON departments (centre)`);
    await runner.query(`CREATE INDEX departments_overdue ON departments (overdue)`);
    await runner.query(`CREATE TABLE lessons (
      id VARCHAR(100) PRIMARY KEY,
      title VARCHAR(300) NOT NULL,
      body TEXT NOT NULL,
      tags TEXT NOT NULL,
      centre VARCHAR(100),
      mandatory ${bool} NOT NULL,
      source_department VARCHAR(20) NOT NULL,
      recorded_at VARCHAR(40) NOT NULL
    )`);
    await runner.query(`CREATE INDEX lessons_centre ON lessons (centre)`);
    await runner.query(`CREATE TABLE idempotency_keys (
      scope VARCHAR(300) NOT NULL,
      idempotency_key VARCHAR(200) NOT NULL,
      fingerprint CHAR(64) NOT NULL,
      status_code INTEGER,
      response TEXT,
      created_at VARCHAR(40) NOT NULL,
      PRIMARY KEY (scope, idempotency_key)
    )`);
    await runner.query(`CREATE TABLE projection_checkpoints (
      projection VARCHAR(100) PRIMARY KEY,
      position ${postgres ? 'BIGINT' : 'INTEGER'} NOT NULL,
      updated_at VARCHAR(40) NOT NULL
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['projection_checkpoints', 'idempotency_keys', 'lessons', 'departments']) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
