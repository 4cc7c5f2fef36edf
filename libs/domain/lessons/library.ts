import { invalidCommand } from '../errors.js';

export function lessonStreamId(lessonId: string): string {
  if (typeof lessonId !== 'string' || lessonId.trim().length === 0) {
    throw invalidCommand('lessonId must not be empty', { field: 'lessonId' });
  }
  return `lesson-${lessonId}`;
}

/**
 * The lessons a department joining `centre` must acknowledge: mandatory ones for that
 * centre and mandatory ones for every centre (centre null). This is what AdvanceStage
 * expects in `mandatoryLessonIds`.
 */
export function mandatoryLessonIdsFor(
  lessons: readonly { readonly lessonId: string; readonly centre: string | null; readonly mandatory: boolean }[],
  centre: string,
): string[] {
  return lessons
    .filter((lesson) => lesson.mandatory && (lesson.centre === null || lesson.centre === centre))
    .map((lesson) => lesson.lessonId);
}
