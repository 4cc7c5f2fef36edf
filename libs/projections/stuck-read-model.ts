import type { SqlExecutor } from '../database/index.js';
import {
  OBSERVED_STUCK_REASONS,
  STUCK_REASONS,
  type PendingDecision,
  type StuckFact,
  type StuckReason,
} from './stuck-projection.js';

export interface StuckFilter {
  readonly reason?: StuckReason;
  readonly stage?: string;
  readonly centre?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/** A department stuck for one reason, as operations see it. */
export interface StuckOnboarding {
  readonly code: string;
  /** Null only when the workflow is stuck before its registration reached the event store. */
  readonly stage: string | null;
  readonly centre: string | null;
  readonly reason: StuckReason;
  readonly since: string;
  readonly detail: Record<string, unknown>;
  /** When this row was last confirmed (an append, or a sweep of Temporal). */
  readonly observedAt: string;
}

interface StuckRow {
  code: string;
  reason: StuckReason;
  since: string;
  detail: string;
  observed_at: string;
  stage: string | null;
  centre: string | null;
}

export const MAX_STUCK_PAGE = 1000;

/** A page of the stuck list and when the sweep of Temporal last ran (undefined until it has run once). */
export interface StuckPage {
  readonly entries: StuckOnboarding[];
  readonly sweptAt: string | undefined;
}

/** The indexed read of one page, oldest first; `since`, `code` and `reason` order it completely, so pages never overlap. */
function pageQuery(filter: StuckFilter, decisionCutoff: string, sweep?: string): { sql: string; params: unknown[] } {
  const params: unknown[] = ['awaiting-decision', decisionCutoff];
  // Every row also carries the sweep's last run, read once by a scalar subquery.
  if (sweep !== undefined) params.push(sweep);
  const sweptAt = sweep === undefined ? '' : '(SELECT swept_at FROM operations_sweeps WHERE name = $3) AS swept_at, ';
  const conditions = ['(s.reason <> $1 OR s.since <= $2)'];
  const add = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    params.push(value);
    conditions.push(`${column} = $${params.length}`);
  };
  add('s.reason', filter.reason);
  add('d.stage', filter.stage);
  add('d.centre', filter.centre);
  params.push(Math.min(filter.limit ?? 100, MAX_STUCK_PAGE), filter.offset ?? 0);
  return {
    sql: `SELECT ${sweptAt}s.code, s.reason, s.since, s.detail, s.observed_at, d.stage, d.centre
       FROM stuck_onboardings s LEFT JOIN departments d ON d.code = s.code
       WHERE ${conditions.join(' AND ')}
       ORDER BY s.since, s.code, s.reason
       LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  };
}

/**
 * The `stuck_onboardings` table: recorded facts (deadline missed, decision owed) kept by an
 * inline projection, observed facts (failing activity or workflow task) kept by the
 * worker's sweep of Temporal. A decision counts as stuck once it has waited longer than
 * `decisionWaitLimitMs`.
 */
export class StuckReadModel {
  constructor(
    private readonly db: SqlExecutor,
    private readonly decisionWaitLimitMs: number,
  ) {}

  /** Oldest first: the department that has waited longest is at the top. */
  async list(filter: StuckFilter = {}, now = new Date()): Promise<StuckOnboarding[]> {
    const cutoff = this.decisionCutoff(now);
    const page = pageQuery(filter, cutoff);
    const rows = await this.db.query<StuckRow>(page.sql, page.params);
    return rows.map((row) => toStuck(row, cutoff));
  }

  /**
   * The same page, and when the sweep named `sweep` (an `operations_sweeps` row) last ran:
   * the list is always shown with its sweep, so the page's statement reads it too, as a
   * column every row carries, and only an empty page (nothing stuck, or past the end) pays
   * a second round trip for it. A scalar subquery leaves the page's plan as it is; joining
   * the page to the sweep made PostgreSQL plan and sort it again, 0.2 ms on every read.
   */
  async listWithSweep(filter: StuckFilter, sweep: string, now = new Date()): Promise<StuckPage> {
    const cutoff = this.decisionCutoff(now);
    const page = pageQuery(filter, cutoff, sweep);
    const rows = await this.db.query<StuckRow & { swept_at: string | null }>(page.sql, page.params);
    const sweptAt = rows.length > 0 ? rows[0].swept_at : await this.lastSweep(sweep);
    return { entries: rows.map((row) => toStuck(row, cutoff)), sweptAt: sweptAt ?? undefined };
  }

  private async lastSweep(sweep: string): Promise<string | null> {
    const [row] = await this.db.query<{ swept_at: string | null }>(`SELECT swept_at FROM operations_sweeps WHERE name = $1`, [sweep]);
    return row?.swept_at ?? null;
  }

  /** How many departments are stuck for each reason right now (the worker's gauges). */
  async counts(now = new Date()): Promise<Record<StuckReason, number>> {
    const rows = await this.db.query<{ reason: StuckReason; count: number | string }>(
      `SELECT reason, COUNT(*) AS count FROM stuck_onboardings WHERE reason <> $1 OR since <= $2 GROUP BY reason`,
      ['awaiting-decision', this.decisionCutoff(now)],
    );
    const counts = Object.fromEntries(STUCK_REASONS.map((reason) => [reason, 0])) as Record<StuckReason, number>;
    for (const row of rows) if (row.reason in counts) counts[row.reason] = Number(row.count);
    return counts;
  }

  /** Departments with a fact observed in Temporal, which the next sweep must confirm or clear. */
  async observedCodes(): Promise<string[]> {
    const rows = await this.db.query<{ code: string }>(
      `SELECT DISTINCT code FROM stuck_onboardings WHERE reason IN ($1, $2) ORDER BY code`,
      [...OBSERVED_STUCK_REASONS],
    );
    return rows.map((row) => row.code);
  }

  /**
   * Records what a look at the workflow found for one observed reason: the fact, or null
   * when it no longer holds. A fact that persists keeps the earliest `since`.
   */
  async saveObserved(code: string, reason: StuckReason, fact: StuckFact | null, observedAt: string): Promise<void> {
    if (!OBSERVED_STUCK_REASONS.includes(reason)) throw new Error(`${reason} is recorded from events, not observed`);
    if (fact === null) {
      await this.db.query(`DELETE FROM stuck_onboardings WHERE code = $1 AND reason = $2`, [code, reason]);
      return;
    }
    await this.db.query(
      `INSERT INTO stuck_onboardings (code, reason, since, detail, observed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (code, reason) DO UPDATE SET detail = excluded.detail, observed_at = excluded.observed_at,
         since = CASE WHEN excluded.since < stuck_onboardings.since THEN excluded.since ELSE stuck_onboardings.since END`,
      [code, reason, new Date(fact.since).toISOString(), JSON.stringify(fact.detail), observedAt],
    );
  }

  private decisionCutoff(now: Date): string {
    return new Date(now.getTime() - this.decisionWaitLimitMs).toISOString();
  }
}

function toStuck(row: StuckRow, decisionCutoff: string): StuckOnboarding {
  const detail = JSON.parse(row.detail) as Record<string, unknown>;
  if (row.reason === 'awaiting-decision' && Array.isArray(detail.pending)) {
    // Only the decisions that have waited too long; the rest are not (yet) anyone's problem.
    detail.pending = (detail.pending as PendingDecision[]).filter((decision) => decision.since <= decisionCutoff);
  }
  return {
    code: row.code,
    stage: row.stage,
    centre: row.centre,
    reason: row.reason,
    since: row.since,
    detail,
    observedAt: row.observed_at,
  };
}
