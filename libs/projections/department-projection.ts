import { DEPARTMENT_STREAM_PREFIX, evolve, initialState, type DepartmentState, type OnboardingEvent } from '../domain/index.js';
import type { SqlExecutor } from '../database/index.js';
import type { StoredEvent } from '../event-store/index.js';


export function toDomainEvent(event: Pick<StoredEvent, 'type' | 'data'>): OnboardingEvent {
  return { type: event.type, data: event.data } as OnboardingEvent;
}

/** Folds stored events with the same `evolve` the workflow uses. */
export function foldStored(events: readonly StoredEvent[], from: DepartmentState = initialState): DepartmentState {
  return events.reduce((state, event) => evolve(state, toDomainEvent(event)), from);
}

async function loadState(tx: SqlExecutor, code: string): Promise<DepartmentState> {
  const [row] = await tx.query<{ state: string }>(`SELECT state FROM departments WHERE code = $1`, [code]);
  return row ? (JSON.parse(row.state) as DepartmentState) : initialState;
}

export async function saveDepartment(tx: SqlExecutor, state: DepartmentState, updatedAt: string): Promise<void> {
  await tx.query(
    `INSERT INTO departments (code, name, centre, stage, paused, overdue, lead, planned_go_live, actual_go_live,
       stage_entered_at, stage_deadline_at, version, state, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (code) DO UPDATE SET name = $2, centre = $3, stage = $4, paused = $5, overdue = $6, lead = $7,
       planned_go_live = $8, actual_go_live = $9, stage_entered_at = $10, stage_deadline_at = $11, version = $12,
       state = $13, updated_at = $14`,
    [
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
    ],
  );
}

/** Keeps the `departments` read model in step with each append, in the same transaction. */
export async function projectDepartments(tx: SqlExecutor, appended: readonly StoredEvent[]): Promise<void> {
  const byStream = new Map<string, StoredEvent[]>();
  for (const event of appended) {
    if (!event.streamId.startsWith(DEPARTMENT_STREAM_PREFIX)) continue;
    byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
  }
  for (const [streamId, events] of byStream) {
    const code = streamId.slice(DEPARTMENT_STREAM_PREFIX.length);
    const state = foldStored(events, await loadState(tx, code));
    await saveDepartment(tx, state, events[events.length - 1].recordedAt);
  }
}
