import { penceToPounds, WITHDRAWAL_CATEGORIES } from '../domain/index.js';
import { daysBetween, eventsOfType, sum, type DepartmentHistory, type ReportInput } from './ledger.js';

export interface TimetableRow {
  readonly code: string;
  readonly name: string;
  readonly centre: string;
  readonly stage: string;
  /** The plan at registration, whatever re-planning did since. */
  readonly originalPlannedGoLive: string;
  /** The plan in force. */
  readonly plannedGoLive: string;
  readonly actualGoLive: string | null;
  /** The actual go-live, or for an open department past its plan the date of the report: the forecast at best. */
  readonly forecastGoLive: string | null;
  /** Days late against the original plan (negative: early); null for exits and departments not yet past it. */
  readonly slippageDays: number | null;
  /** Days late against the plan in force. */
  readonly slippageAgainstCurrentPlanDays: number | null;
  readonly replans: number;
  readonly overdue: boolean;
  readonly missedDeadlines: number;
  readonly withdrawal: { readonly category: string | null; readonly sunkCostGbp: number; readonly at: string } | null;
  /** Registration, re-plans, the go-live advance and the exit this row was computed from. */
  readonly provenance: readonly string[];
}

export interface TimetableReport {
  readonly asOf: string;
  readonly departments: readonly TimetableRow[];
  readonly summary: {
    readonly registered: number;
    /** LIVE or CLOSED. */
    readonly live: number;
    readonly withdrawn: number;
    /** Over live departments: actual go-live against the original plan. */
    readonly averageSlippageDays: number | null;
    /** Over live departments: actual go-live against the plan in force. */
    readonly averageSlippageAgainstCurrentPlanDays: number | null;
    readonly pastPlannedGoLiveNotLive: number;
    readonly replanned: number;
    readonly exits: {
      readonly total: number;
      readonly byCategory: Readonly<Record<string, number>>;
      readonly sunkCostGbp: number;
    };
    /** Kept for callers of the first report. */
    readonly averageSlippageDaysOfLive: number | null;
  };
  readonly provenance: {
    readonly live: readonly string[];
    readonly withdrawn: readonly string[];
    readonly replanned: readonly string[];
  };
}

function average(values: readonly number[]): number | null {
  return values.length === 0 ? null : Math.round((sum(values) / values.length) * 10) / 10;
}

function row(history: DepartmentHistory, today: string): TimetableRow {
  const state = history.state;
  const original = state.originalPlannedGoLive || state.plannedGoLive;
  const live = state.actualGoLive !== null;
  const open = !live && state.stage !== 'WITHDRAWN';
  const forecast = live ? state.actualGoLive : open && today > state.plannedGoLive ? today : open ? state.plannedGoLive : null;
  const slip = (plan: string) => (forecast === null || (!live && forecast <= plan) ? null : daysBetween(plan, forecast));
  const withdrawal = state.withdrawal ?? null;
  const evidence = [
    ...eventsOfType(history, 'DepartmentRegistered', 'OnboardingReplanned', 'DepartmentWithdrawn'),
    ...eventsOfType(history, 'StageAdvanced').filter((event) => (event.data as { to: string }).to === 'LIVE'),
  ];
  return {
    code: state.code,
    name: state.name,
    centre: state.centre,
    stage: state.stage,
    originalPlannedGoLive: original,
    plannedGoLive: state.plannedGoLive,
    actualGoLive: state.actualGoLive,
    forecastGoLive: forecast,
    slippageDays: slip(original),
    slippageAgainstCurrentPlanDays: slip(state.plannedGoLive),
    replans: (state.replans ?? []).length,
    overdue: state.overdue,
    missedDeadlines: state.missedDeadlines.length,
    withdrawal: withdrawal && { category: withdrawal.category, sunkCostGbp: penceToPounds(withdrawal.sunkCostPence), at: withdrawal.at },
    provenance: evidence.map((event) => event.eventId),
  };
}

/** The plan kept, the re-plans kept, the actual go-live recorded: slippage is a fact. */
export function timetableReport(input: ReportInput): TimetableReport {
  const today = input.asOf.slice(0, 10);
  const departments = input.departments.map((history) => row(history, today));
  const liveRows = departments.filter((department) => department.actualGoLive !== null);
  const exits = departments.filter((department) => department.stage === 'WITHDRAWN');
  const byCategory: Record<string, number> = Object.fromEntries(WITHDRAWAL_CATEGORIES.map((category) => [category, 0]));
  for (const exit of exits) {
    const category = exit.withdrawal?.category ?? 'uncategorised';
    byCategory[category] = (byCategory[category] ?? 0) + 1;
  }
  const averageSlippageDays = average(liveRows.map((department) => department.slippageDays ?? 0));
  const eventIds = (histories: readonly DepartmentHistory[], ...types: string[]) => histories.flatMap((history) => eventsOfType(history, ...types).map((event) => event.eventId));
  const codes = (rows: readonly TimetableRow[]) => new Set(rows.map((department) => department.code));
  const historiesOf = (rows: readonly TimetableRow[]) => input.departments.filter((history) => codes(rows).has(history.code));
  return {
    asOf: input.asOf,
    departments,
    summary: {
      registered: departments.length,
      live: liveRows.length,
      withdrawn: exits.length,
      averageSlippageDays,
      averageSlippageAgainstCurrentPlanDays: average(liveRows.map((department) => department.slippageAgainstCurrentPlanDays ?? 0)),
      pastPlannedGoLiveNotLive: departments.filter((department) => department.actualGoLive === null && department.slippageAgainstCurrentPlanDays !== null).length,
      replanned: departments.filter((department) => department.replans > 0).length,
      exits: {
        total: exits.length,
        byCategory,
        sunkCostGbp: penceToPounds(sum(input.departments.map((history) => history.state.withdrawal?.sunkCostPence ?? 0))),
      },
      averageSlippageDaysOfLive: averageSlippageDays,
    },
    provenance: {
      live: historiesOf(liveRows).flatMap((history) =>
        eventsOfType(history, 'StageAdvanced')
          .filter((event) => (event.data as { to: string }).to === 'LIVE')
          .map((event) => event.eventId),
      ),
      withdrawn: eventIds(historiesOf(exits), 'DepartmentWithdrawn'),
      replanned: eventIds(input.departments, 'OnboardingReplanned'),
    },
  };
}
