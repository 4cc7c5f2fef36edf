import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../database/index.js';
import type { OnboardingEvent } from '../domain/index.js';
import { DAY, days, deviationRequested, inReadiness, registered } from '../domain/testing/onboarding-history.js';
import { EventStore } from '../event-store/index.js';
import { databaseCases, uniqueSuffix } from '../../test/support/databases.js';
import { INLINE_PROJECTIONS, StuckReadModel } from './index.js';

/**
 * The stuck list reads its page and the sweep's last run in one statement on both
 * databases; it must list exactly what the plain page read lists, and say when the sweep
 * ran even when the page is empty.
 */
describe.each(databaseCases())('the stuck list with its sweep on $name', (database) => {
  let db: SqlClient;
  let store: EventStore;
  let stuck: StuckReadModel;
  let centre: string;
  let sweep: string;
  const codes: string[] = [];

  beforeAll(async () => {
    db = await database.open();
    store = new EventStore(db, INLINE_PROJECTIONS);
    // Decisions owed for more than a day count as stuck.
    stuck = new StuckReadModel(db, DAY);
    // Other tests share the PostgreSQL database: a centre and a sweep of this test's own keep it apart.
    centre = `C${uniqueSuffix()}`.slice(0, 20);
    sweep = `stuck-sweep:test:${randomUUID()}`;
    const suffix = uniqueSuffix().slice(-6);
    // Three past their LESSONS deadline on different days, one owing a deviation decision.
    for (const [index, history] of [
      [registered, missed(30)],
      [registered, missed(31)],
      [registered, missed(32)],
      [...inReadiness, deviationRequested('dev-1', days(40))],
    ].entries()) {
      const code = `S${index}${suffix}`;
      codes.push(code);
      await append(code, history);
    }
  });
  afterAll(async () => {
    await db.close();
  });

  function missed(day: number): OnboardingEvent {
    return { type: 'StageDeadlineMissed', data: { stage: 'LESSONS', deadline: days(day), at: days(day) } };
  }

  async function append(code: string, history: readonly OnboardingEvent[]) {
    const events = history.map((event) =>
      event.type === 'DepartmentRegistered' ? { ...event, data: { ...event.data, code, centre } } : event,
    );
    await store.append(
      `department-${code}`,
      0,
      events.map((event) => ({
        eventId: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: { actor: { sub: 'tester', role: 'admin' } },
        recordedAt: (event.data as { at: string }).at,
      })),
    );
  }

  const now = new Date(Date.parse(days(60)));

  it('lists what the plain read lists, page by page, and no sweep before one has run', async () => {
    const all = await stuck.listWithSweep({ centre }, sweep, now);
    expect(all.sweptAt).toBeUndefined();
    expect(all.entries.map((entry) => [entry.code, entry.reason, entry.since])).toEqual([
      [codes[0], 'deadline-missed', days(30)],
      [codes[1], 'deadline-missed', days(31)],
      [codes[2], 'deadline-missed', days(32)],
      [codes[3], 'awaiting-decision', days(40)],
    ]);
    expect(all.entries).toEqual(await stuck.list({ centre }, now));
    for (const filter of [{ centre, limit: 2 }, { centre, limit: 2, offset: 2 }, { centre, reason: 'awaiting-decision' as const }, { centre, stage: 'LESSONS' }]) {
      expect((await stuck.listWithSweep(filter, sweep, now)).entries).toEqual(await stuck.list(filter, now));
    }
  });

  it('gives the last run of the sweep named, beside its entries and with none', async () => {
    await db.query(`INSERT INTO operations_sweeps (name, holder, lease_until) VALUES ($1, $2, $3)`, [sweep, 'worker-1', days(61)]);
    // The lease is held but no sweep has finished yet.
    expect((await stuck.listWithSweep({ centre }, sweep, now)).sweptAt).toBeUndefined();

    await db.query(`UPDATE operations_sweeps SET swept_at = $1 WHERE name = $2`, [days(59), sweep]);
    await db.query(`INSERT INTO operations_sweeps (name, holder, lease_until, swept_at) VALUES ($1, $2, $3, $4)`, [
      `${sweep}:other-queue`, 'worker-2', days(61), days(58),
    ]);
    const page = await stuck.listWithSweep({ centre, limit: 3 }, sweep, now);
    expect(page.sweptAt).toBe(days(59));
    expect(page.entries.map((entry) => entry.code)).toEqual(codes.slice(0, 3));

    const empty = await stuck.listWithSweep({ centre, offset: 10 }, sweep, now);
    expect(empty).toEqual({ entries: [], sweptAt: days(59) });
    expect(await stuck.listWithSweep({ centre: `${centre}-NONE` }, `${sweep}:other-queue`, now)).toEqual({ entries: [], sweptAt: days(58) });
  });

  it('keeps a decision out of the list until it has waited longer than the limit', async () => {
    const early = new Date(Date.parse(days(40)) + DAY / 2);
    const page = await stuck.listWithSweep({ centre, reason: 'awaiting-decision' }, sweep, early);
    expect(page.entries).toEqual([]);
  });
});
