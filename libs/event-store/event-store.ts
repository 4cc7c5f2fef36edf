import type { SqlClient, SqlExecutor } from '../database/index.js';
import { canonicalJson } from './canonical-json.js';
import { ISSUED_ID_PATTERN } from './command-event-id.js';
import { StreamVersionConflict } from './errors.js';
import { GENESIS_HASH, canonicalEventJson, hashEvent } from './hash-chain.js';
import { DEFAULT_STREAM_MEMORY, StreamMemory, type Remembered, type StreamMemoryLimits } from './stream-memory.js';
import type { NewEvent, StoredEvent, StreamHead } from './types.js';

interface EventRow {
  position: number | string;
  event_id: string;
  stream_id: string;
  version: number | string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

const EVENT_COLUMNS = 'position, event_id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash';

export function rowToEvent(row: EventRow): StoredEvent {
  return {
    position: Number(row.position),
    eventId: row.event_id,
    streamId: row.stream_id,
    version: Number(row.version),
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** An event about to be appended, numbered as it will be stored. */
export interface PendingEvent extends NewEvent {
  readonly streamId: string;
  readonly version: number;
}

/** A call of a PostgreSQL projection function (`project_*`) with the argument the application prepared. */
export interface StatementPlan {
  readonly fn: string;
  readonly args: unknown;
  /**
   * What the projection writes for the stream, as it would read it back: once the
   * statement commits, the store keeps it and offers it to the projection for the next
   * append to that stream at the version this one leaves, in place of a read.
   */
  readonly remember?: string;
}

/**
 * Runs inside the append transaction, so a read model never disagrees with the log.
 *
 * `inStatement` (optional, PostgreSQL) prepares the same projection as one function call
 * made by the append's own statement, from what it reads before the append (no lock), or
 * from `remembered`, what its own previous statement on this stream wrote (its `remember`),
 * when the stream is still at the version that statement left. Either may be stale: the
 * function must refuse with SQLSTATE SV412 when what it was prepared from is no longer
 * there, and the store then asks again without `remembered`. It answers null when these
 * events are none of its business, `transaction` when they must be projected in a
 * transaction after all.
 */
export type InlineProjection = ((tx: SqlExecutor, appended: readonly StoredEvent[]) => Promise<void>) & {
  readonly inStatement?: (
    db: SqlExecutor,
    pending: readonly PendingEvent[],
    remembered?: string,
  ) => Promise<StatementPlan | null | 'transaction'>;
};

export interface AppendResult {
  readonly events: readonly StoredEvent[];
  /** True when these event ids were already stored: a retried append that wrote nothing. */
  readonly duplicate: boolean;
}

export interface ReadStreamOptions {
  readonly fromVersion?: number;
  readonly toVersion?: number;
  readonly limit?: number;
}

export interface EventStoreOptions {
  /**
   * `database` (PostgreSQL only, the default there): one call to the `append_events`
   * function does the whole append. `application`: the statements are sent one by one
   * (SQLite always; kept on PostgreSQL for comparison).
   */
  readonly appendPath?: 'database' | 'application';
  /**
   * How much the store remembers of what its statement path last wrote per stream, so the
   * next append to the stream need not read it back (PostgreSQL). DEFAULT_STREAM_MEMORY
   * unless given; `{ maxStreams: 0, … }` reads before every append.
   */
  readonly memory?: StreamMemoryLimits;
}

/** Whether what is stored under the requested ids is the requested events, as a retry would find them. */
function sameEvents(streamId: string, stored: readonly StoredEvent[], requested: readonly NewEvent[]): boolean {
  const byId = new Map(stored.map((event) => [event.eventId, event]));
  return (
    stored.length === requested.length &&
    requested.every((event) => {
      const found = byId.get(event.eventId);
      return (
        found !== undefined &&
        found.streamId === streamId &&
        found.type === event.type &&
        found.recordedAt === event.recordedAt &&
        canonicalJson(found.data) === canonicalJson(event.data)
      );
    })
  );
}

/** Raised by append_events when the expected version is stale; DETAIL holds the head's version. */
const VERSION_CONFLICT_SQLSTATE = 'SV409';
/** Raised by a projection function when the read model changed after the application read it. */
const READ_MODEL_MOVED_SQLSTATE = 'SV412';
/** Reads taken again when a read model keeps moving under the append, before the transaction path takes over. */
const STATEMENT_ATTEMPTS = 3;

/**
 * Append-only, hash-chained event log. Writers of one stream are serialised by a row
 * lock on that stream's head (PostgreSQL), so appends to different streams do not
 * wait for each other.
 */
export class EventStore {
  private readonly appendInDatabase: boolean;
  private readonly memory: StreamMemory;

  constructor(
    private readonly db: SqlClient,
    private readonly projections: readonly InlineProjection[] = [],
    options: EventStoreOptions = {},
  ) {
    this.appendInDatabase = db.dialect === 'postgres' && options.appendPath !== 'application';
    this.memory = new StreamMemory(options.memory ?? DEFAULT_STREAM_MEMORY);
  }

  /**
   * Appends `events` if the stream is at `expectedVersion`. A retry of an append that went
   * through (the same event ids) stores nothing and returns what the first attempt stored;
   * other events that merely reuse those ids (a workflow deciding another command on a
   * state behind its stream draws the same ids again) are a version conflict.
   */
  async append(streamId: string, expectedVersion: number, events: readonly NewEvent[]): Promise<AppendResult> {
    if (events.length === 0) return { events: [], duplicate: false };
    const result = await this.appendOrFind(streamId, expectedVersion, events);
    if (result.duplicate && !sameEvents(streamId, result.events, events)) {
      throw new StreamVersionConflict(streamId, expectedVersion, await this.streamVersion(streamId));
    }
    return result;
  }

  private async appendOrFind(streamId: string, expectedVersion: number, events: readonly NewEvent[]): Promise<AppendResult> {
    if (this.appendInDatabase) return this.appendThroughFunction(streamId, expectedVersion, events);
    return this.db.transaction(async (tx) => {
      const head = await this.lockHead(tx, streamId);
      const already = await this.findByEventIds(tx, events.map((event) => event.eventId));
      if (already.length > 0) return { events: already, duplicate: true };
      if (head.version !== expectedVersion) {
        throw new StreamVersionConflict(streamId, expectedVersion, head.version);
      }
      const appended = await this.insertChained(tx, head, events);
      for (const project of this.projections) await project(tx, appended);
      return { events: appended, duplicate: false };
    });
  }

  /**
   * One statement does the append; without inline projections it is a single round trip.
   * With them, when every projection can run in the statement (see InlineProjection), it is
   * one read and one statement, or the statement alone when the store remembers what its
   * last statement on this stream wrote (a stale memory is refused by the statement, and
   * the read is made after all); otherwise the read models are written after the append
   * in the same transaction.
   */
  private async appendThroughFunction(streamId: string, expectedVersion: number, events: readonly NewEvent[]): Promise<AppendResult> {
    const params = [
      streamId,
      expectedVersion,
      events.map((event) => event.eventId),
      events.map((event) => event.type),
      events.map((event) => JSON.stringify(event.data)),
      events.map((event) => JSON.stringify(event.metadata)),
      events.map((event) => event.recordedAt),
      events.map((event, index) => canonicalEventJson({ ...event, streamId, version: expectedVersion + index + 1 })),
    ];
    const call = async (tx: SqlExecutor): Promise<AppendResult> => {
      let rows: (EventRow & { duplicate: boolean })[];
      try {
        rows = await tx.query(`SELECT * FROM append_events($1, $2, $3, $4, $5, $6, $7, $8)`, params);
      } catch (error) {
        throw asVersionConflict(error, streamId, expectedVersion) ?? error;
      }
      const stored = rows.map(rowToEvent);
      const duplicate = rows.some((row) => row.duplicate);
      if (!duplicate) for (const project of this.projections) await project(tx, stored);
      return { events: stored, duplicate };
    };
    if (this.projections.length === 0) return call(this.db);
    const pending = events.map((event, index) => ({ ...event, streamId, version: expectedVersion + index + 1 }));
    // Taken out, not just read: a concurrent append to the stream reads instead, and only a commit puts it back.
    const taken = this.memory.take(streamId);
    let remembered = taken?.version === expectedVersion ? taken : undefined;
    for (let attempt = 1; attempt <= STATEMENT_ATTEMPTS; attempt += 1) {
      const planned = await this.statementPlan(pending, remembered);
      if (planned === 'transaction') break;
      const { plan, owner } = planned;
      try {
        const rows = await this.db.query<EventRow & { duplicate: boolean }>(
          plan === null
            ? `SELECT * FROM append_events($1, $2, $3, $4, $5, $6, $7, $8)`
            : `SELECT * FROM append_events_projected($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          plan === null ? params : [...params, plan.fn, JSON.stringify(plan.args)],
        );
        const duplicate = rows.some((row) => row.duplicate);
        if (!duplicate && plan?.remember !== undefined) {
          this.memory.put(streamId, { owner, version: expectedVersion + events.length, text: plan.remember });
        }
        return { events: rows.map(rowToEvent), duplicate };
      } catch (error) {
        if (sqlState(error) !== READ_MODEL_MOVED_SQLSTATE) throw asVersionConflict(error, streamId, expectedVersion) ?? error;
        remembered = undefined;
      }
    }
    return this.db.transaction(call);
  }

  /**
   * The one projection call the append's statement makes (null for none) and the index of
   * the projection that makes it, or `transaction` when it cannot. What the store remembers
   * of the stream is offered only to the projection that wrote it.
   */
  private async statementPlan(
    pending: readonly PendingEvent[],
    remembered: Remembered | undefined,
  ): Promise<{ plan: StatementPlan | null; owner: number } | 'transaction'> {
    let planned: { plan: StatementPlan | null; owner: number } = { plan: null, owner: -1 };
    for (const [index, projection] of this.projections.entries()) {
      if (!projection.inStatement) return 'transaction';
      const own = await projection.inStatement(this.db, pending, remembered?.owner === index ? remembered.text : undefined);
      if (own === null) continue;
      if (own === 'transaction' || planned.plan !== null) return 'transaction';
      planned = { plan: own, owner: index };
    }
    return planned;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const rows = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND version >= $2 AND version <= $3
       ORDER BY version LIMIT $4`,
      [streamId, options.fromVersion ?? 1, options.toVersion ?? 2 ** 31 - 1, options.limit ?? 1_000_000],
    );
    return rows.map(rowToEvent);
  }

  /** The events a command appended, by the `commandId` in their metadata. */
  async findByCommandId(streamId: string, commandId: string): Promise<StoredEvent[]> {
    if (!ISSUED_ID_PATTERN.test(commandId)) return [];
    const rows = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND metadata LIKE $2 ORDER BY version`,
      [streamId, `%"commandId":"${commandId}"%`],
    );
    return rows.map(rowToEvent).filter((event) => (event.metadata as { commandId?: string }).commandId === commandId);
  }

  async readAll(fromPosition = 0, limit = 1000): Promise<StoredEvent[]> {
    const rows = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
      [fromPosition, limit],
    );
    return rows.map(rowToEvent);
  }

  async streamHeads(): Promise<StreamHead[]> {
    const rows = await this.db.query<{ stream_id: string; version: number | string; hash: string }>(
      `SELECT stream_id, version, hash FROM streams WHERE version > 0 ORDER BY stream_id`,
    );
    return rows.map((row) => ({ streamId: row.stream_id, version: Number(row.version), hash: row.hash }));
  }

  async streamVersion(streamId: string): Promise<number> {
    const rows = await this.db.query<{ version: number | string }>(
      `SELECT version FROM streams WHERE stream_id = $1`,
      [streamId],
    );
    return rows.length === 0 ? 0 : Number(rows[0].version);
  }

  private async lockHead(tx: SqlExecutor, streamId: string): Promise<StreamHead> {
    // A write first, so SQLite takes its write lock now rather than failing to upgrade later.
    await tx.query(
      `INSERT INTO streams (stream_id, version, hash, last_position) VALUES ($1, 0, $2, 0)
       ON CONFLICT (stream_id) DO NOTHING`,
      [streamId, GENESIS_HASH],
    );
    const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const [row] = await tx.query<{ version: number | string; hash: string }>(
      `SELECT version, hash FROM streams WHERE stream_id = $1${lock}`,
      [streamId],
    );
    return { streamId, version: Number(row.version), hash: row.hash };
  }

  private async findByEventIds(tx: SqlExecutor, eventIds: readonly string[]): Promise<StoredEvent[]> {
    const placeholders = eventIds.map((_, index) => `$${index + 1}`).join(', ');
    const rows = await tx.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE event_id IN (${placeholders}) ORDER BY position`,
      eventIds,
    );
    return rows.map(rowToEvent);
  }

  private async insertChained(tx: SqlExecutor, head: StreamHead, events: readonly NewEvent[]): Promise<StoredEvent[]> {
    const appended: StoredEvent[] = [];
    let prevHash = head.hash;
    let version = head.version;
    for (const event of events) {
      version += 1;
      const hash = hashEvent(prevHash, { ...event, streamId: head.streamId, version });
      const [row] = await tx.query<{ position: number | string }>(
        `INSERT INTO events (event_id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING position`,
        [
          event.eventId,
          head.streamId,
          version,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
          event.recordedAt,
          prevHash,
          hash,
        ],
      );
      appended.push({ ...event, streamId: head.streamId, version, prevHash, hash, position: Number(row.position) });
      prevHash = hash;
    }
    await tx.query(`UPDATE streams SET version = $1, hash = $2, last_position = $3 WHERE stream_id = $4`, [
      version,
      prevHash,
      appended[appended.length - 1].position,
      head.streamId,
    ]);
    return appended;
  }
}

function driverFailure(error: unknown): { code?: string; detail?: string } {
  const failure = error as { code?: string; detail?: string; driverError?: { code?: string; detail?: string } };
  return failure.driverError ?? failure;
}

function sqlState(error: unknown): string | undefined {
  return driverFailure(error).code;
}

function asVersionConflict(error: unknown, streamId: string, expectedVersion: number): StreamVersionConflict | undefined {
  const { code, detail } = driverFailure(error);
  if (code !== VERSION_CONFLICT_SQLSTATE) return undefined;
  return new StreamVersionConflict(streamId, expectedVersion, Number(detail));
}
