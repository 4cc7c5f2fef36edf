import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../database/index.js';
import type { OnboardingEvent } from '../domain/index.js';
import { days, deviationDecided, deviationRequested, inReadiness } from '../domain/testing/onboarding-history.js';
import { EventStore } from '../event-store/index.js';
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

  const append = async (events: readonly OnboardingEvent[]) => {
    const version = await store.streamVersion(streamId);
    const own = events.map((event) => (event.type === 'DepartmentRegistered' ? { ...event, data: { ...event.data, code } } : event));
    await store.append(
      streamId,
      version,
      own.map((event) => ({
        eventId: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: { actor: { sub: 'tester', role: 'admin' } },
        recordedAt: (event.data as { at: string }).at,
      })),
    );
  };
  const row = async () => {
    const [department] = await db.query<{ stage: string; version: number | string; state: string; updated_at: string }>(
      `SELECT stage, version, state, updated_at FROM departments WHERE code = $1`,
      [code],
    );
    return department;
  };
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
      await expect(stale).rejects.toMatchObject({ driverError: { code: 'SV412' } });
      expect(await store.streamVersion(streamId)).toBe(before);
    });
  }
});

