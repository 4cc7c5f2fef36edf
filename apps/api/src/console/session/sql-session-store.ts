import { randomBytes } from 'node:crypto';
import session from 'express-session';
import type { SqlClient } from '../../../../../libs/database/index.js';

type Callback<T = void> = (error?: unknown, value?: T) => void;

/**
 * express-session's store in the product's own database (table `console_sessions`), so a
 * session survives a restart and is shared by every API process. Expired rows are never
 * read, and are swept whenever a session is saved.
 */
export class SqlSessionStore extends session.Store {
  constructor(
    private readonly db: SqlClient,
    private readonly idleMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    super();
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    this.db
      .query<{ data: string }>(`SELECT data FROM console_sessions WHERE sid = $1 AND expires_at > $2`, [sid, this.now()])
      .then(([row]) => callback(undefined, row ? (JSON.parse(row.data) as session.SessionData) : null), callback);
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    const expiresAt = this.expiry(data);
    this.db
      .query(`DELETE FROM console_sessions WHERE expires_at <= $1`, [this.now()])
      .then(() =>
        this.db.query(
          `INSERT INTO console_sessions (sid, data, expires_at) VALUES ($1, $2, $3)
           ON CONFLICT (sid) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
          [sid, JSON.stringify(data), expiresAt],
        ),
      )
      .then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    this.db
      .query(`UPDATE console_sessions SET expires_at = $1 WHERE sid = $2`, [this.expiry(data), sid])
      .then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.db.query(`DELETE FROM console_sessions WHERE sid = $1`, [sid]).then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  /** The cookie's own expiry (rolling: idle time from the last request), or the idle limit from now. */
  private expiry(data: session.SessionData): string {
    const expires = data.cookie?.expires;
    return (expires ? new Date(expires) : new Date(this.clock() + this.idleMs)).toISOString();
  }
}

/** The secret every API process signs session cookies with when the deployment gives none: made once, kept in the database. */
export async function sharedSessionSecret(db: SqlClient): Promise<string> {
  await db.query(`INSERT INTO console_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
    'session-cookie',
    randomBytes(48).toString('base64url'),
  ]);
  const [row] = await db.query<{ value: string }>(`SELECT value FROM console_secrets WHERE name = $1`, ['session-cookie']);
  return row.value;
}
