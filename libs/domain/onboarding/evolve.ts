import { dateOf } from '../time.js';
import type { OnboardingEvent } from './events.js';
import { initialState, type DepartmentState } from './state.js';

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
      const { deviationId, area, description, justification, at } = event.data;
      const deviation = { id: deviationId, area, description, justification, status: 'pending' as const };
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
        actualGoLive: to === 'LIVE' ? dateOf(at) : state.actualGoLive,
      };
    }
    case 'SavingsRecorded':
      return { ...state, savings: [...state.savings, { ...event.data }] };
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
    case 'DepartmentWithdrawn':
      return { ...state, ...leftTheClock(event.data.at), stage: 'WITHDRAWN' };
    case 'OnboardingClosed':
      return { ...state, ...leftTheClock(event.data.at), stage: 'CLOSED' };
    case 'LeadReassigned':
      return { ...state, lead: event.data.lead };
    case 'StageDeadlineMissed': {
      const { stage, deadline, at } = event.data;
      return { ...state, overdue: true, missedDeadlines: [...state.missedDeadlines, { stage, deadline, at }] };
    }
    case 'OnboardingEscalated':
      return { ...state, escalations: state.escalations + 1 };
    default: {
      const unknown: never = event;
      throw new Error(`unknown event type '${String((unknown as { type?: unknown }).type)}'`);
    }
  }
}

type ClockFields = 'stageEnteredAt' | 'stageDeadlineAt' | 'deadlineRemainingMs' | 'paused' | 'pauseReason';

/** A finished onboarding has no stage clock and nothing to resume. */
function leftTheClock(at: string): Pick<DepartmentState, ClockFields> {
  return { stageEnteredAt: at, stageDeadlineAt: null, deadlineRemainingMs: null, paused: false, pauseReason: null };
}
