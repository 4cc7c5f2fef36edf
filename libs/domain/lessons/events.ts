export interface LessonRecorded {
  readonly type: 'LessonRecorded';
  readonly data: {
    readonly lessonId: string;
    readonly title: string;
    readonly body: string;
    readonly tags: readonly string[];
    readonly centre: string | null;
    readonly mandatory: boolean;
    readonly sourceDepartment: string;
    readonly at: string;
  };
}

export interface LessonMandatoryChanged {
  readonly type: 'LessonMandatoryChanged';
  readonly data: {
    readonly lessonId: string;
    readonly mandatory: boolean;
    readonly reason: string;
    readonly at: string;
  };
}

export type LessonEvent = LessonRecorded | LessonMandatoryChanged;
export type LessonEventType = LessonEvent['type'];
