import type { LessonMandatoryChanged, LessonRecorded } from '../domain/index.js';
import type { SqlExecutor } from '../database/index.js';
import type { InlineProjection, StoredEvent } from '../event-store/index.js';

export const LESSON_STREAM_PREFIX = 'lesson-';

type LessonRecordedData = LessonRecorded['data'];

/** Keeps the searchable `lessons` library in step with the lesson streams. */
async function projectLessonsInTransaction(tx: SqlExecutor, appended: readonly StoredEvent[]): Promise<void> {
  for (const event of appended) {
    if (!event.streamId.startsWith(LESSON_STREAM_PREFIX)) continue;
    if (event.type === 'LessonMandatoryChanged') {
      const change = event.data as LessonMandatoryChanged['data'];
      await tx.query(`UPDATE lessons SET mandatory = $1 WHERE id = $2`, [change.mandatory, change.lessonId]);
      continue;
    }
    if (event.type !== 'LessonRecorded') continue;
    const lesson = event.data as LessonRecordedData;
    await tx.query(
      `INSERT INTO lessons (id, title, body, tags, centre, mandatory, source_department, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      [
        lesson.lessonId,
        lesson.title,
        lesson.body,
        JSON.stringify(lesson.tags),
        lesson.centre,
        lesson.mandatory,
        lesson.sourceDepartment,
        lesson.at,
      ],
    );
  }
}

const PROJECTED = new Set(['LessonRecorded', 'LessonMandatoryChanged']);

/** Lessons are written in the append's transaction; appends to other streams need nothing from this projection. */
export const projectLessons: InlineProjection = Object.assign(projectLessonsInTransaction, {
  inStatement: async (_db: unknown, pending: readonly { streamId: string; type: string }[]) =>
    pending.some((event) => event.streamId.startsWith(LESSON_STREAM_PREFIX) && PROJECTED.has(event.type)) ? ('transaction' as const) : null,
});
