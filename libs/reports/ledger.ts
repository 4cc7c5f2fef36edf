import { evolve, initialState, isOnboardingEventType, type DepartmentState, type OnboardingEvent } from '../domain/index.js';

/** An event as the reports need it: what it says, which stream, when, and its id for provenance. */
export interface RecordedEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly type: string;
  readonly data: unknown;
  readonly recordedAt: string;
}

/** One department as the events stood at `asOf`: its folded state and the events behind it. */
export interface DepartmentHistory {
  readonly code: string;
  readonly state: DepartmentState;
  readonly events: readonly RecordedEvent[];
}

/** A cost recorded on a centre's or the programme's own stream. */
export interface LedgerCost {
  readonly eventId: string;
  /** The centre's name, or null for the programme's own costs. */
  readonly centre: string | null;
  readonly amountPence: number;
  readonly period: string;
  readonly borneBy: string;
  readonly category: string;
}

/** Everything a report is computed from, as the events stood at one instant. */
export interface ReportInput {
  readonly asOf: string;
  readonly departments: readonly DepartmentHistory[];
  readonly ledgerCosts: readonly LedgerCost[];
}

const DEPARTMENT_PREFIX = 'department-';
const CENTRE_PREFIX = 'centre-';

/** Is this event one a report reads? The API reads only these streams. */
export function isReportStream(streamId: string): boolean {
  return streamId.startsWith(DEPARTMENT_PREFIX) || streamId.startsWith(CENTRE_PREFIX) || streamId === 'programme';
}

/**
 * Folds the events recorded up to `asOf` (in log order) into the report input; with a
 * centre, only that centre's departments and that centre's own costs count.
 */
export function reportInput(events: readonly RecordedEvent[], asOf: string, centre?: string): ReportInput {
  const cutoff = Date.parse(asOf);
  const byDepartment = new Map<string, RecordedEvent[]>();
  const ledgerCosts: LedgerCost[] = [];
  for (const event of events) {
    if (Date.parse(event.recordedAt) > cutoff) continue;
    if (event.streamId.startsWith(DEPARTMENT_PREFIX)) {
      const code = event.streamId.slice(DEPARTMENT_PREFIX.length);
      byDepartment.set(code, [...(byDepartment.get(code) ?? []), event]);
    } else if (event.type === 'CostIncurred' && (event.streamId === 'programme' || event.streamId.startsWith(CENTRE_PREFIX))) {
      const data = event.data as { amountPence: number; period: string; borneBy: string; category: string };
      const owner = event.streamId === 'programme' ? null : event.streamId.slice(CENTRE_PREFIX.length);
      ledgerCosts.push({ eventId: event.eventId, centre: owner, ...pick(data) });
    }
  }
  const departments = [...byDepartment.entries()]
    .map(([code, history]) => ({ code, events: history, state: foldRecorded(history) }))
    .filter((department) => department.state.registered)
    .filter((department) => centre === undefined || department.state.centre === centre)
    .sort((a, b) => a.code.localeCompare(b.code));
  const costs = centre === undefined ? ledgerCosts : ledgerCosts.filter((cost) => cost.centre === centre.toUpperCase());
  return { asOf, departments, ledgerCosts: costs };
}

function pick(data: { amountPence: number; period: string; borneBy: string; category: string }) {
  return { amountPence: data.amountPence, period: data.period, borneBy: data.borneBy, category: data.category };
}

function foldRecorded(events: readonly RecordedEvent[]): DepartmentState {
  return events.reduce(
    (state, event) => (isOnboardingEventType(event.type) ? evolve(state, { type: event.type, data: event.data } as OnboardingEvent) : state),
    initialState,
  );
}

/** The events of one department of the given types, in order. */
export function eventsOfType(history: DepartmentHistory, ...types: string[]): RecordedEvent[] {
  return history.events.filter((event) => types.includes(event.type));
}

export const DAY_MS = 86_400_000;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
