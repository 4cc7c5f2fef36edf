import { DEADLINE_STAGES, type DeadlineStage } from '../domain/index.js';
import { DAY_MS, type ReportInput } from './ledger.js';

export interface StageStay {
  readonly code: string;
  readonly days: number;
  /** The StageAdvanced event that ended the stay. */
  readonly eventId: string;
}

export interface StageDurationRow {
  readonly centre: string;
  readonly stage: DeadlineStage;
  /** Departments that have left the stage; their stays are what the figures describe. */
  readonly departments: number;
  readonly medianDays: number | null;
  readonly p90Days: number | null;
  readonly longest: { readonly code: string; readonly days: number } | null;
  /** Departments still in the stage at the report's instant, and how long so far. */
  readonly inProgress: ReadonlyArray<{ readonly code: string; readonly daysSoFar: number }>;
  readonly stays: readonly StageStay[];
  readonly provenance: readonly string[];
}

export interface StageDurationsReport {
  readonly asOf: string;
  readonly rows: readonly StageDurationRow[];
}

const round = (days: number) => Math.round(days * 100) / 100;

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : round((sorted[middle - 1] + sorted[middle]) / 2);
}

/**
 * Time spent in each stage, per centre: from entering a stage to the StageAdvanced that
 * left it (calendar time, pauses included: a paused department still waits).
 */
export function stageDurationsReport(input: ReportInput): StageDurationsReport {
  const stays = new Map<string, StageStay[]>();
  const current = new Map<string, Array<{ code: string; daysSoFar: number }>>();
  const key = (centre: string, stage: string) => `${centre}\u0000${stage}`;
  for (const history of input.departments) {
    const { centre, code } = history.state;
    let enteredAt: string | null = null;
    for (const event of history.events) {
      if (event.type === 'DepartmentRegistered') enteredAt = (event.data as { at: string }).at;
      if (event.type !== 'StageAdvanced') continue;
      const { from, at } = event.data as { from: DeadlineStage; at: string };
      if (enteredAt !== null) {
        const list = stays.get(key(centre, from)) ?? [];
        list.push({ code, days: round((Date.parse(at) - Date.parse(enteredAt)) / DAY_MS), eventId: event.eventId });
        stays.set(key(centre, from), list);
      }
      enteredAt = at;
    }
    const stage = history.state.stage;
    if ((DEADLINE_STAGES as readonly string[]).includes(stage) && enteredAt !== null) {
      const list = current.get(key(centre, stage)) ?? [];
      list.push({ code, daysSoFar: round((Date.parse(input.asOf) - Date.parse(enteredAt)) / DAY_MS) });
      current.set(key(centre, stage), list);
    }
  }
  const centres = [...new Set(input.departments.map((history) => history.state.centre))].sort();
  const rows = centres.flatMap((centre) =>
    DEADLINE_STAGES.map((stage) => {
      const list = [...(stays.get(key(centre, stage)) ?? [])].sort((a, b) => a.days - b.days || a.code.localeCompare(b.code));
      const days = list.map((stay) => stay.days);
      const longest = list.at(-1);
      return {
        centre,
        stage,
        departments: list.length,
        medianDays: median(days),
        p90Days: percentile(days, 0.9),
        longest: longest ? { code: longest.code, days: longest.days } : null,
        inProgress: current.get(key(centre, stage)) ?? [],
        stays: list,
        provenance: list.map((stay) => stay.eventId),
      };
    }),
  );
  return { asOf: input.asOf, rows };
}
