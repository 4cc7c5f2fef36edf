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

export type LessonCommand = RecordLesson;
export type LessonCommandType = LessonCommand['type'];
