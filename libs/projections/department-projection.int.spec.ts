import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../database/index.js';
import type { OnboardingEvent } from '../domain/index.js';
import { assessmentRecorded, days, deviationDecided, deviationRequested, inReadiness, registered } from '../domain/testing/onboarding-history.js';
import { EventStore, StreamVersionConflict, type EventStoreOptions, type NewEvent } from '../event-store/index.js';
import { databaseCases } from '../../test/support/databases.js';
import { INLINE_PROJECTIONS, foldStored } from './index.js';

/** The department projection writes its row and its stuck facts in one statement on PostgreSQL, statement by statement on SQLite: both must agree. */
describe.each(databaseCases())('department projection on $name', (database) => {
  let db: SqlClient;
  let store: EventStore;
  let code: string;
  let streamId: string;

  beforeAll(async () => {
    db = await database.open();
    store = new EventStore(db, INLINE_PROJECTIONS);
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(() => {
    code = `P${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`;
    streamId = `department-${code}`;
  });

  const newEvents = (events: readonly OnboardingEvent[], ofCode = code): NewEvent[] =>
    events.map((event) => ({
      eventId: randomUUID(),
      type: event.type,
      data: event.type === 'DepartmentRegistered' ? { ...event.data, code: ofCode } : event.data,
      metadata: { actor: { sub: 'tester', role: 'admin' } },
      recordedAt: (event.data as { at: string }).at,
    }));
  /** Appends at the stream's head (read by the test's own store), through `on`. */
  const append = async (events: readonly OnboardingEvent[], on = store, ofCode = code) => {
    const stream = `department-${ofCode}`;
    await on.append(stream, await store.streamVersion(stream), newEvents(events, ofCode));
  };
  const row = async (ofCode = code) => {
    const [department] = await db.query<{ stage: string; version: number | string; state: string; updated_at: string }>(
      `SELECT stage, version, state, updated_at FROM departments WHERE code = $1`,
      [ofCode],
    );
    return department;
  };
  const foldOfLog = async (ofCode = code) => foldStored(await store.readStream(`department-${ofCode}`));
  const facts = () =>
    db.query<{ reason: string; since: string; detail: string; observed_at: string }>(
      `SELECT reason, since, detail, observed_at FROM stuck_onboardings WHERE code = $1 ORDER BY reason`,
      [code],
    );

  it('keeps the row equal to the fold of the stream, and the stuck facts to what the state proves', async () => {
    await append(inReadiness);
    await append([deviationRequested('dev-1', days(3))]);
    const department = await row();
    expect(JSON.parse(department.state)).toEqual(foldStored(await store.readStream(streamId)));
    expect({ stage: department.stage, version: Number(department.version), updatedAt: department.updated_at }).toEqual({
      stage: 'READINESS',
      version: inReadiness.length + 1,
      updatedAt: days(3),
    });
    const [awaiting] = await facts();
    expect(awaiting).toMatchObject({ reason: 'awaiting-decision', since: days(3), observed_at: days(3) });
    expect(JSON.parse(awaiting.detail)).toEqual({ pending: [{ kind: 'deviation', deviationId: 'dev-1', area: 'payroll', since: days(3) }], paused: false });

    // A second deviation moves nothing but the detail and when it was observed; the oldest still dates the fact.
    await append([deviationRequested('dev-2', days(5))]);
    const [still] = await facts();
    expect(still).toMatchObject({ reason: 'awaiting-decision', since: days(3), observed_at: days(5) });
    expect(JSON.parse(still.detail).pending).toHaveLength(2);
  });

  it('drops a recorded fact no longer true but keeps what operations observed in Temporal, until the department is finished', async () => {
    await append([...inReadiness, deviationRequested('dev-1', days(3))]);
    await db.query(`INSERT INTO stuck_onboardings (code, reason, since, detail, observed_at) VALUES ($1, $2, $3, $4, $5)`, [
      code,
      'activity-failing',
      days(3),
      '{}',
      days(3),
    ]);
    await append([deviationDecided('dev-1', 'approved', days(4))]);
    expect((await facts()).map((fact) => fact.reason)).toEqual(['activity-failing']);

    await append([{ type: 'DepartmentWithdrawn', data: { reason: 'Left the programme', from: 'READINESS', at: days(10) } }]);
    expect(await facts()).toEqual([]);
    expect((await row()).stage).toBe('WITHDRAWN');
  });

  if (database.name === 'postgres') {
    it('appends and projects in one statement; a row that changed after it was read is read again, and a stale write is refused whole', async () => {
      await append(inReadiness);
      // Between the append's read of the row and its statement, someone rewrites the row (as a rebuild would).
      let interfered = false;
      const interfering = Object.create(db) as SqlClient;
      interfering.query = async <T>(sql: string, params?: readonly unknown[]) => {
        const rows = await db.query<T>(sql, params);
        if (!interfered && sql.startsWith('SELECT state FROM departments')) {
          interfered = true;
          await db.query(`UPDATE departments SET state = state || ' ' WHERE code = $1`, [code]);
        }
        return rows;
      };
      const statements: string[] = [];
      const counting = Object.create(interfering) as SqlClient;
      counting.query = <T>(sql: string, params?: readonly unknown[]) => {
        statements.push(sql.trim().split(/\s+/).slice(0, 4).join(' '));
        return interfering.query<T>(sql, params);
      };
      await new EventStore(counting, INLINE_PROJECTIONS).append(streamId, inReadiness.length, [
        { eventId: randomUUID(), type: 'DeviationRequested', data: deviationRequested('dev-1', days(3)).data, metadata: { actor: { sub: 'tester', role: 'admin' } }, recordedAt: days(3) },
      ]);
      expect(interfered).toBe(true);
      expect(statements).toEqual([
        'SELECT state FROM departments',
        'SELECT * FROM append_events_projected($1,',
        'SELECT state FROM departments',
        'SELECT * FROM append_events_projected($1,',
      ]);
      expect(JSON.parse((await row()).state)).toEqual(foldStored(await store.readStream(streamId)));
      expect((await facts()).map((fact) => fact.reason)).toEqual(['awaiting-decision']);

      // The guard itself: a write prepared from a row that is no longer there rolls the append back with it.
      const before = await store.streamVersion(streamId);
      const stale = db.query(`SELECT * FROM append_events_projected($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
        streamId, before, [randomUUID()], ['DeviationDecided'], ['{}'], ['{}'], [days(4)], ['{}'], 'project_department',
        JSON.stringify({ code, readDigest: 'not-the-row' }),
      ]);
      await expect(stale).rejects.toMatchObject({ code: 'SV412' });
      expect(await store.streamVersion(streamId)).toBe(before);
    });

    /** A worker's event store whose statements are listed by their first words. */
    const counted = (options?: EventStoreOptions) => {
      const statements: string[] = [];
      const counting = Object.create(db) as SqlClient;
      counting.query = <T>(sql: string, params?: readonly unknown[]) => {
        statements.push(sql.trim().split(/\s+/).slice(0, 4).join(' '));
        return db.query<T>(sql, params);
      };
      return { store: new EventStore(counting, INLINE_PROJECTIONS, options), statements };
    };
    const READ = 'SELECT state FROM departments';
    const STATEMENT = 'SELECT * FROM append_events_projected($1,';

    it('remembers what it wrote, so the next appends to the stream are one statement each, and the row stays the fold of the log', async () => {
      const worker = counted();
      await append(inReadiness, worker.store);
      await append([deviationRequested('dev-1', days(3))], worker.store);
      await append([deviationDecided('dev-1', 'approved', days(4))], worker.store);
      expect(worker.statements).toEqual([READ, STATEMENT, STATEMENT, STATEMENT]);
      expect(JSON.parse((await row()).state)).toEqual(await foldOfLog());
      expect(await facts()).toEqual([]);
    });

    it('never builds on what it remembers once another writer has appended: it reads the row, and the other writer, now stale, writes nothing', async () => {
      const worker = counted();
      const otherWorker = new EventStore(db, INLINE_PROJECTIONS);
      await append(inReadiness, worker.store);
      // The department's workflow moved to another worker, which appended; this one still remembers the row it wrote before.
      await append([deviationRequested('dev-1', days(3))], otherWorker);

      worker.statements.length = 0;
      await append([deviationRequested('dev-2', days(4))], worker.store);
      expect(worker.statements).toEqual([READ, STATEMENT]);
      expect(JSON.parse((await row()).state)).toEqual(await foldOfLog());
      const [awaiting] = await facts();
      expect(JSON.parse(awaiting.detail).pending.map((pending: { deviationId: string }) => pending.deviationId)).toEqual(['dev-1', 'dev-2']);

      // Back on this worker, what it wrote is remembered again; the other one's append at its old head is refused whole.
      const rowBefore = await row();
      const stale = otherWorker.append(streamId, inReadiness.length + 1, newEvents([deviationDecided('dev-1', 'approved', days(5))]));
      await expect(stale).rejects.toBeInstanceOf(StreamVersionConflict);
      expect(await row()).toEqual(rowBefore);
      worker.statements.length = 0;
      await append([deviationDecided('dev-1', 'approved', days(5))], worker.store);
      expect(worker.statements).toEqual([STATEMENT]);
      expect(JSON.parse((await row()).state)).toEqual(await foldOfLog());
    });

    it('refuses what it remembers when the row no longer holds it at the same version (a rebuild or a repair wrote it), then reads the row and writes the fold', async () => {
      const worker = counted();
      await append(inReadiness, worker.store);
      await db.query(`UPDATE departments SET state = state || ' ' WHERE code = $1`, [code]);

      worker.statements.length = 0;
      await append([deviationRequested('dev-1', days(3))], worker.store);
      expect(worker.statements).toEqual([STATEMENT, READ, STATEMENT]);
      expect(JSON.parse((await row()).state)).toEqual(await foldOfLog());
      expect((await facts()).map((fact) => fact.reason)).toEqual(['awaiting-decision']);
    });

    it('lets two appends racing on one stream share nothing it remembers: one commits, the other is a version conflict, and the row is the fold', async () => {
      const worker = counted();
      await append(inReadiness, worker.store);
      worker.statements.length = 0;
      const racing = await Promise.allSettled([
        worker.store.append(streamId, inReadiness.length, newEvents([deviationRequested('dev-1', days(3))])),
        worker.store.append(streamId, inReadiness.length, newEvents([deviationRequested('dev-2', days(3))])),
      ]);
      expect(racing.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((racing.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(StreamVersionConflict);
      // What it remembered went to one of them; the other read the row.
      expect(worker.statements.filter((statement) => statement === READ)).toHaveLength(1);
      expect(await store.streamVersion(streamId)).toBe(inReadiness.length + 1);
      expect(JSON.parse((await row()).state)).toEqual(await foldOfLog());

      // The one that committed is remembered: the next append at the head is one statement.
      worker.statements.length = 0;
      await append([deviationDecided('dev-1', 'approved', days(4))], worker.store);
      expect(worker.statements).toEqual([STATEMENT]);
      expect(JSON.parse((await row()).state)).toEqual(await foldOfLog());
    });

    it('remembers no more streams than its limit: a stream it let go is read again, a recent one is not', async () => {
      const worker = counted({ memory: { maxStreams: 2, maxChars: 1_000_000 } });
      const codes = [code, `${code}B`, `${code}C`];
      for (const each of codes) await append([registered], worker.store, each);
      worker.statements.length = 0;
      await append([assessmentRecorded(4, days(1))], worker.store, codes[0]);
      expect(worker.statements).toEqual([READ, STATEMENT]);
      worker.statements.length = 0;
      await append([assessmentRecorded(4, days(1))], worker.store, codes[2]);
      expect(worker.statements).toEqual([STATEMENT]);
      for (const each of codes) expect(JSON.parse((await row(each)).state)).toEqual(await foldOfLog(each));
    });
  }
});

