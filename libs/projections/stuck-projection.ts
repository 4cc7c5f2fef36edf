import { GO_LIVE_ROLES, isFinishedStage, type DepartmentState, type GoLiveRole } from '../domain/index.js';
import type { SqlExecutor } from '../database/index.js';

/** Why an onboarding is listed as stuck, as operations staff filter it. */
export const STUCK_REASONS = ['deadline-missed', 'activity-failing', 'workflow-task-failing', 'awaiting-decision'] as const;
export type StuckReason = (typeof STUCK_REASONS)[number];

/** Reasons that follow from the event log alone; the other two are observed in Temporal. */
export const RECORDED_STUCK_REASONS: readonly StuckReason[] = ['deadline-missed', 'awaiting-decision'];
export const OBSERVED_STUCK_REASONS: readonly StuckReason[] = ['activity-failing', 'workflow-task-failing'];

/** One reason one department is stuck, from when, with what operations need to act. */
export interface StuckFact {
  readonly reason: StuckReason;
  /** ISO instant the department became stuck for this reason. */
  readonly since: string;
  readonly detail: Record<string, unknown>;
}

export type PendingDecision =
  | { readonly kind: 'deviation'; readonly deviationId: string; readonly area: string; readonly since: string }
  | { readonly kind: 'go-live'; readonly role: GoLiveRole; readonly lastDecision: 'no-go' | null; readonly since: string };

/** Decisions someone owes this department, oldest first. */
export function pendingDecisions(state: DepartmentState): PendingDecision[] {
  if (!state.registered || isFinishedStage(state.stage)) return [];
  const deviations: PendingDecision[] = state.deviations
    .filter((deviation) => deviation.status === 'pending')
    .map((deviation) => ({ kind: 'deviation', deviationId: deviation.id, area: deviation.area, since: iso(deviation.requestedAt) }));
  // In GO_LIVE every voice that has not said `go` is owed; a no-go waits for a new decision.
  const goLive: PendingDecision[] =
    state.stage === 'GO_LIVE'
      ? GO_LIVE_ROLES.flatMap((role): PendingDecision[] => {
          const latest = state.goLiveDecisions[role];
          if (latest?.decision === 'go') return [];
          const since = latest && Date.parse(latest.at) > Date.parse(state.stageEnteredAt) ? latest.at : state.stageEnteredAt;
          return [{ kind: 'go-live', role, lastDecision: latest ? 'no-go' : null, since: iso(since) }];
        })
      : [];
  return [...deviations, ...goLive].sort((a, b) => a.since.localeCompare(b.since));
}

/**
 * The stuck facts the event log proves by itself. Awaiting-decision is recorded as soon as
 * a decision is owed; the list shows it only once it has waited longer than the configured
 * limit, so changing the limit needs no rebuild.
 */
export function recordedStuckFacts(state: DepartmentState): StuckFact[] {
  if (!state.registered || isFinishedStage(state.stage)) return [];
  const facts: StuckFact[] = [];
  const missed = state.missedDeadlines.at(-1);
  if (state.overdue && missed) {
    facts.push({
      reason: 'deadline-missed',
      since: iso(missed.deadline),
      detail: { stage: missed.stage, deadline: iso(missed.deadline), recordedAt: iso(missed.at), paused: state.paused, escalations: state.escalations },
    });
  }
  const pending = pendingDecisions(state);
  if (pending.length > 0) {
    facts.push({ reason: 'awaiting-decision', since: pending[0].since, detail: { pending, paused: state.paused } });
  }
  return facts;
}

/** Replaces a department's recorded stuck facts; a finished department is stuck for no reason at all. */
export async function saveRecordedStuckFacts(tx: SqlExecutor, state: DepartmentState, observedAt: string): Promise<void> {
  if (isFinishedStage(state.stage)) {
    await tx.query(`DELETE FROM stuck_onboardings WHERE code = $1`, [state.code]);
    return;
  }
  await tx.query(`DELETE FROM stuck_onboardings WHERE code = $1 AND reason IN ($2, $3)`, [state.code, ...RECORDED_STUCK_REASONS]);
  for (const fact of recordedStuckFacts(state)) {
    await tx.query(`INSERT INTO stuck_onboardings (code, reason, since, detail, observed_at) VALUES ($1, $2, $3, $4, $5)`, [
      state.code,
      fact.reason,
      fact.since,
      JSON.stringify(fact.detail),
      observedAt,
    ]);
  }
}

function iso(instant: string): string {
  return new Date(instant).toISOString();
}
