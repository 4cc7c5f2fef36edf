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
 * The one handle on the database that libraries receive. TypeORM drives a single
 * better-sqlite3 connection, so SQLite transactions in one process are queued here
 * instead of colliding; PostgreSQL transactions run concurrently from the pool.
 */
export class SqlClient implements SqlExecutor {
  readonly dialect: Dialect;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {
    this.dialect = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const run = () => new ManagerExecutor(this.dialect, this.dataSource.manager).query<T>(sql, params);
    return this.dialect === 'sqlite' ? this.serialised(run) : run();
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const run = () => this.dataSource.transaction((manager) => work(new ManagerExecutor(this.dialect, manager)));
    return this.dialect === 'sqlite' ? this.serialised(run) : run();
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private serialised<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
