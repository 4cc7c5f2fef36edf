import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../database/index.js';
import type { OnboardingEvent } from '../domain/index.js';
import { assessmentRecorded, registered } from '../domain/testing/onboarding-history.js';
import { EventStore, type NewEvent } from '../event-store/index.js';
import { INLINE_PROJECTIONS, LessonReadModel } from '../projections/index.js';
import { databaseCases } from '../../test/support/databases.js';
import { createOnboardingActivities } from './activities.js';

/**
 * `appendIfLessonsUnchanged` is the advance out of LESSONS in one call. Like every append it
 * may run again after it committed (its worker died before Temporal heard of it): what it
 * answers then must not depend on the library having changed in between.
 */
describe.each(databaseCases())('appendIfLessonsUnchanged on $name', (database) => {
  let db: SqlClient;
  let store: EventStore;
  let activities: ReturnType<typeof createOnboardingActivities>;

  beforeAll(async () => {
    db = await database.open();
    store = new EventStore(db, INLINE_PROJECTIONS);
    activities = createOnboardingActivities({ store, lessons: new LessonReadModel(db), notifier: { notify: async () => undefined } });
  });
  afterAll(async () => {
    await db.close();
  });

  const unique = () => randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase();
  const at = new Date().toISOString();
  const actor = { actor: { sub: 'tester', role: 'programme' } };
  const asNew = (event: OnboardingEvent): NewEvent => ({ eventId: randomUUID(), type: event.type, data: event.data, metadata: actor, recordedAt: at });
  const recordMandatoryLesson = (lessonId: string, centre: string) =>
    store.append(`lesson-${lessonId}`, 0, [
      {
        eventId: randomUUID(),
        type: 'LessonRecorded',
        data: { lessonId, title: lessonId, body: 'What we learnt', tags: [], centre, mandatory: true, sourceDepartment: 'DFT', at },
        metadata: actor,
        recordedAt: at,
      },
    ]);

  async function registeredDepartment() {
    const code = `D${unique()}`;
    const centre = `C${unique()}`;
    const streamId = `department-${code}`;
    await store.append(streamId, 0, [asNew({ ...registered, data: { ...registered.data, code, centre } } as OnboardingEvent)]);
    const lesson = `lesson-${unique()}`;
    await recordMandatoryLesson(lesson, centre);
    return { streamId, centre, lesson };
  }

  it('appends when the library holds the lessons decided on, and refuses to when it does not', async () => {
    const { streamId, centre, lesson } = await registeredDepartment();
    const input = { streamId, expectedVersion: 1, events: [asNew(assessmentRecorded())], centre, mandatoryLessonIds: [lesson] };
    const stale = { ...input, mandatoryLessonIds: [] };
    await expect(activities.appendIfLessonsUnchanged(stale)).resolves.toEqual({ appended: false, mandatoryLessonIds: [lesson] });
    expect(await store.streamVersion(streamId)).toBe(1);

    const appended = await activities.appendIfLessonsUnchanged(input);
    expect(appended.appended && appended.events.map((event) => event.eventId)).toEqual([input.events[0].eventId]);
    expect(await store.streamVersion(streamId)).toBe(2);
  });

  it('answers a retry of an append that committed with its events, even after the library changed', async () => {
    const { streamId, centre, lesson } = await registeredDepartment();
    const input = { streamId, expectedVersion: 1, events: [asNew(assessmentRecorded())], centre, mandatoryLessonIds: [lesson] };
    const first = await activities.appendIfLessonsUnchanged(input);
    expect(first.appended).toBe(true);

    // A lesson made mandatory for the centre between the attempt that committed and its retry.
    const added = `lesson-${unique()}`;
    await recordMandatoryLesson(added, centre);
    const retried = await activities.appendIfLessonsUnchanged(input);
    expect(retried).toEqual(first);
    expect(await store.streamVersion(streamId)).toBe(2);

    // A new command on the changed library is not appended: the workflow decides again on it.
    const next = { ...input, expectedVersion: 2, events: [asNew(assessmentRecorded(5))] };
    const refused = await activities.appendIfLessonsUnchanged(next);
    expect(refused.appended).toBe(false);
    expect(!refused.appended && [...refused.mandatoryLessonIds].sort()).toEqual([lesson, added].sort());
    expect(await store.streamVersion(streamId)).toBe(2);
  });
});
