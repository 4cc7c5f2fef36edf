import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { SqlClient } from '../database/index.js';
import { fold, initialState, streamIdFor, type OnboardingEvent } from '../domain/index.js';
import { inLive, registered } from '../domain/testing/onboarding-history.js';
import { EventStore, hashEvent, type StoredEvent } from '../event-store/index.js';
import { DepartmentReadModel, INLINE_PROJECTIONS, LessonReadModel } from '../projections/index.js';
import { Tamperer } from '../../test/support/audit-tamper.js';
import { ownDatabaseCases, type OwnDatabase } from '../../test/support/own-databases.js';
import {
  AuditSigningKey,
  departmentStateAt,
  IntegrityChecker,
  REBUILD_CHECKPOINT,
  rebuildProjections,
  takeDigest,
  verifyDigest,
  VersionBeyondHead,
} from './index.js';

/** Each case gets a database of its own: these tests lift the append-only protection. */
const databases = ownDatabaseCases();

let counter = 0;
function newCode(): string {
  counter += 1;
  return `AUD${Date.now().toString(36).slice(-4).toUpperCase()}${counter}`;
}

/** The events a department in LIVE has behind it, under its own code. */
function historyFor(code: string): OnboardingEvent[] {
  return [{ ...registered, data: { ...registered.data, code } }, ...inLive.slice(1)];
}

async function seed(store: EventStore, code: string, events: readonly OnboardingEvent[] = historyFor(code)): Promise<StoredEvent[]> {
  const stored: StoredEvent[] = [];
  for (const event of events) {
    const result = await store.append(streamIdFor(code), stored.length, [
      {
        eventId: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: { actor: { sub: 'seed', role: 'lead' } },
        recordedAt: (event.data as { at: string }).at,
      },
    ]);
    stored.push(...result.events);
  }
  return stored;
}

describe.each(databases)('audit tools on $name', (database) => {
  let handle: OwnDatabase | undefined;
  let db: SqlClient;
  let store: EventStore;
  let tamperer: Tamperer;
  const key = AuditSigningKey.fromPem(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

  /** Every group starts from an empty log, so what one group tampers with never shows in another's digest. */
  beforeEach(async () => {
    if (handle) return;
    handle = await database.open();
    db = handle.db;
    store = new EventStore(db, INLINE_PROJECTIONS);
    tamperer = new Tamperer(db);
  });
  const freshDatabasePerGroup = () =>
    afterAll(async () => {
      await handle?.dispose();
      handle = undefined;
    });

  const verify = (code: string) => new IntegrityChecker(db).verifyStream(streamIdFor(code));

  describe('chain verification', () => {
    freshDatabasePerGroup();

    it('finds an untouched stream valid, every event checked', async () => {
      const code = newCode();
      const events = await seed(store, code);

      await expect(verify(code)).resolves.toMatchObject({ valid: true, checkedEvents: events.length });
    });

    it('names the exact first invalid version after each kind of tampering', async () => {
      const [payload, deleted, swapped, rehashed, rehashedLast] = [newCode(), newCode(), newCode(), newCode(), newCode()];
      for (const code of [payload, deleted, swapped, rehashed, rehashedLast]) await seed(store, code);
      const last = historyFor(payload).length;
      await tamperer.liftProtection();

      await tamperer.changePayload(streamIdFor(payload), 4, { annualCostPence: 1, implementationCostPence: 1, headcountServed: 1, at: registered.data.at });
      await tamperer.deleteEvent(streamIdFor(deleted), 6);
      await tamperer.swapEvents(streamIdFor(swapped), 5, 6);
      await tamperer.rewriteAndRehash(streamIdFor(rehashed), 3, { from: 'LESSONS', to: 'LIVE', at: registered.data.at, mandatoryLessonIds: [], stageDeadlineAt: null });
      await tamperer.rewriteAndRehash(streamIdFor(rehashedLast), last, { from: 'GO_LIVE', to: 'LIVE', at: registered.data.at, mandatoryLessonIds: [], stageDeadlineAt: null });

      await expect(verify(payload)).resolves.toMatchObject({ valid: false, firstInvalidVersion: 4, problem: 'hash-mismatch' });
      await expect(verify(deleted)).resolves.toMatchObject({ valid: false, firstInvalidVersion: 6, problem: 'missing-event' });
      await expect(verify(swapped)).resolves.toMatchObject({ valid: false, firstInvalidVersion: 5 });
      await expect(verify(rehashed)).resolves.toMatchObject({ valid: false, firstInvalidVersion: 3, problem: 'rehashed-event' });
      await expect(verify(rehashedLast)).resolves.toMatchObject({ valid: false, firstInvalidVersion: last, problem: 'rehashed-event' });
    });

    it('notices events removed from the end of a stream through its head', async () => {
      const code = newCode();
      const events = await seed(store, code);
      await tamperer.liftProtection();
      await tamperer.deleteEvent(streamIdFor(code), events.length);

      await expect(verify(code)).resolves.toMatchObject({ valid: false, firstInvalidVersion: events.length, problem: 'missing-event' });
    });
  });

  describe('signed digests', () => {
    freshDatabasePerGroup();

    it('proves that a log which only grew extends an earlier digest, with or without the heads sent along', async () => {
      const code = newCode();
      const events = historyFor(code);
      await seed(store, code, events.slice(0, 5));
      const digest = await takeDigest(db, key);
      const other = newCode();
      await seed(store, other);
      const stream = await store.readStream(streamIdFor(code));
      await store.append(streamIdFor(code), stream.length, [
        { eventId: randomUUID(), type: events[5].type, data: events[5].data, metadata: { actor: { sub: 'seed', role: 'lead' } }, recordedAt: registered.data.at },
      ]);

      const result = await verifyDigest(db, digest, key.publicKeyPem);
      const { streams: _omitted, ...withoutHeads } = digest;
      const compact = await verifyDigest(db, withoutHeads, key.publicKeyPem);

      expect(result).toMatchObject({ valid: true, signatureValid: true, extendsDigest: true, problems: [] });
      expect(compact).toMatchObject({ valid: true, extendsDigest: true });
      expect(digest.streams).toEqual(expect.arrayContaining([expect.objectContaining({ streamId: streamIdFor(code), version: 5 })]));
    });

    it('fails when an event before the digest was altered, and names it', async () => {
      const code = newCode();
      await seed(store, code);
      const digest = await takeDigest(db, key);
      await tamperer.liftProtection();
      await tamperer.changePayload(streamIdFor(code), 2, { sro: 'Someone Else', score: 5, contractManagementFte: 9, notes: null, at: registered.data.at });

      const result = await verifyDigest(db, digest, key.publicKeyPem);

      expect(result).toMatchObject({ valid: false, signatureValid: true, extendsDigest: false });
      expect(result.problems).toContainEqual({ kind: 'altered-before-digest', streamId: streamIdFor(code), version: 2 });
    });

    it('catches a stream rewritten whole with a consistent new chain', async () => {
      const code = newCode();
      const seeded = await seed(store, code);
      const { streams: _omitted, ...digest } = await takeDigest(db, key);
      await tamperer.liftProtection();
      await tamperer.changePayload(streamIdFor(code), 2, { ...(seeded[1].data as object), score: 5 });
      await relink(db, streamIdFor(code));
      expect((await verify(code))?.valid).toBe(true);

      const result = await verifyDigest(db, digest, key.publicKeyPem);

      expect(result.valid).toBe(false);
      expect(result.problems.map((problem) => problem.kind)).toContain('heads-changed');
    });

    it('refuses a digest whose payload or signature was changed, or that another key signed', async () => {
      const digest = await takeDigest(db, key);
      const otherKey = AuditSigningKey.fromPem(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
      const forged = { ...digest, payload: { ...digest.payload, eventCount: digest.payload.eventCount + 1 } };

      await expect(verifyDigest(db, forged, key.publicKeyPem)).resolves.toMatchObject({ valid: false, signatureValid: false });
      await expect(verifyDigest(db, digest, otherKey.publicKeyPem)).resolves.toMatchObject({ valid: false, signatureValid: false });
      await expect(verifyDigest(db, { ...digest, streams: digest.streams?.slice(1) }, key.publicKeyPem)).resolves.toMatchObject({
        valid: false,
        problems: expect.arrayContaining([{ kind: 'heads-not-signed' }]),
      });
    });
  });

  describe('time travel', () => {
    freshDatabasePerGroup();

    it('folds the events up to a version or an instant with the workflow evolve, and matches the read model at the head', async () => {
      const code = newCode();
      const events = historyFor(code);
      await seed(store, code, events);

      const atThree = await departmentStateAt(db, code, { version: 3 });
      const asOfDay4 = await departmentStateAt(db, code, { asOf: '2025-01-10T09:00:00.000Z' });
      const head = await departmentStateAt(db, code, {});
      const before = await departmentStateAt(db, code, { asOf: '2024-01-01T00:00:00.000Z' });

      expect(atThree?.state).toEqual(fold(events.slice(0, 3), initialState));
      expect(atThree).toMatchObject({ version: 3, headVersion: events.length, integrity: { valid: true, checkedEvents: 3 } });
      expect(atThree?.state?.stage).toBe('READINESS');
      expect(asOfDay4?.version).toBe(events.filter((event) => Date.parse((event.data as { at: string }).at) <= Date.parse('2025-01-10T09:00:00.000Z')).length);
      expect(head).toMatchObject({ version: events.length, matchesReadModel: true });
      expect(head?.state).toEqual(await new DepartmentReadModel(db).get(code));
      expect(before).toMatchObject({ version: 0, state: null });
      await expect(departmentStateAt(db, code, { version: events.length + 1 })).rejects.toBeInstanceOf(VersionBeyondHead);
      await expect(departmentStateAt(db, 'NOSUCH', {})).resolves.toBeUndefined();
    });
  });

  describe('projection rebuild', () => {
    freshDatabasePerGroup();

    it('rebuilds read models equal to the live ones, resuming after a crash from its checkpoint', async () => {
      const codes = [newCode(), newCode(), newCode(), newCode()];
      for (const code of codes) await seed(store, code);
      await store.append('lesson-audit-lesson', 0, [
        {
          eventId: randomUUID(),
          type: 'LessonRecorded',
          data: { lessonId: 'audit-lesson', title: 'Keep payroll parallel', body: 'Run both payrolls for one cycle', tags: ['payroll'], centre: null, mandatory: true, sourceDepartment: codes[0], at: registered.data.at },
          metadata: { actor: { sub: 'seed', role: 'lead' } },
          recordedAt: registered.data.at,
        },
      ]);
      const departments = new DepartmentReadModel(db);
      const lessons = new LessonReadModel(db);
      const live = { departments: await departments.list(), lessons: await lessons.list() };

      await db.query(`DELETE FROM departments WHERE code = $1`, [codes[0]]);
      await db.query(`UPDATE departments SET stage = 'WITHDRAWN', state = '{}' WHERE code = $1`, [codes[1]]);
      await db.query(`DELETE FROM lessons`);
      await db.query(
        `INSERT INTO departments (code, name, centre, stage, paused, overdue, lead, planned_go_live, actual_go_live, stage_entered_at,
           stage_deadline_at, version, state, updated_at) SELECT 'ORPHAN', name, centre, stage, paused, overdue, lead, planned_go_live,
           actual_go_live, stage_entered_at, stage_deadline_at, version, state, updated_at FROM departments WHERE code = $1`,
        [codes[2]],
      );

      const crash = new Error('simulated crash');
      await expect(
        rebuildProjections(db, {
          afterStream: (_streamId, rebuilt) => {
            if (rebuilt === 2) throw crash;
          },
        }),
      ).rejects.toBe(crash);
      const [checkpoint] = await db.query<{ position: number | string }>(`SELECT position FROM projection_checkpoints WHERE projection = $1`, [REBUILD_CHECKPOINT]);
      expect(checkpoint).toBeDefined();

      const resumed = await rebuildProjections(db);

      expect(resumed.resumedFrom).toBe(Number(checkpoint.position));
      expect(resumed.orphansRemoved).toBe(1);
      expect(resumed.invalidStreams.filter((stream) => codes.some((code) => stream.streamId === streamIdFor(code)))).toEqual([]);
      const ours = (list: Awaited<ReturnType<DepartmentReadModel['list']>>) => list.filter((state) => codes.includes(state.code));
      expect(ours(await departments.list())).toEqual(ours(live.departments));
      expect((await departments.list()).map((state) => state.code)).not.toContain('ORPHAN');
      expect(await lessons.list()).toEqual(live.lessons);
      await expect(db.query(`SELECT * FROM projection_checkpoints WHERE projection = $1`, [REBUILD_CHECKPOINT])).resolves.toEqual([]);
    });
  });
});

/** Recomputes prev_hash and hash from version 2 on, as a forger rewriting a whole stream would. */
async function relink(db: SqlClient, streamId: string): Promise<void> {
  const events = await new EventStore(db).readStream(streamId);
  let prevHash = events[0].hash;
  for (const event of events.slice(1)) {
    const hash = hashEvent(prevHash, event);
    await db.query(`UPDATE events SET prev_hash = $1, hash = $2 WHERE stream_id = $3 AND version = $4`, [prevHash, hash, streamId, event.version]);
    prevHash = hash;
  }
  await db.query(`UPDATE streams SET hash = $1 WHERE stream_id = $2`, [prevHash, streamId]);
}
