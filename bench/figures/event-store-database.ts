import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient } from '../../libs/database/index.js';
import type { NewEvent, StoredEvent } from '../../libs/event-store/index.js';
import type { BenchEnvironment } from '../environment.js';

/**
 * The bench's own PostgreSQL database (the one the API uses), opened again for the event
 * store figures, with a plain copy of the events table: same columns, keys and indexes,
 * no hash chain, no stream heads, no append-only triggers.
 */
export async function openEventStoreBench(env: BenchEnvironment): Promise<{ db: SqlClient; rawTable: string; close(): Promise<void> }> {
  if (!env.config.databaseUrl) throw new Error('the event store figures need PostgreSQL (DATABASE_URL)');
  const db = await openDatabase({ postgresUrl: env.config.databaseUrl });
  const rawTable = `bench_raw_events_${randomUUID().slice(0, 8)}`;
  await db.query(`CREATE TABLE ${rawTable} (
    position BIGSERIAL PRIMARY KEY,
    event_id VARCHAR(100) NOT NULL UNIQUE,
    stream_id VARCHAR(200) NOT NULL,
    version INTEGER NOT NULL,
    type VARCHAR(100) NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    recorded_at VARCHAR(40) NOT NULL,
    prev_hash CHAR(64) NOT NULL,
    hash CHAR(64) NOT NULL,
    CONSTRAINT ${rawTable}_stream_version UNIQUE (stream_id, version)
  )`);
  await db.query(`CREATE INDEX ${rawTable}_recorded_at ON ${rawTable} (stream_id, recorded_at)`);
  return {
    db,
    rawTable,
    async close() {
      await db.query(`DROP TABLE IF EXISTS ${rawTable}`);
      await db.close();
    },
  };
}

/** An event the size of a real one (a recorded baseline with its metadata). */
export function benchEvent(index: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'BaselineRecorded',
    data: { annualCostPence: 125_000_050 + index, implementationCostPence: 30_000_000, headcountServed: 4200, at: new Date().toISOString() },
    metadata: { actor: { sub: 'bench-lead', role: 'lead' }, requestId: randomUUID(), correlationId: randomUUID(), workflowId: 'onboarding-BENCH', runId: randomUUID() },
    recordedAt: new Date().toISOString(),
  };
}

/** The very row the event store stored, inserted into the plain table: one autocommitted INSERT. */
export function rawInsert(db: SqlClient, table: string, event: StoredEvent): Promise<unknown> {
  return db.query(
    `INSERT INTO ${table} (event_id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [event.eventId, event.streamId, event.version, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), event.recordedAt, event.prevHash, event.hash],
  );
}
