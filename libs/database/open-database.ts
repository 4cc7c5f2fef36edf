import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import { EventStore1764500000000 } from './migrations/1764500000000-event-store.js';
import { AppendOnlyEvents1764500000001 } from './migrations/1764500000001-append-only.js';
import { ReadModels1764500000002 } from './migrations/1764500000002-read-models.js';
import { StuckOnboardings1764500000016 } from './migrations/1764500000016-stuck-onboardings.js';
import { ConsoleSessions1764500001000 } from './migrations/1764500001000-console-sessions.js';
import { AppendFunction1764500001300 } from './migrations/1764500001300-append-function.js';
import { RateLimits1764500002300 } from './migrations/1764500002300-rate-limits.js';
import { ProjectedAppend1764500002600 } from './migrations/1764500002600-projected-append.js';
import { IdempotencyClaims1764500002700 } from './migrations/1764500002700-idempotency-claims.js';
import { IdempotencyKeyExpiry1764500002900 } from './migrations/1764500002900-idempotency-key-expiry.js';
import { DepartmentsStageCovering1764500003000 } from './migrations/1764500003000-departments-stage-covering.js';
import { SqlClient } from './sql-client.js';

export const MIGRATIONS = [
  EventStore1764500000000,
  AppendOnlyEvents1764500000001,
  ReadModels1764500000002,
  StuckOnboardings1764500000016,
  ConsoleSessions1764500001000,
  AppendFunction1764500001300,
  RateLimits1764500002300,
  ProjectedAppend1764500002600,
  IdempotencyClaims1764500002700,
  IdempotencyKeyExpiry1764500002900,
  DepartmentsStageCovering1764500003000,
];

export type DatabaseTarget = { readonly postgresUrl: string } | { readonly sqliteFile: string };

/** Any number of processes may start at once; one of them migrates while the others wait. */
const MIGRATION_LOCK_KEY = 741_852_963;

export function createDataSource(target: DatabaseTarget): DataSource {
  if ('postgresUrl' in target) {
    return new DataSource({
      type: 'postgres',
      url: target.postgresUrl,
      migrations: MIGRATIONS,
      migrationsTableName: 'schema_migrations',
      synchronize: false,
      extra: { max: 20 },
    });
  }
  if (target.sqliteFile !== ':memory:') mkdirSync(dirname(target.sqliteFile), { recursive: true });
  return new DataSource({
    type: 'better-sqlite3',
    database: target.sqliteFile,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    enableWAL: true,
    timeout: 15_000,
  });
}

/** Connects and brings the schema up to date through migrations (never `synchronize`). */
export async function openDatabase(target: DatabaseTarget): Promise<SqlClient> {
  const dataSource = createDataSource(target);
  await dataSource.initialize();
  const client = new SqlClient(dataSource);
  try {
    if (client.dialect === 'postgres') {
      const runner = dataSource.createQueryRunner();
      try {
        await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await dataSource.runMigrations({ transaction: 'each' });
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
        await runner.release();
      }
    } else {
      await dataSource.runMigrations({ transaction: 'each' });
    }
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}
