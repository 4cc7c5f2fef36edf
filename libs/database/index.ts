export { openDatabase, createDataSource, MIGRATIONS } from './open-database.js';
export type { DatabaseTarget } from './open-database.js';
export { SqlClient, toDialectSql } from './sql-client.js';
export type { Dialect, SqlExecutor } from './sql-client.js';
export { openConfiguredDatabase } from './connect.js';
