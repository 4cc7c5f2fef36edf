import pg from 'pg';
import type { SqlClient } from '../../libs/database/index.js';
import { hashEvent, rowToEvent } from '../../libs/event-store/index.js';
import { uniqueSuffix } from './databases.js';
import { testDatabaseUrl } from './env.js';

/**
 * Someone with direct database access, working behind the application's back: lifts the
 * append-only protection and edits events with raw SQL. Only ever pointed at a database
 * the test made for itself (a throwaway PostgreSQL database or a fresh SQLite file).
 */
export class Tamperer {
  constructor(private readonly db: SqlClient) {}

  async liftProtection(): Promise<void> {
    if (this.db.dialect === 'postgres') {
      await this.db.query('ALTER TABLE events DISABLE TRIGGER USER');
    } else {
      await this.db.query('DROP TRIGGER IF EXISTS events_no_update');
      await this.db.query('DROP TRIGGER IF EXISTS events_no_delete');
    }
  }

  async changePayload(streamId: string, version: number, data: unknown): Promise<void> {
    await this.db.query(`UPDATE events SET data = $1 WHERE stream_id = $2 AND version = $3`, [JSON.stringify(data), streamId, version]);
  }

  async deleteEvent(streamId: string, version: number): Promise<void> {
    await this.db.query(`DELETE FROM events WHERE stream_id = $1 AND version = $2`, [streamId, version]);
  }

  /** The two rows trade places in the stream; each keeps its content and hashes. */
  async swapEvents(streamId: string, first: number, second: number): Promise<void> {
    await this.db.query(`UPDATE events SET version = $1 WHERE stream_id = $2 AND version = $3`, [-first, streamId, first]);
    await this.db.query(`UPDATE events SET version = $1 WHERE stream_id = $2 AND version = $3`, [first, streamId, second]);
    await this.db.query(`UPDATE events SET version = $1 WHERE stream_id = $2 AND version = $3`, [second, streamId, -first]);
  }

  /** A careful forger: changes the payload and recomputes that event's hash, so it is self-consistent. */
  async rewriteAndRehash(streamId: string, version: number, data: unknown): Promise<void> {
    const [row] = await this.db.query<Parameters<typeof rowToEvent>[0]>(
      `SELECT position, event_id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash
       FROM events WHERE stream_id = $1 AND version = $2`,
      [streamId, version],
    );
    const event = { ...rowToEvent(row), data };
    await this.db.query(`UPDATE events SET data = $1, hash = $2 WHERE stream_id = $3 AND version = $4`, [
      JSON.stringify(data),
      hashEvent(event.prevHash, event),
      streamId,
      version,
    ]);
  }
}

/** A PostgreSQL database of its own on the run's server, so lifting triggers touches nobody else. */
export class ThrowawayPostgres {
  private constructor(
    readonly url: string,
    private readonly adminUrl: string,
    private readonly name: string,
  ) {}

  static async create(): Promise<ThrowawayPostgres> {
    const admin = new URL(testDatabaseUrl());
    admin.pathname = '/postgres';
    const name = `ssc_audit_tamper_${uniqueSuffix().toLowerCase()}`;
    await withClient(admin.toString(), (client) => client.query(`CREATE DATABASE "${name}"`));
    const url = new URL(admin.toString());
    url.pathname = `/${name}`;
    return new ThrowawayPostgres(url.toString(), admin.toString(), name);
  }

  async drop(): Promise<void> {
    await withClient(this.adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`));
  }
}

/** Runs `work` with TEST_DATABASE_URL pointing elsewhere, for helpers that read it (startStack). */
export async function withTestDatabaseUrl<T>(url: string, work: () => Promise<T>): Promise<T> {
  const saved = process.env.TEST_DATABASE_URL;
  process.env.TEST_DATABASE_URL = url;
  try {
    return await work();
  } finally {
    process.env.TEST_DATABASE_URL = saved;
  }
}

async function withClient<T>(connectionString: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
