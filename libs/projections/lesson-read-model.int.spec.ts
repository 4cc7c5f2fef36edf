import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../database/index.js';
import type { LessonRecorded } from '../domain/index.js';
import { registered } from '../domain/testing/onboarding-history.js';
import { EventStore } from '../event-store/index.js';
import { ownDatabaseCases } from '../../test/support/own-databases.js';
import { INLINE_PROJECTIONS, LessonReadModel, mandatoryLessonIdsIn } from './index.js';

/**
 * Each case has a database of its own: a lesson mandatory for every centre, as this test
 * records, would hold every other suite's departments in LESSONS.
 */
const databases = ownDatabaseCases();

/**
 * The three ways a department's mandatory lessons are read must agree: by centre (the
 * workflow's activity), with the department's own lookup (an advance out of LESSONS) and
 * picked from the whole library (the console's department page).
 */
describe.each(databases)('the mandatory lessons of a department on $name', (database) => {
  let dispose: () => Promise<void>;
  let db: SqlClient;
  let store: EventStore;
  let lessons: LessonReadModel;

  beforeAll(async () => {
    ({ db, dispose } = await database.open());
    store = new EventStore(db, INLINE_PROJECTIONS);
    lessons = new LessonReadModel(db);
  });
  afterAll(async () => {
    await dispose();
  });

  const unique = () => randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase();
  const at = new Date().toISOString();
  const record = async (lesson: Pick<LessonRecorded['data'], 'lessonId' | 'centre' | 'mandatory'>) =>
    store.append(`lesson-${lesson.lessonId}`, 0, [
      {
        eventId: randomUUID(),
        type: 'LessonRecorded',
        data: { title: `Lesson ${lesson.lessonId}`, body: 'What we learnt', tags: [], sourceDepartment: 'DFT', at, ...lesson },
        metadata: { actor: { sub: 'tester', role: 'programme' } },
        recordedAt: at,
      },
    ]);
  const register = async (code: string, centre: string) =>
    store.append(`department-${code}`, 0, [
      {
        eventId: randomUUID(),
        type: 'DepartmentRegistered',
        data: { ...registered.data, code, centre, at },
        metadata: { actor: { sub: 'tester', role: 'programme' } },
        recordedAt: at,
      },
    ]);

  it('finds the stage and the centre’s mandatory lessons in one read, as the other two reads find them', async () => {
    const centre = `C${unique()}`;
    const otherCentre = `C${unique()}`;
    const code = `D${unique()}`;
    const own = `own-${unique()}`;
    const shared = `shared-${unique()}`;
    const optional = `optional-${unique()}`;
    const elsewhere = `elsewhere-${unique()}`;
    await register(code, centre);
    await record({ lessonId: own, centre, mandatory: true });
    await record({ lessonId: shared, centre: null, mandatory: true });
    await record({ lessonId: optional, centre, mandatory: false });
    await record({ lessonId: elsewhere, centre: otherCentre, mandatory: true });

    const found = await lessons.stageWithMandatoryLessons(code);
    expect(found?.stage).toBe('LESSONS');
    expect(found?.mandatoryLessonIds).toEqual(expect.arrayContaining([own, shared]));
    expect(found?.mandatoryLessonIds).not.toContain(optional);
    expect(found?.mandatoryLessonIds).not.toContain(elsewhere);
    // The same set; the order is the database's collation in the first two, code points in the third.
    const sorted = (ids: readonly string[] | undefined) => [...(ids ?? [])].sort();
    expect(sorted(found?.mandatoryLessonIds)).toEqual(sorted(await lessons.mandatoryLessonIds(centre)));
    expect(sorted(found?.mandatoryLessonIds)).toEqual(mandatoryLessonIdsIn(await lessons.list(), centre));
  });

  it('finds a department with no mandatory lesson of its own, and none for an unknown one', async () => {
    const centre = `C${unique()}`;
    const code = `D${unique()}`;
    await register(code, centre);
    const found = await lessons.stageWithMandatoryLessons(code);
    expect(found?.stage).toBe('LESSONS');
    // Only lessons mandatory for every centre, if any were recorded.
    expect(found?.mandatoryLessonIds).toEqual(await lessons.mandatoryLessonIds(centre));
    expect(await lessons.stageWithMandatoryLessons(`D${unique()}`)).toBeUndefined();
  });
});
