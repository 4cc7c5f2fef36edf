import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqlClient } from '../../libs/database/index.js';
import { ThrowawayPostgres } from './audit-tamper.js';

/** A database a test has to itself, and the way to close and drop it. */
export interface OwnDatabase {
  readonly db: SqlClient;
  dispose(): Promise<void>;
}

/**
 * PostgreSQL and SQLite, each a database of its own, dropped by `dispose`: for tests whose
 * data would reach other suites on the run's shared database (a lifted append-only
 * protection, a lesson mandatory for every centre).
 */
export function ownDatabaseCases(): Array<{ readonly name: 'postgres' | 'sqlite'; open(): Promise<OwnDatabase> }> {
  return [
    {
      name: 'postgres',
      async open() {
        const throwaway = await ThrowawayPostgres.create();
        const db = await openDatabase({ postgresUrl: throwaway.url });
        return { db, dispose: async () => (await db.close(), await throwaway.drop()) };
      },
    },
    {
      name: 'sqlite',
      async open() {
        const db = await openDatabase({ sqliteFile: join(mkdtempSync(join(tmpdir(), 'ssc-own-')), 'events.sqlite') });
        return { db, dispose: () => db.close() };
      },
    },
  ];
}
