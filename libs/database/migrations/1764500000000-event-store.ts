import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The append-only event log and the per-stream heads that serialise writers of one stream. */
export class EventStore1764500000000 implements MigrationInterface {
  name = 'EventStore1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    const position = postgres ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    await runner.query(`CREATE TABLE events (
      position ${position},
      event_id VARCHAR(100) NOT NULL UNIQUE,
      stream_id VARCHAR(200) NOT NULL,
      version INTEGER NOT NULL,
      type VARCHAR(100) NOT NULL,
      data TEXT NOT NULL,
      metadata TEXT NOT NULL,
      recorded_at VARCHAR(40) NOT NULL,
      prev_hash CHAR(64) NOT NULL,
      hash CHAR(64) NOT NULL,
      CONSTRAINT events_stream_version UNIQUE (stream_id, version)
    )`);
    await runner.query(`CREATE INDEX events_recorded_at ON events (stream_id, recorded_at)`);
    await runner.query(`CREATE TABLE streams (
      stream_id VARCHAR(200) PRIMARY KEY,
      version INTEGER NOT NULL,
      hash CHAR(64) NOT NULL,
      last_position ${postgres ? 'BIGINT' : 'INTEGER'} NOT NULL DEFAULT 0
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE streams`);
    await runner.query(`DROP TABLE events`);
  }
}
