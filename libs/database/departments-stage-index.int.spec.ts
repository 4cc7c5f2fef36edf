import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { uniqueSuffix } from '../../test/support/databases.js';
import { testDatabaseUrl } from '../../test/support/env.js';
import { createDataSource, openDatabase, type DatabaseTarget } from './index.js';

/**
 * Migration 1764500003000 replaces the index on `departments (stage)` by one on
 * (stage, code, centre), which the stuck list's stage filter reads alone. Each database
 * runs it from empty, and back, on a database of the test's own: reverting on the run's
 * shared one would take an index from under the other tests.
 */
interface MigrationCase {
  readonly name: string;
  target(): Promise<{ target: DatabaseTarget; dispose(): Promise<void> }>;
  /** Indexes on `departments` as name → columns in order, primary key left out. */
  indexes(target: DatabaseTarget): Promise<Record<string, string[]>>;
}

const postgres: MigrationCase = {
  name: 'postgres',
  async target() {
    const name = `ssc_migration_${uniqueSuffix().toLowerCase()}`;
    const admin = testDatabaseUrl();
    await withClient(admin, (client) => client.query(`CREATE DATABASE "${name}"`));
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return {
      target: { postgresUrl: url.toString() },
      dispose: async () => {
        await withClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      },
    };
  },
  async indexes(target) {
    if (!('postgresUrl' in target)) throw new Error('a PostgreSQL target');
    const { rows } = await withClient(target.postgresUrl, (client) =>
      client.query<{ index: string; column: string }>(
        `SELECT i.relname AS index, a.attname AS column
           FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid
           JOIN pg_class t ON t.oid = x.indrelid
           JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, position) ON TRUE
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
          WHERE t.relname = 'departments' AND NOT x.indisprimary
          ORDER BY i.relname, k.position`,
      ),
    );
    return group(rows);
  },
};

const sqlite: MigrationCase = {
  name: 'sqlite',
  async target() {
    return { target: { sqliteFile: join(mkdtempSync(join(tmpdir(), 'ssc-sqlite-')), 'events.sqlite') }, dispose: async () => undefined };
  },
  async indexes(target) {
    // A data source, not openDatabase: that would migrate the reverted schema up again.
    const dataSource = createDataSource(target);
    await dataSource.initialize();
    try {
      const rows: { index: string; column: string }[] = await dataSource.query(
        `SELECT m.name AS "index", c.name AS "column"
           FROM sqlite_master m, pragma_index_info(m.name) c
          WHERE m.type = 'index' AND m.tbl_name = 'departments' AND m.name NOT LIKE 'sqlite_autoindex_%'
          ORDER BY m.name, c.seqno`,
      );
      return group(rows);
    } finally {
      await dataSource.destroy();
    }
  },
};

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function group(rows: readonly { index: string; column: string }[]): Record<string, string[]> {
  const indexes: Record<string, string[]> = {};
  for (const { index, column } of rows) (indexes[index] ??= []).push(column);
  return indexes;
}

describe.each([postgres, sqlite])('the departments stage index migration on $name', (database) => {
  let target: DatabaseTarget;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ target, dispose } = await database.target());
  });
  afterAll(async () => {
    await dispose();
  });

  it('replaces the index on stage by one on stage, code and centre', async () => {
    await (await openDatabase(target)).close();
    expect(await database.indexes(target)).toEqual({
      departments_centre: ['centre'],
      departments_overdue: ['overdue'],
      departments_stage_code_centre: ['stage', 'code', 'centre'],
    });
  });

  it('reverts to the index on stage alone, and runs again after', async () => {
    const dataSource = createDataSource(target);
    await dataSource.initialize();
    try {
      await dataSource.undoLastMigration({ transaction: 'each' });
    } finally {
      await dataSource.destroy();
    }
    expect(await database.indexes(target)).toEqual({
      departments_centre: ['centre'],
      departments_overdue: ['overdue'],
      departments_stage: ['stage'],
    });
    await (await openDatabase(target)).close();
    expect(Object.keys(await database.indexes(target))).toContain('departments_stage_code_centre');
  });
});
