import type { SqlClient } from '../database/index.js';
import { EventStore, type StreamHead } from '../event-store/index.js';
import { verifyChain, type ChainVerification } from './verify-chain.js';
import type { Progress } from './progress.js';

export interface StreamVerification extends ChainVerification {
  readonly streamId: string;
}

/**
 * Recomputes the hash chain of streams from what the database holds now, without
 * trusting anything the application wrote about them except the events themselves and
 * each stream's head.
 */
export class IntegrityChecker {
  private readonly store: EventStore;

  constructor(private readonly db: SqlClient) {
    this.store = new EventStore(db);
  }

  /** Undefined when the stream has neither events nor a head: nothing was ever recorded. */
  async verifyStream(streamId: string): Promise<StreamVerification | undefined> {
    const [events, head] = await Promise.all([this.store.readStream(streamId), this.head(streamId)]);
    if (events.length === 0 && !head) return undefined;
    return { streamId, ...verifyChain(events, head) };
  }

  /** Every stream that has a head or an event, including one whose head row was removed. */
  async streamIds(prefix = ''): Promise<string[]> {
    const rows = await this.db.query<{ stream_id: string }>(
      `SELECT stream_id FROM streams WHERE version > 0 AND stream_id LIKE $1
       UNION SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE $1 ORDER BY stream_id`,
      [`${prefix}%`],
    );
    return rows.map((row) => row.stream_id);
  }

  async verifyAll(progress?: Progress): Promise<StreamVerification[]> {
    const ids = await this.streamIds();
    progress?.start(ids.length, 'streams');
    const results: StreamVerification[] = [];
    for (const streamId of ids) {
      const result = await this.verifyStream(streamId);
      if (result) results.push(result);
      progress?.tick();
    }
    progress?.done();
    return results;
  }

  async hashAt(streamId: string, version: number): Promise<string | undefined> {
    const [event] = await this.store.readStream(streamId, { fromVersion: version, toVersion: version });
    return event?.hash;
  }

  async head(streamId: string): Promise<StreamHead | undefined> {
    const [row] = await this.db.query<{ version: number | string; hash: string }>(
      `SELECT version, hash FROM streams WHERE stream_id = $1`,
      [streamId],
    );
    return row ? { streamId, version: Number(row.version), hash: row.hash } : undefined;
  }
}
