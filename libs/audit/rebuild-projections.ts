import type { SqlClient, SqlExecutor } from '../database/index.js';
import { rowToEvent, type InlineProjection, type StoredEvent } from '../event-store/index.js';
import { departmentCodeOf } from '../domain/index.js';
import { DEPARTMENT_STREAM_PREFIX, INLINE_PROJECTIONS, LESSON_STREAM_PREFIX } from '../projections/index.js';
import type { Progress } from './progress.js';
import { verifyChain } from './verify-chain.js';

/** The row of `projection_checkpoints` that an unfinished rebuild leaves behind. */
export const REBUILD_CHECKPOINT = 'rebuild:read-models';

export interface RebuildOptions {
  readonly progress?: Progress;
  /** Forget an unfinished rebuild's checkpoint and start from the first stream. */
  readonly restart?: boolean;
  /** The read models to rebuild: every inline projection unless told otherwise. */
  readonly projections?: readonly InlineProjection[];
  /** Called after each stream is committed; a test throws here to crash a rebuild half-way. */
  readonly afterStream?: (streamId: string, rebuilt: number) => void | Promise<void>;
}

export interface RebuildResult {
  /** The checkpoint an earlier, interrupted rebuild left, when this one resumed from it. */
  readonly resumedFrom: number | null;
  readonly streams: number;
  readonly events: number;
  /** Read-model rows whose stream no longer exists, removed at the end. */
  readonly orphansRemoved: number;
  /** Streams whose hash chain does not verify: rebuilt from what is stored, and named here. */
  readonly invalidStreams: readonly { readonly streamId: string; readonly firstInvalidVersion: number }[];
}

interface StreamStart {
  stream_id: string;
  first_position: number | string;
}

/**
 * Rebuilds the read models from the event log: each stream's rows are forgotten and its
 * whole history is fed to every inline projection, as if appended in one batch. Each
 * stream is rebuilt in its own transaction under its head lock, so live appends keep
 * their read models consistent meanwhile. Streams go in order of their first event's position, and
 * that position is checkpointed in the same transaction: a rebuild that crashes resumes
 * after the last stream it committed.
 */
export async function rebuildProjections(db: SqlClient, options: RebuildOptions = {}): Promise<RebuildResult> {
  if (options.restart) await db.query(`DELETE FROM projection_checkpoints WHERE projection = $1`, [REBUILD_CHECKPOINT]);
  const resumedFrom = await checkpoint(db);
  const streams = await db.query<StreamStart>(
    `SELECT stream_id, MIN(position) AS first_position FROM events GROUP BY stream_id
     HAVING MIN(position) > $1 ORDER BY MIN(position)`,
    [resumedFrom ?? 0],
  );
  options.progress?.start(streams.length, 'streams');
  let events = 0;
  const invalidStreams: RebuildResult['invalidStreams'][number][] = [];
  for (const [index, stream] of streams.entries()) {
    const rebuilt = await db.transaction(async (tx) => {
      const stored = await lockAndRead(tx, stream.stream_id);
      await project(tx, stream.stream_id, stored, options.projections ?? INLINE_PROJECTIONS);
      await saveCheckpoint(tx, Number(stream.first_position));
      return stored;
    });
    events += rebuilt.length;
    const chain = verifyChain(rebuilt);
    if (!chain.valid) invalidStreams.push({ streamId: stream.stream_id, firstInvalidVersion: chain.firstInvalidVersion! });
    options.progress?.tick();
    await options.afterStream?.(stream.stream_id, index + 1);
  }
  const orphansRemoved = await removeOrphans(db);
  await db.query(`DELETE FROM projection_checkpoints WHERE projection = $1`, [REBUILD_CHECKPOINT]);
  options.progress?.done();
  return { resumedFrom, streams: streams.length, events, orphansRemoved, invalidStreams };
}

async function checkpoint(db: SqlExecutor): Promise<number | null> {
  const [row] = await db.query<{ position: number | string }>(
    `SELECT position FROM projection_checkpoints WHERE projection = $1`,
    [REBUILD_CHECKPOINT],
  );
  return row ? Number(row.position) : null;
}

async function saveCheckpoint(tx: SqlExecutor, position: number): Promise<void> {
  await tx.query(
    `INSERT INTO projection_checkpoints (projection, position, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (projection) DO UPDATE SET position = $2, updated_at = $3`,
    [REBUILD_CHECKPOINT, position, new Date().toISOString()],
  );
}

/** Taking the head row first makes a concurrent append to this stream wait for us (and us for it). */
async function lockAndRead(tx: SqlExecutor, streamId: string): Promise<StoredEvent[]> {
  await tx.query(`UPDATE streams SET version = version WHERE stream_id = $1`, [streamId]);
  const rows = await tx.query<Parameters<typeof rowToEvent>[0]>(
    `SELECT position, event_id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash
     FROM events WHERE stream_id = $1 ORDER BY version`,
    [streamId],
  );
  return rows.map(rowToEvent);
}

/** Forgets what the read models hold for the stream, then projects its whole history. */
async function project(tx: SqlExecutor, streamId: string, events: readonly StoredEvent[], projections: readonly InlineProjection[]): Promise<void> {
  if (events.length === 0) return;
  const department = departmentCodeOf(streamId);
  if (department !== null) {
    await tx.query(`DELETE FROM departments WHERE code = $1`, [department]);
  } else if (streamId.startsWith(LESSON_STREAM_PREFIX)) {
    await tx.query(`DELETE FROM lessons WHERE id = $1`, [streamId.slice(LESSON_STREAM_PREFIX.length)]);
  }
  for (const projectInline of projections) await projectInline(tx, events);
}

/** TypeORM answers DELETE … RETURNING differently per driver, so orphans are found first, then removed. */
async function removeOrphans(db: SqlClient): Promise<number> {
  return db.transaction(async (tx) => {
    let removed = 0;
    for (const [table, key, prefix] of [
      ['departments', 'code', DEPARTMENT_STREAM_PREFIX],
      ['lessons', 'id', LESSON_STREAM_PREFIX],
    ] as const) {
      const orphans = await tx.query<{ key: string }>(
        `SELECT ${key} AS key FROM ${table} WHERE NOT EXISTS (SELECT 1 FROM events WHERE events.stream_id = $1 || ${table}.${key})`,
        [prefix],
      );
      for (const orphan of orphans) await tx.query(`DELETE FROM ${table} WHERE ${key} = $1`, [orphan.key]);
      removed += orphans.length;
    }
    return removed;
  });
}
