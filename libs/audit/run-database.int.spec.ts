import { openDatabase, type SqlClient } from '../database/index.js';
import { DEPARTMENT_STREAM_PREFIX } from '../projections/index.js';
import { testDatabaseUrl } from '../../test/support/env.js';
import { departmentStateAt, IntegrityChecker } from './index.js';

/**
 * Over the run's shared PostgreSQL database, as every integration test before this one
 * left it (tests that tamper use databases of their own): every stream's chain verifies,
 * and every department folded at its head with the workflow's evolve is exactly its read
 * model. Read-only.
 */
describe("the integration run's own event store", () => {
  let db: SqlClient;

  beforeAll(async () => {
    db = await openDatabase({ postgresUrl: testDatabaseUrl() });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('holds only streams whose hash chain verifies', async () => {
    const results = await new IntegrityChecker(db).verifyAll();

    expect(results.filter((result) => !result.valid)).toEqual([]);
  });

  it('folds every department, at its head, to exactly its read model', async () => {
    const streams = await new IntegrityChecker(db).streamIds(DEPARTMENT_STREAM_PREFIX);
    const mismatches: string[] = [];
    for (const streamId of streams) {
      const code = streamId.slice(DEPARTMENT_STREAM_PREFIX.length);
      const head = await departmentStateAt(db, code, {});
      if (!head?.matchesReadModel) mismatches.push(`${code} at version ${head?.version}`);
    }

    expect(mismatches).toEqual([]);
  });
});
