import { unionMembers } from '../union-members.js';
import type { Attribution, CostBearer, DeadlineStage, DeviationDecision, GoLiveDecisionValue, GoLiveRole, Stage, WithdrawalCategory, Workstream } from './stages.js';

// Events carry every fact evolve needs, including the instants the decider computed
// (deadlines), so a replay never depends on defaults or arithmetic that may change.

export interface DepartmentRegistered {
  readonly type: 'DepartmentRegistered';
  readonly data: {
    readonly code: string;
    readonly name: string;
    readonly centre: string;
    readonly plannedGoLive: string;
    /** The deadlines in force for this department: defaults merged with overrides. */
    readonly deadlines: Readonly<Record<DeadlineStage, string>>;
    readonly lead: string | null;
    /** When the LESSONS deadline falls. */
    readonly stageDeadlineAt: string;
    readonly at: string;
  };
}

export interface LessonAcknowledged {
  readonly type: 'LessonAcknowledged';
  readonly data: { readonly lessonId: string; readonly by: string; readonly at: string };
}

export interface AssessmentRecorded {
  readonly type: 'AssessmentRecorded';
  readonly data: {
    readonly sro: string;
    readonly score: number;
    readonly contractManagementFte: number;
    readonly notes: string | null;
    readonly at: string;
  };
}

export interface BaselineRecorded {
  readonly type: 'BaselineRecorded';
  readonly data: {
    readonly annualCostPence: number;
    readonly implementationCostPence: number;
    readonly headcountServed: number;
    readonly expectedAnnualSavingPence?: number;
    readonly at: string;
  };
}

export interface DeviationRequested {
  readonly type: 'DeviationRequested';
  readonly data: {
    readonly deviationId: string;
    readonly area: string;
    readonly description: string;
    readonly justification: string;
    readonly oneOffCostPence?: number;
    readonly annualCostPence?: number;
    readonly at: string;
  };
}

export interface DeviationDecided {
  readonly type: 'DeviationDecided';
  readonly data: {
    readonly deviationId: string;
    readonly decision: DeviationDecision;
    readonly reason: string;
    readonly at: string;
  };
}

export interface MigrationWorkstreamRecorded {
  readonly type: 'MigrationWorkstreamRecorded';
  readonly data: {
    readonly workstream: Workstream;
    readonly recordsExtracted: number;
    readonly recordsLoaded: number;
    readonly evidenceRef: string;
    readonly at: string;
  };
}

export interface GoLiveDecisionRecorded {
  readonly type: 'GoLiveDecisionRecorded';
  readonly data: {
    readonly as: GoLiveRole;
    readonly decision: GoLiveDecisionValue;
    readonly reason: string;
    readonly by: string | null;
    readonly at: string;
  };
}

export interface StageAdvanced {
  readonly type: 'StageAdvanced';
  readonly data: {
    readonly from: Stage;
    readonly to: Stage;
    readonly at: string;
    /** The mandatory lessons that were checked, kept so an auditor sees what the gate saw. */
    readonly mandatoryLessonIds: readonly string[];
    /** When the new stage's deadline falls; null for LIVE. */
    readonly stageDeadlineAt: string | null;
  };
}

export interface SavingsRecorded {
  readonly type: 'SavingsRecorded';
  readonly data: {
    readonly period: string;
    readonly amountPence: number;
    readonly attribution: Attribution;
    readonly evidenceRef: string;
    /** Equals the id of this event; absent on records from before corrections existed. */
    readonly savingId?: string;
    readonly at: string;
  };
}

export interface SavingsCorrected {
  readonly type: 'SavingsCorrected';
  readonly data: {
    readonly savingId: string;
    readonly previousAmountPence: number;
    readonly amountPence: number;
    readonly reason: string;
    readonly at: string;
  };
}

export interface SavingsVerified {
  readonly type: 'SavingsVerified';
  readonly data: {
    readonly savingId: string;
    /** The amount that was assured; a later correction needs verifying again. */
    readonly amountPence: number;
    readonly note: string | null;
    readonly at: string;
  };
}

/** Also appended to `centre-<CENTRE>` and `programme` streams for costs no department carries. */
export interface CostIncurred {
  readonly type: 'CostIncurred';
  readonly data: {
    readonly period: string;
    readonly amountPence: number;
    readonly borneBy: CostBearer;
    readonly category: string;
    readonly evidenceRef: string;
    readonly at: string;
  };
}

export interface OnboardingReplanned {
  readonly type: 'OnboardingReplanned';
  readonly data: {
    readonly reason: string;
    readonly at: string;
    readonly plannedGoLive: { readonly from: string; readonly to: string } | null;
    readonly extendStage: {
      readonly stage: DeadlineStage;
      readonly by: string;
      readonly byMs: number;
      /** For the current stage: its deadline after the extension; null for a later stage. */
      readonly stageDeadlineAt: string | null;
      /** The extension moved the missed deadline past now: no longer overdue. */
      readonly overdueCleared: boolean;
    } | null;
  };
}

export interface OnboardingPaused {
  readonly type: 'OnboardingPaused';
  readonly data: {
    readonly reason: string;
    readonly at: string;
    /** Time left on the stage clock when it stopped (>= 0); null where the stage has no deadline. */
    readonly deadlineRemainingMs: number | null;
  };
}

export interface OnboardingResumed {
  readonly type: 'OnboardingResumed';
  readonly data: {
    readonly reason: string;
    readonly at: string;
    /** The restarted deadline: resume instant plus the time that was left. */
    readonly stageDeadlineAt: string | null;
  };
}

export interface DepartmentWithdrawn {
  readonly type: 'DepartmentWithdrawn';
  readonly data: {
    readonly reason: string;
    readonly from: Stage;
    readonly at: string;
    readonly category?: WithdrawalCategory;
    readonly sunkCostPence?: number;
  };
}

export interface OnboardingClosed {
  readonly type: 'OnboardingClosed';
  readonly data: { readonly reason: string; readonly at: string };
}

export interface LeadReassigned {
  readonly type: 'LeadReassigned';
  readonly data: { readonly lead: string; readonly previousLead: string | null; readonly at: string };
}

export interface StageDeadlineMissed {
  readonly type: 'StageDeadlineMissed';
  readonly data: {
    readonly stage: Stage;
    /** The instant the deadline fell (not the duration). */
    readonly deadline: string;
    readonly at: string;
  };
}

export interface OnboardingEscalated {
  readonly type: 'OnboardingEscalated';
  readonly data: {
    readonly reason: string;
    readonly stage: Stage;
    readonly at: string;
    /** Set on the workflow's own escalations of an overdue department: when it escalates again. */
    readonly nextEscalationAt?: string;
  };
}

export type OnboardingEvent =
  | DepartmentRegistered
  | LessonAcknowledged
  | AssessmentRecorded
  | BaselineRecorded
  | DeviationRequested
  | DeviationDecided
  | MigrationWorkstreamRecorded
  | GoLiveDecisionRecorded
  | StageAdvanced
  | SavingsRecorded
  | OnboardingPaused
  | OnboardingResumed
  | DepartmentWithdrawn
  | OnboardingClosed
  | LeadReassigned
  | StageDeadlineMissed
  | OnboardingEscalated
  | SavingsCorrected
  | SavingsVerified
  | CostIncurred
  | OnboardingReplanned;

export type OnboardingEventType = OnboardingEvent['type'];

const EVENT_TYPES = unionMembers<OnboardingEventType>({
  DepartmentRegistered: true,
  LessonAcknowledged: true,
  AssessmentRecorded: true,
  BaselineRecorded: true,
  DeviationRequested: true,
  DeviationDecided: true,
  MigrationWorkstreamRecorded: true,
  GoLiveDecisionRecorded: true,
  StageAdvanced: true,
  SavingsRecorded: true,
  OnboardingPaused: true,
  OnboardingResumed: true,
  DepartmentWithdrawn: true,
  OnboardingClosed: true,
  LeadReassigned: true,
  StageDeadlineMissed: true,
  OnboardingEscalated: true,
  SavingsCorrected: true,
  SavingsVerified: true,
  CostIncurred: true,
  OnboardingReplanned: true,
});

export const ONBOARDING_EVENT_TYPES = EVENT_TYPES.all;
export const isOnboardingEventType = EVENT_TYPES.has;
