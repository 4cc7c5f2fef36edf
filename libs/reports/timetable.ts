import type { DepartmentState } from '../domain/index.js';

const DAY_MS = 86_400_000;

export interface TimetableRow {
  readonly code: string;
  readonly name: string;
  readonly centre: string;
  readonly stage: string;
  readonly plannedGoLive: string;
  readonly actualGoLive: string | null;
  /** Days late (negative: early). For departments not yet live and already past plan, days late so far. */
  readonly slippageDays: number | null;
  readonly overdue: boolean;
  readonly missedDeadlines: number;
}

export interface TimetableReport {
  readonly asOf: string;
  readonly departments: readonly TimetableRow[];
  readonly summary: {
    readonly live: number;
    readonly averageSlippageDaysOfLive: number | null;
    readonly pastPlannedGoLiveNotLive: number;
    readonly withdrawn: number;
  };
}

function days(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

/** The planned go-live date is kept and the actual one recorded, so slippage is a fact. */
export function timetableReport(states: readonly DepartmentState[], asOf: string): TimetableReport {
  const today = asOf.slice(0, 10);
  const departments = states.map((state) => {
    const live = state.actualGoLive !== null;
    const open = !live && state.stage !== 'WITHDRAWN';
    const slippageDays = live
      ? days(state.plannedGoLive, state.actualGoLive!.slice(0, 10))
      : open && today > state.plannedGoLive
        ? days(state.plannedGoLive, today)
        : null;
    return {
      code: state.code,
      name: state.name,
      centre: state.centre,
      stage: state.stage,
      plannedGoLive: state.plannedGoLive,
      actualGoLive: state.actualGoLive,
      slippageDays,
      overdue: state.overdue,
      missedDeadlines: state.missedDeadlines.length,
    };
  });
  const liveRows = departments.filter((row) => row.actualGoLive !== null);
  return {
    asOf,
    departments,
    summary: {
      live: liveRows.length,
      averageSlippageDaysOfLive:
        liveRows.length === 0 ? null : Math.round((liveRows.reduce((sum, row) => sum + (row.slippageDays ?? 0), 0) / liveRows.length) * 10) / 10,
      pastPlannedGoLiveNotLive: departments.filter((row) => row.actualGoLive === null && row.slippageDays !== null).length,
      withdrawn: departments.filter((row) => row.stage === 'WITHDRAWN').length,
    },
  };
}
