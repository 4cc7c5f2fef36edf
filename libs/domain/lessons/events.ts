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

export type LessonEvent = LessonRecorded;
export type LessonEventType = LessonEvent['type'];
