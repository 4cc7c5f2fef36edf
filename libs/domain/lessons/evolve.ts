import type { LessonEvent } from './events.js';
import { initialLessonState, type LessonState } from './state.js';

export function evolveLesson(state: LessonState, event: LessonEvent): LessonState {
  switch (event.type) {
    case 'LessonRecorded': {
      const { at, tags, ...lesson } = event.data;
      return { ...state, ...lesson, tags: [...tags], recorded: true, recordedAt: at, version: state.version + 1 };
    }
    case 'LessonMandatoryChanged':
      return { ...state, mandatory: event.data.mandatory, version: state.version + 1 };
    default: {
      const unknown: never = event;
      throw new Error(`unknown event type '${String((unknown as { type?: unknown }).type)}'`);
    }
  }
}

export function foldLesson(events: readonly LessonEvent[], state: LessonState = initialLessonState): LessonState {
  return events.reduce(evolveLesson, state);
}
