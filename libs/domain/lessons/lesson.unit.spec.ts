import { decideLesson, evolveLesson, foldLesson, initialLessonState, lessonStreamId, mandatoryLessonIdsFor } from '../index.js';
import type { LessonRecorded, RecordLesson, SetLessonMandatory } from '../index.js';
import { deciderSpecification } from '../testing/decider-specification.js';

const spec = deciderSpecification({ decide: decideLesson, evolve: evolveLesson, initialState: initialLessonState });

const AT = '2025-02-01T10:00:00.000Z';

const record = (overrides: Partial<RecordLesson> = {}): RecordLesson => ({
  type: 'RecordLesson',
  at: AT,
  lessonId: 'L1',
  title: 'Keep an intelligent-customer team',
  body: 'Departments that kept contract managers specified and assured the service better.',
  tags: ['contract-management', 'payroll'],
  centre: 'ISSC1',
  mandatory: true,
  sourceDepartment: 'DWP',
  ...overrides,
});

const { type: _command, ...facts } = record();
/** What recording `record()` states: every fact of the command, kept as given. */
const recorded: LessonRecorded = { type: 'LessonRecorded', data: facts };

describe('a lesson not yet recorded', () => {
  it('cannot be made mandatory or optional: it is not found', () => {
    spec.given([]).when({ type: 'SetLessonMandatory', at: AT, lessonId: 'L1', mandatory: true, reason: 'r' }).thenThrows('lesson-not-found', { lessonId: 'L1' });
  });

  it('is recorded', () => {
    spec.given([]).when(record()).then([recorded]);
  });

  it('becomes a lesson for every centre when no centre is given, with tags trimmed and deduplicated', () => {
    spec
      .given([])
      .when(record({ centre: null, tags: [' payroll ', 'payroll', 'hr'], mandatory: false }))
      .thenState((state) => {
        const { at: recordedAt, ...lesson } = recorded.data;
        expect(state).toEqual({
          ...lesson,
          centre: null,
          tags: ['payroll', 'hr'],
          mandatory: false,
          recorded: true,
          recordedAt,
          version: 1,
        });
      });
  });

  spec.given([]).refusesInvalid(record, [
    ['lessonId', { lessonId: '' }],
    ['title', { title: 'x'.repeat(201) }],
    ['body', { body: '  ' }],
    ['tags', { tags: 'payroll' as unknown as string[] }],
    ['tags[1]', { tags: ['ok', ''] }],
    ['tags', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }],
    ['mandatory', { mandatory: 'yes' as unknown as boolean }],
    ['sourceDepartment', { sourceDepartment: '' }],
    ['sourceDepartment', { sourceDepartment: 'Work and Pensions' }],
    ['at', { at: 'yesterday' }],
  ]);
});

const setMandatory = (mandatory: boolean, overrides: Partial<SetLessonMandatory> = {}): SetLessonMandatory => ({
  type: 'SetLessonMandatory',
  at: '2025-03-01T09:00:00.000Z',
  lessonId: 'L1',
  mandatory,
  reason: 'Payroll failures at two departments',
  ...overrides,
});

describe('a recorded lesson', () => {
  it('cannot be recorded again', () => {
    spec.given([recorded]).when(record()).thenThrows('lesson-already-recorded', { lessonId: 'L1' });
  });

  it('is made optional, with the reason kept, and mandatory again', () => {
    const optional = { type: 'LessonMandatoryChanged', data: { lessonId: 'L1', mandatory: false, reason: 'Payroll failures at two departments', at: '2025-03-01T09:00:00.000Z' } } as const;
    spec.given([recorded]).when(setMandatory(false)).then([optional]);
    spec.given([recorded, optional]).when(setMandatory(true)).thenState((state) => expect(state).toMatchObject({ mandatory: true, version: 3 }));
  });

  it('refuses to mark it as it already is', () => {
    spec.given([recorded]).when(setMandatory(true)).thenThrows('lesson-mandatory-unchanged', { lessonId: 'L1', mandatory: true });
  });

  spec.given([recorded]).refusesInvalid((overrides) => setMandatory(false, overrides), [
    ['mandatory', { mandatory: 'yes' as unknown as boolean }],
    ['reason', { reason: ' ' }],
  ]);
});

describe('the lessons library', () => {
  it('names a lesson stream after its id', () => {
    expect(lessonStreamId('L1')).toBe('lesson-L1');
    expect(() => lessonStreamId(' ')).toThrow(expect.objectContaining({ code: 'invalid-command' }));
  });

  it('lists the mandatory lessons for a centre, including those for every centre', () => {
    const lessons = [
      foldLesson([recorded]),
      foldLesson([{ ...recorded, data: { ...recorded.data, lessonId: 'L2', centre: null } }]),
      foldLesson([{ ...recorded, data: { ...recorded.data, lessonId: 'L3', centre: 'ISSC2' } }]),
      foldLesson([{ ...recorded, data: { ...recorded.data, lessonId: 'L4', mandatory: false } }]),
    ];
    expect(mandatoryLessonIdsFor(lessons, 'ISSC1')).toEqual(['L1', 'L2']);
    expect(mandatoryLessonIdsFor(lessons, 'ISSC2')).toEqual(['L2', 'L3']);
  });
});
