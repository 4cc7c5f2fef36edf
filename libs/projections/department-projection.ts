import { createHash } from 'node:crypto';
import { departmentCodeOf, evolve, initialState, isFinishedStage, type DepartmentState, type OnboardingEvent } from '../domain/index.js';
import type { SqlExecutor } from '../database/index.js';
import type { InlineProjection, PendingEvent, StatementPlan, StoredEvent } from '../event-store/index.js';
import { RECORDED_STUCK_REASONS, recordedStuckFacts, saveRecordedStuckFacts } from './stuck-projection.js';

export function toDomainEvent(event: Pick<StoredEvent, 'type' | 'data'>): OnboardingEvent {
  return { type: event.type, data: event.data } as OnboardingEvent;
}

/** Folds stored events with the same `evolve` the workflow uses. */
export function foldStored(events: readonly Pick<StoredEvent, 'type' | 'data'>[], from: DepartmentState = initialState): DepartmentState {
  return events.reduce((state, event) => evolve(state, toDomainEvent(event)), from);
}

async function readStateText(db: SqlExecutor, code: string): Promise<string | null> {
  const [row] = await db.query<{ state: string }>(`SELECT state FROM departments WHERE code = $1`, [code]);
  return row ? row.state : null;
}

async function loadState(tx: SqlExecutor, code: string): Promise<DepartmentState> {
  const text = await readStateText(tx, code);
  return text === null ? initialState : (JSON.parse(text) as DepartmentState);
}

const UPSERT_DEPARTMENT = `INSERT INTO departments (code, name, centre, stage, paused, overdue, lead, planned_go_live, actual_go_live,
       stage_entered_at, stage_deadline_at, version, state, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (code) DO UPDATE SET name = $2, centre = $3, stage = $4, paused = $5, overdue = $6, lead = $7,
       planned_go_live = $8, actual_go_live = $9, stage_entered_at = $10, stage_deadline_at = $11, version = $12,
       state = $13, updated_at = $14`;

function departmentRow(state: DepartmentState, updatedAt: string): unknown[] {
  return [
    state.code,
    state.name,
    state.centre,
    state.stage,
    state.paused,
    state.overdue,
    state.lead,
    state.plannedGoLive,
    state.actualGoLive,
    state.stageEnteredAt,
    state.stageDeadlineAt,
    state.version,
    JSON.stringify(state),
    updatedAt,
  ];
}

export async function saveDepartment(tx: SqlExecutor, state: DepartmentState, updatedAt: string): Promise<void> {
  await tx.query(UPSERT_DEPARTMENT, departmentRow(state, updatedAt));
}

/**
 * Keeps the `departments` read model and the department's recorded stuck facts in step
 * with each append, in the same transaction: one read of the row, one fold, one write of
 * both (on PostgreSQL a single statement). On PostgreSQL an append normally takes the
 * statement path below instead, and this runs only when that one cannot.
 */
async function projectInTransaction(tx: SqlExecutor, appended: readonly StoredEvent[]): Promise<void> {
  const byDepartment = new Map<string, StoredEvent[]>();
  for (const event of appended) {
    const code = departmentCodeOf(event.streamId);
    if (code !== null) byDepartment.set(code, [...(byDepartment.get(code) ?? []), event]);
  }
  for (const [code, events] of byDepartment) {
    const state = foldStored(events, await loadState(tx, code));
    const at = events[events.length - 1].recordedAt;
    if (tx.dialect === 'postgres') {
      await saveDepartmentAndStuckFacts(tx, state, at);
    } else {
      await saveDepartment(tx, state, at);
      await saveRecordedStuckFacts(tx, state, at);
    }
  }
}

/**
 * PostgreSQL: the same projection as one call of `project_department` (migration
 * 1764500002600) made by the append's own statement. It folds onto the row's state text:
 * the text this projection wrote last time, when the event store remembers it, or else
 * the row read here, before the append and without a lock. Either way the function
 * refuses (SV412) if the row no longer holds that very text (another writer, a rebuild),
 * and the event store reads again.
 */
async function projectInStatement(
  db: SqlExecutor,
  pending: readonly PendingEvent[],
  remembered?: string,
): Promise<StatementPlan | null | 'transaction'> {
  const ours = pending.filter((event) => departmentCodeOf(event.streamId) !== null);
  if (ours.length === 0) return null;
  if (ours.length !== pending.length || new Set(ours.map((event) => event.streamId)).size > 1) return 'transaction';
  const code = departmentCodeOf(ours[0].streamId)!;
  const before = remembered ?? (await readStateText(db, code));
  const state = foldStored(ours, before === null ? initialState : (JSON.parse(before) as DepartmentState));
  const text = JSON.stringify(state);
  return {
    fn: 'project_department',
    remember: text,
    args: {
      readDigest: before === null ? null : createHash('sha256').update(before, 'utf8').digest('hex'),
      code: state.code,
      name: state.name,
      centre: state.centre,
      stage: state.stage,
      paused: state.paused,
      overdue: state.overdue,
      lead: state.lead,
      plannedGoLive: state.plannedGoLive,
      actualGoLive: state.actualGoLive,
      stageEnteredAt: state.stageEnteredAt,
      stageDeadlineAt: state.stageDeadlineAt,
      version: state.version,
      state: text,
      updatedAt: ours[ours.length - 1].recordedAt,
      finished: isFinishedStage(state.stage),
      recordedReasons: RECORDED_STUCK_REASONS,
      facts: recordedStuckFacts(state).map((fact) => ({ reason: fact.reason, since: fact.since, detail: JSON.stringify(fact.detail) })),
    },
  };
}

/** The department read model and its recorded stuck facts, kept with every append to a department stream. */
export const projectDepartments: InlineProjection = Object.assign(projectInTransaction, { inStatement: projectInStatement });

/**
 * PostgreSQL: the department row and its recorded stuck facts in one statement. Facts no
 * longer true are deleted, true ones upserted (the two never touch the same row); a
 * finished department loses every stuck fact, observed ones too.
 */
async function saveDepartmentAndStuckFacts(tx: SqlExecutor, state: DepartmentState, at: string): Promise<void> {
  const facts = recordedStuckFacts(state);
  await tx.query(
    `WITH saved AS (${UPSERT_DEPARTMENT} RETURNING code),
     cleared AS (
       DELETE FROM stuck_onboardings WHERE code = $1
         AND ($15 OR (reason = ANY($16::text[]) AND NOT (reason = ANY($17::text[]))))
     ),
     kept AS (
       INSERT INTO stuck_onboardings (code, reason, since, detail, observed_at)
       SELECT $1, fact.reason, fact.since, fact.detail, $14 FROM json_to_recordset($18::json) AS fact(reason text, since text, detail text)
       ON CONFLICT (code, reason) DO UPDATE SET since = excluded.since, detail = excluded.detail, observed_at = excluded.observed_at
     )
     SELECT code FROM saved`,
    [
      ...departmentRow(state, at),
      isFinishedStage(state.stage),
      RECORDED_STUCK_REASONS,
      facts.map((fact) => fact.reason),
      JSON.stringify(facts.map((fact) => ({ reason: fact.reason, since: fact.since, detail: JSON.stringify(fact.detail) }))),
    ],
  );
}
