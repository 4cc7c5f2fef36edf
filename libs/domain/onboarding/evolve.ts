import { dateOf } from '../time.js';
import type { OnboardingEvent, OnboardingReplanned } from './events.js';
import { initialState, type DepartmentState, type SavingsRecord } from './state.js';

/** Folds one event into a new state; never mutates and never refuses (history is history). */
export function evolve(state: DepartmentState, event: OnboardingEvent): DepartmentState {
  return { ...apply(state, event), version: state.version + 1 };
}

export function fold(events: readonly OnboardingEvent[], state: DepartmentState = initialState): DepartmentState {
  return events.reduce(evolve, state);
}

function apply(state: DepartmentState, event: OnboardingEvent): DepartmentState {
  switch (event.type) {
    case 'DepartmentRegistered': {
      const { code, name, centre, plannedGoLive, deadlines, lead, stageDeadlineAt, at } = event.data;
      return {
        ...state,
        registered: true,
        code,
        name,
        centre,
        lead,
        plannedGoLive,
        originalPlannedGoLive: plannedGoLive,
        deadlines: { ...deadlines },
        stage: 'LESSONS',
        registeredAt: at,
        stageEnteredAt: at,
        stageDeadlineAt,
      };
    }
    case 'LessonAcknowledged':
      return { ...state, acknowledgedLessons: [...state.acknowledgedLessons, event.data.lessonId] };
    case 'AssessmentRecorded':
      return { ...state, assessment: { ...event.data } };
    case 'BaselineRecorded':
      return { ...state, baseline: { ...event.data } };
    case 'DeviationRequested': {
      const { deviationId, area, description, justification, at, oneOffCostPence, annualCostPence } = event.data;
      const deviation = {
        id: deviationId,
        area,
        description,
        justification,
        status: 'pending' as const,
        ...(oneOffCostPence === undefined ? {} : { oneOffCostPence }),
        ...(annualCostPence === undefined ? {} : { annualCostPence }),
      };
      return {
        ...state,
        deviations: [...state.deviations, { ...deviation, requestedAt: at, decidedAt: null, reason: null }],
      };
    }
    case 'DeviationDecided': {
      const { deviationId, decision, reason, at } = event.data;
      return {
        ...state,
        deviations: state.deviations.map((deviation) =>
          deviation.id === deviationId ? { ...deviation, status: decision, decidedAt: at, reason } : deviation,
        ),
      };
    }
    case 'MigrationWorkstreamRecorded': {
      const { workstream, recordsExtracted, recordsLoaded, evidenceRef, at } = event.data;
      const reconciled = recordsLoaded === recordsExtracted;
      const record = { recordsExtracted, recordsLoaded, evidenceRef, reconciled, recordedAt: at };
      return { ...state, workstreams: { ...state.workstreams, [workstream]: record } };
    }
    case 'GoLiveDecisionRecorded': {
      const { as, decision, reason, by, at } = event.data;
      return { ...state, goLiveDecisions: { ...state.goLiveDecisions, [as]: { decision, reason, by, at } } };
    }
    case 'StageAdvanced': {
      const { to, at, stageDeadlineAt } = event.data;
      return {
        ...state,
        stage: to,
        stageEnteredAt: at,
        stageDeadlineAt,
        deadlineRemainingMs: null,
        overdue: false,
        nextEscalationAt: null,
        actualGoLive: to === 'LIVE' ? dateOf(at) : state.actualGoLive,
      };
    }
    case 'SavingsRecorded': {
      const record = { ...event.data, originalAmountPence: event.data.amountPence, corrections: [], verification: null };
      return { ...state, savings: [...state.savings, record] };
    }
    case 'SavingsCorrected': {
      const { savingId, previousAmountPence, amountPence, reason, at } = event.data;
      return updateSaving(state, savingId, (record) => ({
        ...record,
        amountPence,
        corrections: [...(record.corrections ?? []), { previousAmountPence, amountPence, reason, at }],
        verification: null,
      }));
    }
    case 'SavingsVerified': {
      const { savingId, amountPence, note, at } = event.data;
      return updateSaving(state, savingId, (record) => ({ ...record, verification: { amountPence, note, at } }));
    }
    case 'CostIncurred':
      return { ...state, costs: [...(state.costs ?? []), { ...event.data }] };
    case 'OnboardingReplanned':
      return replanned(state, event.data);
    case 'OnboardingPaused':
      return {
        ...state,
        paused: true,
        pauseReason: event.data.reason,
        stageDeadlineAt: null,
        deadlineRemainingMs: event.data.deadlineRemainingMs,
      };
    case 'OnboardingResumed':
      return {
        ...state,
        paused: false,
        pauseReason: null,
        stageDeadlineAt: event.data.stageDeadlineAt,
        deadlineRemainingMs: null,
      };
    case 'DepartmentWithdrawn': {
      const { reason, from, at, category, sunkCostPence } = event.data;
      const withdrawal = { reason, from, at, category: category ?? null, sunkCostPence: sunkCostPence ?? 0 };
      return { ...state, ...leftTheClock(at), stage: 'WITHDRAWN', nextEscalationAt: null, withdrawal };
    }
    case 'OnboardingClosed':
      return { ...state, ...leftTheClock(event.data.at), stage: 'CLOSED' };
    case 'LeadReassigned':
      return { ...state, lead: event.data.lead };
    case 'StageDeadlineMissed': {
      const { stage, deadline, at } = event.data;
      return { ...state, overdue: true, missedDeadlines: [...state.missedDeadlines, { stage, deadline, at }] };
    }
    case 'OnboardingEscalated': {
      const { nextEscalationAt } = event.data;
      return {
        ...state,
        escalations: state.escalations + 1,
        ...(nextEscalationAt === undefined ? {} : { nextEscalationAt }),
      };
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown event type '${String((unknown as { type?: unknown }).type)}'`);
    }
  }
}

function updateSaving(state: DepartmentState, savingId: string, change: (record: SavingsRecord) => SavingsRecord): DepartmentState {
  return { ...state, savings: state.savings.map((record) => (record.savingId === savingId ? change(record) : record)) };
}

function replanned(state: DepartmentState, data: OnboardingReplanned['data']): DepartmentState {
  const { reason, at, plannedGoLive, extendStage } = data;
  const replan = { reason, at, plannedGoLive, extendStage: extendStage && { stage: extendStage.stage, by: extendStage.by } };
  let next: DepartmentState = {
    ...state,
    originalPlannedGoLive: state.originalPlannedGoLive || state.plannedGoLive,
    plannedGoLive: plannedGoLive?.to ?? state.plannedGoLive,
    replans: [...(state.replans ?? []), replan],
  };
  if (extendStage === null) return next;
  if (extendStage.stage === state.stage) {
    next = { ...next, stageDeadlineAt: extendStage.stageDeadlineAt };
    return extendStage.overdueCleared ? { ...next, overdue: false, nextEscalationAt: null } : next;
  }
  const extensions = { ...(state.stageExtensionsMs ?? {}) };
  extensions[extendStage.stage] = (extensions[extendStage.stage] ?? 0) + extendStage.byMs;
  return { ...next, stageExtensionsMs: extensions };
}

type ClockFields = 'stageEnteredAt' | 'stageDeadlineAt' | 'deadlineRemainingMs' | 'paused' | 'pauseReason';

/** A finished onboarding has no stage clock and nothing to resume. */
function leftTheClock(at: string): Pick<DepartmentState, ClockFields> {
  return { stageEnteredAt: at, stageDeadlineAt: null, deadlineRemainingMs: null, paused: false, pauseReason: null };
}
