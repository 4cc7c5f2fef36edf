import { DomainError, invalidCommand } from '../errors.js';
import { requireDepartmentCode } from '../onboarding/department-code.js';
import { requireInstant } from '../time.js';
import { MAX_CENTRE_LENGTH, optionalText, requireBoolean, requireName, requireNameList, requireText } from '../validation.js';
import type { LessonCommand, RecordLesson, SetLessonMandatory } from './commands.js';
import type { LessonEvent, LessonMandatoryChanged, LessonRecorded } from './events.js';
import type { LessonState } from './state.js';

export const MAX_LESSON_TAGS = 20;
export const MAX_LESSON_TAG_LENGTH = 50;
/** A tag is a lower-case word, or words joined by hyphens: `payroll`, `exit-clauses`. */
export const LESSON_TAG_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

export function decideLesson(command: LessonCommand, state: LessonState): LessonEvent[] {
  if (command === null || typeof command !== 'object') throw invalidCommand('command must be an object');
  const at = requireInstant(command.at);
  switch (command.type) {
    case 'RecordLesson':
      return recordLesson(command, state, at);
    case 'SetLessonMandatory':
      return setMandatory(command, state, at);
    default: {
      const unknown: never = command;
      throw invalidCommand(`unknown command type '${String((unknown as { type?: unknown }).type)}'`);
    }
  }
}

function recordLesson(c: RecordLesson, state: LessonState, at: string): LessonRecorded[] {
  const lessonId = requireName(c.lessonId, 'lessonId');
  const title = requireName(c.title, 'title');
  const body = requireText(c.body, 'body');
  const tags = requireNameList(c.tags, 'tags');
  if (tags.length > MAX_LESSON_TAGS) {
    throw invalidCommand(`at most ${MAX_LESSON_TAGS} tags`, { field: 'tags', max: MAX_LESSON_TAGS });
  }
  for (const tag of tags) {
    if (tag.length > MAX_LESSON_TAG_LENGTH || !LESSON_TAG_PATTERN.test(tag)) {
      throw invalidCommand(`tags are lower-case words joined by hyphens, at most ${MAX_LESSON_TAG_LENGTH} characters`, {
        field: 'tags',
        max: MAX_LESSON_TAG_LENGTH,
      });
    }
  }
  const centre = optionalText(c.centre, 'centre', MAX_CENTRE_LENGTH);
  const mandatory = requireBoolean(c.mandatory, 'mandatory');
  const sourceDepartment = requireDepartmentCode(c.sourceDepartment, 'sourceDepartment');
  if (state.recorded) {
    throw new DomainError('lesson-already-recorded', `Lesson ${state.lessonId} is already recorded`, {
      lessonId: state.lessonId,
    });
  }
  return [{ type: 'LessonRecorded', data: { lessonId, title, body, tags, centre, mandatory, sourceDepartment, at } }];
}

function setMandatory(c: SetLessonMandatory, state: LessonState, at: string): LessonMandatoryChanged[] {
  // Whatever its shape, an id that names no recorded lesson is simply not found.
  if (!state.recorded || state.lessonId !== c.lessonId) {
    throw new DomainError('lesson-not-found', 'no such lesson is recorded', { lessonId: String(c.lessonId).slice(0, 100) });
  }
  const lessonId = state.lessonId;
  const mandatory = requireBoolean(c.mandatory, 'mandatory');
  const reason = requireText(c.reason, 'reason');
  if (state.mandatory === mandatory) {
    throw new DomainError('lesson-mandatory-unchanged', `lesson ${lessonId} is already ${mandatory ? 'mandatory' : 'optional'}`, { lessonId, mandatory });
  }
  return [{ type: 'LessonMandatoryChanged', data: { lessonId, mandatory, reason, at } }];
}
