import { openDatabase, type SqlClient } from '../database/index.js';
import { DEPARTMENT_STREAM_PREFIX, DepartmentReadModel } from '../projections/index.js';
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
    const departments = await new DepartmentReadModel(db).list();
    const mismatches: string[] = [];
    for (const department of departments) {
      const head = await departmentStateAt(db, department.code, {});
      if (!head?.matchesReadModel) mismatches.push(`${department.code} at version ${head?.version}`);
    }

    expect(mismatches).toEqual([]);
  });

  it('has a read model row for every stream that registers a department', async () => {
    // Event store tests append bare events under department- ids; only registrations make departments.
    const registered = await db.query<{ stream_id: string }>(
      `SELECT stream_id FROM events WHERE stream_id LIKE $1 AND version = 1 AND type = 'DepartmentRegistered'`,
      [`${DEPARTMENT_STREAM_PREFIX}%`],
    );
    const codes = new Set((await new DepartmentReadModel(db).list()).map((department) => department.code));

    expect(registered.map((row) => row.stream_id.slice(DEPARTMENT_STREAM_PREFIX.length)).filter((code) => !codes.has(code))).toEqual([]);
  });
});
