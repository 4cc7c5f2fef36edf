import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../database/index.js';
import { databaseCases, uniqueSuffix } from '../../test/support/databases.js';
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
