import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqlClient } from '../../libs/database/index.js';

export interface DatabaseCase {
  readonly name: 'postgres' | 'sqlite';
  open(): Promise<SqlClient>;
}

/** The same integration tests run on the PostgreSQL database of this run and on a fresh SQLite file. */
export function databaseCases(): DatabaseCase[] {
  return [
    {
      name: 'postgres',
      open: () => {
        const url = process.env.TEST_DATABASE_URL;
        if (!url) throw new Error('TEST_DATABASE_URL is not set: run integration tests through jest (global setup)');
        return openDatabase({ postgresUrl: url });
      },
    },
    {
      name: 'sqlite',
      open: () => openDatabase({ sqliteFile: join(mkdtempSync(join(tmpdir(), 'ssc-sqlite-')), 'events.sqlite') }),
    },
  ];
}

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`.toUpperCase();
}
