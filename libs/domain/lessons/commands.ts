import type { LessonFacts, LessonMandatoryFacts } from './events.js';

/** Records a lesson: the facts LessonRecorded keeps, at the instant `at`. */
export interface RecordLesson extends LessonFacts {
  readonly type: 'RecordLesson';
}

/**
 * Makes a recorded lesson mandatory, or optional again, for departments joining its centre
 * (every centre when it has none). Departments still in LESSONS must then acknowledge it.
 */
export interface SetLessonMandatory extends LessonMandatoryFacts {
  readonly type: 'SetLessonMandatory';
}

export type LessonCommand = RecordLesson | SetLessonMandatory;
export type LessonCommandType = LessonCommand['type'];
