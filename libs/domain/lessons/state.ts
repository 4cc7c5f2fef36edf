export interface LessonState {
  recorded: boolean;
  lessonId: string;
  title: string;
  body: string;
  tags: string[];
  centre: string | null;
  mandatory: boolean;
  sourceDepartment: string;
  recordedAt: string | null;
  version: number;
}

export const initialLessonState: LessonState = Object.freeze({
  recorded: false,
  lessonId: '',
  title: '',
  body: '',
  tags: [],
  centre: null,
  mandatory: false,
  sourceDepartment: '',
  recordedAt: null,
  version: 0,
}) as LessonState;
