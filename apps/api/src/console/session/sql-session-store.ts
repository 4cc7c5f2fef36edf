import { randomBytes } from 'node:crypto';
import session from 'express-session';
import type { SqlClient } from '../../../../../libs/database/index.js';

/** Enough for every session of a busy day; past it the map starts again (a few extra touches). */
const MAX_REMEMBERED_TOUCHES = 10_000;

type Callback<T = void> = (error?: unknown, value?: T) => void;

/**
 * express-session's store in the product's own database (table `console_sessions`), so a
 * session survives a restart and is shared by every API process. Expired rows are never
 * read, and are swept whenever a session is saved.
 */
export class SqlSessionStore extends session.Store {
  /** When this process last extended each session's expiry. */
  private readonly touchedAt = new Map<string, number>();

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
    this.touchedAt.set(sid, this.clock());
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

  /**
   * express-session touches the store on every request, before the response's last byte, so
   * each page would pay a write. A touch within a tenth of the idle limit (at most a minute) of
   * this process's last one is skipped: the session may then end that much earlier than the
   * idle limit says, never later.
   */
  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    const now = this.clock();
    const last = this.touchedAt.get(sid);
    if (last !== undefined && now - last < Math.min(60_000, this.idleMs / 10)) {
      callback?.();
      return;
    }
    if (this.touchedAt.size >= MAX_REMEMBERED_TOUCHES) this.touchedAt.clear();
    this.touchedAt.set(sid, now);
    this.db
      .query(`UPDATE console_sessions SET expires_at = $1 WHERE sid = $2`, [this.expiry(data), sid])
      .then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.touchedAt.delete(sid);
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
