import { DEPARTMENT_CODE_RULE, MAX_CENTRE_LENGTH, MAX_LESSON_TAGS, MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from '../../../../../libs/domain/index.js';
import type { ErrorBody } from '../../common/api-error.js';
import { capitalise, formatCount } from '../view-filters.js';

/**
 * What to do, GOV.UK style, when the API refuses a field of a lesson: one message for an
 * empty answer and one for an answer it cannot take. The keys are the API body's.
 */
export const LESSON_FIELDS = {
  title: { missing: 'Enter a title', invalid: `Title must be ${formatCount(MAX_NAME_LENGTH)} characters or fewer` },
  body: { missing: 'Enter what happened and what to do differently', invalid: `What happened must be ${formatCount(MAX_TEXT_LENGTH)} characters or fewer` },
  tags: { missing: '', invalid: `Enter tags as lower-case words joined by hyphens, separated by commas, such as payroll, exit-clauses (at most ${MAX_LESSON_TAGS} tags)` },
  centre: { missing: '', invalid: `Centre must be ${formatCount(MAX_CENTRE_LENGTH)} characters or fewer, such as ISSC1` },
  mandatory: { missing: '', invalid: 'Select whether departments must acknowledge the lesson' },
  sourceDepartment: {
    missing: 'Enter the code of the department the lesson was learnt in, such as HMRC',
    invalid: `Enter a department code of ${DEPARTMENT_CODE_RULE}, such as HMRC`,
  },
} as const;

export type LessonField = keyof typeof LESSON_FIELDS;

function text(posted: Record<string, unknown>, name: string): string | undefined {
  const value = posted[name];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * The API body the form's answers make: tags typed as a comma-separated list, an empty
 * centre left out (every centre), the checkbox as a boolean. Nothing is checked here; the
 * API's own validation says what is wrong.
 */
export function lessonBody(posted: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of ['title', 'body', 'centre', 'sourceDepartment'] as const) {
    const value = text(posted, name);
    if (value !== undefined) body[name] = name === 'body' ? value : value.trim();
  }
  const tags = typeof posted.tags === 'string' ? posted.tags : '';
  body.tags = tags
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
  body.mandatory = posted.mandatory === 'yes';
  return body;
}

/** The API's refusal of a lesson, field by field; a refusal that names no field is said once at the top. */
export function lessonProblems(error: ErrorBody, body: Record<string, unknown>): { fields: Record<string, string>; form: string[] } {
  const fields: Record<string, string> = {};
  const message = (key: LessonField) => (body[key] === undefined && LESSON_FIELDS[key].missing) || LESSON_FIELDS[key].invalid;
  if (error.code === 'validation-failed') {
    const named = (error.details?.fields as Array<{ field: string }> | undefined) ?? [];
    for (const { field } of named) {
      const key = field.split('.')[0];
      if (key in LESSON_FIELDS) fields[key] = message(key as LessonField);
    }
    if (Object.keys(fields).length > 0) return { fields, form: [] };
  }
  if (error.code === 'invalid-command' && typeof error.details?.field === 'string') {
    const key = error.details.field.split(/[.[]/)[0];
    if (key in LESSON_FIELDS) return { fields: { [key]: message(key as LessonField) }, form: [] };
  }
  if (error.code === 'idempotency-key-reused') {
    return { fields, form: ['This form was already sent with different answers. Check the library for the lesson, then record it again if it is not there.'] };
  }
  return { fields, form: [capitalise(error.message.trim())] };
}

/** A refused change to whether a lesson is mandatory, shown on that lesson in the library. */
export interface RefusedChange {
  readonly lessonId: string;
  readonly values: Record<string, unknown>;
  /** `reason` when the reason field is what to fix; otherwise the refusal belongs to the lesson. */
  readonly field?: 'reason';
  readonly text: string;
}

export function mandatoryProblem(error: ErrorBody, body: Record<string, unknown>): Pick<RefusedChange, 'field' | 'text'> {
  const named = ((error.details?.fields as Array<{ field: string }> | undefined) ?? []).map(({ field }) => field);
  if (error.code === 'validation-failed' && named.includes('reason')) {
    return { field: 'reason', text: body.reason === undefined ? 'Enter why the lesson’s status is changing' : `Why must be ${formatCount(MAX_TEXT_LENGTH)} characters or fewer` };
  }
  if (error.code === 'lesson-mandatory-unchanged') return { text: 'The lesson is already marked that way: someone may have changed it since you loaded the page' };
  if (error.code === 'idempotency-key-reused') return { text: 'This form was already sent. Check the lesson’s status, then try again if it is not as you wanted' };
  return { text: capitalise(error.message.trim()) };
}
