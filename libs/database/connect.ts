import type { AppConfig } from '../config/index.js';
import { openDatabase } from './open-database.js';
import type { SqlClient } from './sql-client.js';

/** PostgreSQL when DATABASE_URL is set, otherwise the embedded SQLite file in DATA_DIR. */
export function openConfiguredDatabase(config: Pick<AppConfig, 'databaseUrl' | 'sqliteFile'>): Promise<SqlClient> {
  return openDatabase(config.databaseUrl ? { postgresUrl: config.databaseUrl } : { sqliteFile: config.sqliteFile });
}
