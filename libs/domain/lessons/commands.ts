export interface RecordLesson {
  readonly type: 'RecordLesson';
  readonly at: string;
  readonly lessonId: string;
  readonly title: string;
  readonly body: string;
  readonly tags: readonly string[];
  /** The centre the lesson applies to; null for every centre. */
  readonly centre: string | null;
  /** Must be acknowledged before leaving LESSONS by departments joining that centre. */
  readonly mandatory: boolean;
  /** The department the lesson was learnt in. */
  readonly sourceDepartment: string;
}

/**
 * Makes a recorded lesson mandatory, or optional again, for departments joining its centre
 * (every centre when it has none). Departments still in LESSONS must then acknowledge it.
 */
export interface SetLessonMandatory {
  readonly type: 'SetLessonMandatory';
  readonly at: string;
  readonly lessonId: string;
  readonly mandatory: boolean;
  /** Why, kept in the audit trail. */
  readonly reason: string;
}

export type LessonCommand = RecordLesson | SetLessonMandatory;
export type LessonCommandType = LessonCommand['type'];
