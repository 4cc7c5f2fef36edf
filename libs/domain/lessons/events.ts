/** What a recorded lesson states. */
export interface LessonFacts {
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
  readonly at: string;
}

export interface LessonRecorded {
  readonly type: 'LessonRecorded';
  readonly data: LessonFacts;
}

/** What a change of a lesson's mandatory flag states. */
export interface LessonMandatoryFacts {
  readonly lessonId: string;
  readonly mandatory: boolean;
  /** Why, kept in the audit trail. */
  readonly reason: string;
  readonly at: string;
}

export interface LessonMandatoryChanged {
  readonly type: 'LessonMandatoryChanged';
  readonly data: LessonMandatoryFacts;
}

export type LessonEvent = LessonRecorded | LessonMandatoryChanged;
export type LessonEventType = LessonEvent['type'];
