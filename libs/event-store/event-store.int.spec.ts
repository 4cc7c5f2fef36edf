import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../database/index.js';
import { databaseCases, uniqueSuffix } from '../../test/support/databases.js';
import { verifyChain } from '../audit/index.js';
import { EventStore, GENESIS_HASH, StreamVersionConflict, hashEvent, type NewEvent } from './index.js';

function newEvent(type: string, data: unknown = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: { actor: { sub: 'tester', role: 'admin' }, requestId: 'req-1' },
    recordedAt: new Date().toISOString(),
  };
}

describe.each(databaseCases())('event store on $name', (database) => {
  let db: SqlClient;
  let store: EventStore;

  beforeAll(async () => {
    db = await database.open();
    store = new EventStore(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it('numbers a stream 1..n without gaps and links every hash to the previous one', async () => {
    const stream = `department-T${uniqueSuffix()}`;
    await store.append(stream, 0, [newEvent('A', { n: 1 }), newEvent('B', { n: 2 })]);
    await store.append(stream, 2, [newEvent('C', { nested: { z: 1, a: [1, 'x'] } })]);

    const events = await store.readStream(stream);
    expect(events.map((event) => event.version)).toEqual([1, 2, 3]);
    expect(events[0].prevHash).toBe(GENESIS_HASH);
    for (const [index, event] of events.entries()) {
      const prevHash = index === 0 ? GENESIS_HASH : events[index - 1].hash;
      expect(event.prevHash).toBe(prevHash);
      expect(event.hash).toBe(hashEvent(prevHash, event));
    }
    expect(events[2].data).toEqual({ nested: { z: 1, a: [1, 'x'] } });
    expect(await store.streamVersion(stream)).toBe(3);
  });

  it('treats a retried append of the same event ids as a no-op', async () => {
    const stream = `department-R${uniqueSuffix()}`;
    const batch = [newEvent('A'), newEvent('B')];
    const first = await store.append(stream, 0, batch);
    const retry = await store.append(stream, 0, batch);

    expect(retry.duplicate).toBe(true);
    expect(retry.events.map((event) => event.position)).toEqual(first.events.map((event) => event.position));
    expect(await store.readStream(stream)).toHaveLength(2);
  });

  it('refuses other events that reuse stored ids as a conflict, not a retry, and stores nothing', async () => {
    const stream = `department-I${uniqueSuffix()}`;
    const advanced = newEvent('StageAdvanced', { from: 'LESSONS' });
    await store.append(stream, 0, [advanced]);
    const sameId = { ...newEvent('BaselineRecorded', { annualCostGbp: 1 }), eventId: advanced.eventId };

    await expect(store.append(stream, 0, [sameId])).rejects.toMatchObject({ code: 'stream-version-conflict', expectedVersion: 0, actualVersion: 1 });
    await expect(store.append(stream, 0, [{ ...advanced, recordedAt: new Date(Date.now() + 1000).toISOString() }])).rejects.toBeInstanceOf(StreamVersionConflict);
    expect((await store.readStream(stream)).map((event) => event.type)).toEqual(['StageAdvanced']);
  });

  it('refuses an append that expects a version the stream is no longer at', async () => {
    const stream = `department-C${uniqueSuffix()}`;
    await store.append(stream, 0, [newEvent('A')]);

    await expect(store.append(stream, 0, [newEvent('B')])).rejects.toBeInstanceOf(StreamVersionConflict);
    expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('keeps versions contiguous when many writers race on one stream', async () => {
    const stream = `department-P${uniqueSuffix()}`;
    const writers = Array.from({ length: 10 }, async (_, writer) => {
      for (;;) {
        const version = await store.streamVersion(stream);
        try {
          return await store.append(stream, version, [newEvent('Raced', { writer })]);
        } catch (error) {
          if (!(error instanceof StreamVersionConflict)) throw error;
        }
      }
    });
    await Promise.all(writers);

    const events = await store.readStream(stream);
    expect(events.map((event) => event.version)).toEqual(Array.from({ length: 10 }, (_, index) => index + 1));
  });

  it('refuses UPDATE and DELETE of a stored event at the database', async () => {
    const stream = `department-U${uniqueSuffix()}`;
    await store.append(stream, 0, [newEvent('A')]);
    await expect(db.query(`UPDATE events SET data = '{}' WHERE stream_id = $1`, [stream])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM events WHERE stream_id = $1`, [stream])).rejects.toThrow(/append-only/);
    if (db.dialect === 'postgres') {
      await expect(db.query(`TRUNCATE events`)).rejects.toThrow(/append-only/);
    }
    expect(await store.readStream(stream)).toHaveLength(1);
  });
});

describe('an append done by PostgreSQL (append_events) and one done by the application', () => {
  const [postgres, sqlite] = databaseCases();
  let pg: SqlClient;
  let lite: SqlClient;

  beforeAll(async () => {
    [pg, lite] = await Promise.all([postgres.open(), sqlite.open()]);
  });
  afterAll(async () => {
    await Promise.all([pg?.close(), lite?.close()]);
  });

  /** Text that canonical JSON must escape or keep as it is, and numbers in every form. */
  const awkward = (n: number): NewEvent => ({
    eventId: randomUUID(),
    type: 'AwkwardRecorded',
    data: { z: 'Ministère de l’Économie 🇬🇧', a: 'quote " backslash \\ newline \n tab \t nul \u0000 line-sep \u2028', n, big: 1e21, small: 0.1, neg: -0, nested: { b: [null, true, 'é'], a: {} } },
    metadata: { actor: { sub: 'Zoë', role: 'lead' }, requestId: `req-${n}` },
    recordedAt: '2026-03-01T09:30:00.000Z',
  });

  it('gives every event the same hash, and the verifier accepts the chain PostgreSQL built', async () => {
    const stream = `department-H${uniqueSuffix()}`;
    const batches = [[awkward(1), awkward(2)], [awkward(3)]];
    const inDatabase = new EventStore(pg);
    const inApplication = new EventStore(lite);
    for (const [index, batch] of batches.entries()) {
      await inDatabase.append(stream, index * 2, batch);
      await inApplication.append(stream, index * 2, batch);
    }

    const built = await inDatabase.readStream(stream);
    const computed = await inApplication.readStream(stream);
    expect(built.map((event) => [event.version, event.prevHash, event.hash])).toEqual(computed.map((event) => [event.version, event.prevHash, event.hash]));
    expect(built.map((event) => event.hash)).toEqual(built.map((event) => hashEvent(event.prevHash, event)));
    const [head] = (await inDatabase.streamHeads()).filter((candidate) => candidate.streamId === stream);
    expect(verifyChain(built, head)).toMatchObject({ valid: true, checkedEvents: 3, lastVersion: 3 });
  });

  it('names the version the stream is at when it refuses a stale expected version', async () => {
    const stream = `department-V${uniqueSuffix()}`;
    const store = new EventStore(pg);
    await store.append(stream, 0, [awkward(1), awkward(2)]);

    await expect(store.append(stream, 1, [awkward(3)])).rejects.toMatchObject({ code: 'stream-version-conflict', expectedVersion: 1, actualVersion: 2 });
  });
});
