import pg from 'pg';

/**
 * A second PostgreSQL connection that holds the events table locked inside a transaction,
 * so appends (and, in ACCESS EXCLUSIVE mode, reads) wait mid-flight until `release()`.
 */
export class EventsTableLock {
  private constructor(private readonly client: pg.Client) {}

  static async connect(databaseUrl: string): Promise<EventsTableLock> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    return new EventsTableLock(client);
  }

  /** SHARE holds writers only; ACCESS EXCLUSIVE holds every reader too. */
  async lock(mode: 'SHARE' | 'ACCESS EXCLUSIVE' = 'ACCESS EXCLUSIVE'): Promise<void> {
    await this.client.query('BEGIN');
    await this.client.query(`LOCK TABLE events IN ${mode} MODE`);
  }

  /** Connections of this database waiting for a lock, such as appends held up by `lock()`. */
  async waiting(): Promise<number> {
    const { rows } = await this.client.query<{ waiting: string }>(
      `SELECT COUNT(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    return Number(rows[0].waiting);
  }

  async release(): Promise<void> {
    await this.client.query('ROLLBACK');
  }

  /** Releases whatever is still held (a failed test), then disconnects. */
  async close(): Promise<void> {
    await this.client.query('ROLLBACK').catch(() => undefined);
    await this.client.end();
  }
}
