import type { Pool, PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

export type Dialect = 'postgres' | 'sqlite';

/** Runs SQL written with `$1, $2…` placeholders on either dialect. */
export interface SqlExecutor {
  readonly dialect: Dialect;
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/**
 * SQLite's positional `?` placeholders bind in order of appearance, so `$n` placeholders
 * are rewritten and their values repeated in that order.
 */
export function toDialectSql(dialect: Dialect, sql: string, params: readonly unknown[]): [string, unknown[]] {
  if (dialect === 'postgres') return [sql, [...params]];
  const ordered: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_match, index: string) => {
    ordered.push(toSqliteValue(params[Number(index) - 1]));
    return '?';
  });
  return [text, ordered];
}

function toSqliteValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

class ManagerExecutor implements SqlExecutor {
  constructor(
    readonly dialect: Dialect,
    private readonly manager: EntityManager,
  ) {}

  async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const [text, values] = toDialectSql(this.dialect, sql, params);
    const rows: unknown = await this.manager.query(text, values);
    return Array.isArray(rows) ? (rows as T[]) : [];
  }
}

/**
 * A PostgreSQL client lent by the pool for one transaction. Queries go through pg's
 * callback form: with a client's promise form (the one TypeORM's query runners use) about
 * 3 MB survived every scavenge of V8's young generation and each scavenge paused the
 * process for 5 ms; with the callback form, or the pool's own query, 0.1 MB and under 1 ms
 * (3,000 reads of 100 rows each way; docs/performance.md).
 */
class PoolClientExecutor implements SqlExecutor {
  readonly dialect = 'postgres';

  constructor(private readonly client: PoolClient) {}

  query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return new Promise<T[]>((resolve, reject) => {
      this.client.query(sql, [...params], (error, result) => (error ? reject(error) : resolve((result.rows ?? []) as T[])));
    });
  }
}

/**
 * The one handle on the database that libraries receive. On PostgreSQL it uses the pg pool
 * TypeORM opened (TypeORM itself keeps the migrations); a statement outside a transaction
 * is the pool's own query, a transaction holds one client from BEGIN to COMMIT. TypeORM
 * drives a single better-sqlite3 connection, so SQLite transactions in one process are
 * queued here instead of colliding; PostgreSQL transactions run concurrently.
 */
export class SqlClient implements SqlExecutor {
  readonly dialect: Dialect;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {
    this.dialect = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    // Several statements in one text answer with a list of results, which has no rows: [] then, as through TypeORM.
    if (this.dialect === 'postgres') return ((await this.pool().query(sql, [...params])).rows ?? []) as T[];
    return this.serialised(() => new ManagerExecutor(this.dialect, this.dataSource.manager).query<T>(sql, params));
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') return this.poolTransaction(work);
    return this.serialised(() => this.dataSource.transaction((manager) => work(new ManagerExecutor(this.dialect, manager))));
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  private async poolTransaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool().connect();
    const tx = new PoolClientExecutor(client);
    try {
      await tx.query('BEGIN');
      const result = await work(tx);
      await tx.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      // A client that cannot even roll back is broken: the pool drops it instead of lending it again.
      const rollbackFailure = await tx.query('ROLLBACK').then(
        () => undefined,
        (failure: unknown) => (failure instanceof Error ? failure : new Error(String(failure))),
      );
      client.release(rollbackFailure);
      throw error;
    }
  }

  private serialised<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
