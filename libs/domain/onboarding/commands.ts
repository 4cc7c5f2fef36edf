import { unionMembers } from '../union-members.js';
import type { Attribution, CostBearer, DeadlineStage, DeviationDecision, GoLiveDecisionValue, GoLiveRole, Stage, WithdrawalCategory, Workstream } from './stages.js';

// Every command carries its own time: `at` is an ISO 8601 instant chosen by the caller
// (the workflow clock), never read from a clock here.

export interface RegisterDepartment {
  readonly type: 'RegisterDepartment';
  readonly at: string;
  readonly code: string;
  readonly name: string;
  readonly centre: string;
  /** YYYY-MM-DD */
  readonly plannedGoLive: string;
  /** ISO 8601 durations overriding DEFAULT_DEADLINES. */
  readonly deadlines?: Partial<Record<DeadlineStage, string>>;
  readonly lead?: string;
}

export interface AcknowledgeLesson {
  readonly type: 'AcknowledgeLesson';
  readonly at: string;
  readonly lessonId: string;
  readonly by: string;
}

export interface RecordAssessment {
  readonly type: 'RecordAssessment';
  readonly at: string;
  readonly sro: string;
  /** Intelligent-customer capability, integer 1..5. */
  readonly score: number;
  readonly contractManagementFte: number;
  readonly notes?: string;
}

export interface RecordBaseline {
  readonly type: 'RecordBaseline';
  readonly at: string;
  readonly annualCostPence: number;
  readonly implementationCostPence: number;
  readonly headcountServed: number;
  /** What the department expects to save a year once live: the benefit the cost buys. */
  readonly expectedAnnualSavingPence?: number;
}

export interface RequestDeviation {
  readonly type: 'RequestDeviation';
  readonly at: string;
  readonly deviationId: string;
  readonly area: string;
  readonly description: string;
  readonly justification: string;
  /** Every deviation from the standard operating model costs money: estimated once, and each year. */
  readonly oneOffCostPence?: number;
  readonly annualCostPence?: number;
}

export interface DecideDeviation {
  readonly type: 'DecideDeviation';
  readonly at: string;
  readonly deviationId: string;
  readonly decision: DeviationDecision;
  readonly reason: string;
}

export interface RecordMigration {
  readonly type: 'RecordMigration';
  readonly at: string;
  readonly workstream: Workstream;
  readonly recordsExtracted: number;
  readonly recordsLoaded: number;
  readonly evidenceRef: string;
}

export interface RecordGoLiveDecision {
  readonly type: 'RecordGoLiveDecision';
  readonly at: string;
  readonly as: GoLiveRole;
  readonly decision: GoLiveDecisionValue;
  readonly reason: string;
  readonly by?: string;
}

export interface AdvanceStage {
  readonly type: 'AdvanceStage';
  readonly at: string;
  /** The stage the caller believes the department is in. */
  readonly from: Stage;
  /** The library's mandatory lessons for this centre at the moment of advancing. */
  readonly mandatoryLessonIds: readonly string[];
}

export interface RecordSavings {
  readonly type: 'RecordSavings';
  readonly at: string;
  /** YYYY-Qn */
  readonly period: string;
  readonly amountPence: number;
  readonly attribution: Attribution;
  readonly evidenceRef: string;
  /** The id of the event that will record it; the workflow stamps it, so corrections can name it. */
  readonly savingId?: string;
}

/** Supersedes a savings record with a new amount; the record itself is never edited. */
export interface CorrectSavings {
  readonly type: 'CorrectSavings';
  readonly at: string;
  readonly savingId: string;
  readonly amountPence: number;
  readonly reason: string;
}

/** The programme assures a savings record as it now stands. */
export interface VerifySavings {
  readonly type: 'VerifySavings';
  readonly at: string;
  readonly savingId: string;
  readonly note?: string;
}

/** An implementation cost incurred, as it is incurred. */
export interface RecordCost {
  readonly type: 'RecordCost';
  readonly at: string;
  /** YYYY-Qn */
  readonly period: string;
  readonly amountPence: number;
  readonly borneBy: CostBearer;
  readonly category: string;
  readonly evidenceRef: string;
}

/** Moves the planned go-live date and/or extends a stage deadline; the original plan is kept. */
export interface ReplanOnboarding {
  readonly type: 'ReplanOnboarding';
  readonly at: string;
  /** YYYY-MM-DD */
  readonly plannedGoLive?: string;
  readonly extendStage?: { readonly stage: DeadlineStage; /** ISO 8601 duration */ readonly by: string };
  readonly reason: string;
}

export interface PauseOnboarding {
  readonly type: 'PauseOnboarding';
  readonly at: string;
  readonly reason: string;
}

export interface ResumeOnboarding {
  readonly type: 'ResumeOnboarding';
  readonly at: string;
  readonly reason: string;
}

export interface WithdrawDepartment {
  readonly type: 'WithdrawDepartment';
  readonly at: string;
  readonly reason: string;
  /** Absent only in commands from before exits were categorised. */
  readonly category?: WithdrawalCategory;
  /** Money already spent on the onboarding that the exit writes off. */
  readonly sunkCostPence?: number;
}

export interface CloseOnboarding {
  readonly type: 'CloseOnboarding';
  readonly at: string;
  readonly reason: string;
}

export interface ReassignLead {
  readonly type: 'ReassignLead';
  readonly at: string;
  readonly lead: string;
}

export interface MarkDeadlineMissed {
  readonly type: 'MarkDeadlineMissed';
  readonly at: string;
  readonly stage: Stage;
}

export interface EscalateOnboarding {
  readonly type: 'EscalateOnboarding';
  readonly at: string;
  readonly reason: string;
}

/** The workflow's own: escalate an overdue department now, and again every `repeat`. */
export interface EscalateOverdue {
  readonly type: 'EscalateOverdue';
  readonly at: string;
  /** ISO 8601 duration until the next escalation while it stays overdue. */
  readonly repeat: string;
}

export type OnboardingCommand =
  | RegisterDepartment
  | AcknowledgeLesson
  | RecordAssessment
  | RecordBaseline
  | RequestDeviation
  | DecideDeviation
  | RecordMigration
  | RecordGoLiveDecision
  | AdvanceStage
  | RecordSavings
  | PauseOnboarding
  | ResumeOnboarding
  | WithdrawDepartment
  | CloseOnboarding
  | ReassignLead
  | MarkDeadlineMissed
  | EscalateOnboarding
  | CorrectSavings
  | VerifySavings
  | RecordCost
  | ReplanOnboarding
  | EscalateOverdue;

export type OnboardingCommandType = OnboardingCommand['type'];

export const ONBOARDING_COMMAND_TYPES = unionMembers<OnboardingCommandType>({
  RegisterDepartment: true,
  AcknowledgeLesson: true,
  RecordAssessment: true,
  RecordBaseline: true,
  RequestDeviation: true,
  DecideDeviation: true,
  RecordMigration: true,
  RecordGoLiveDecision: true,
  AdvanceStage: true,
  RecordSavings: true,
  PauseOnboarding: true,
  ResumeOnboarding: true,
  WithdrawDepartment: true,
  CloseOnboarding: true,
  ReassignLead: true,
  MarkDeadlineMissed: true,
  EscalateOnboarding: true,
  CorrectSavings: true,
  VerifySavings: true,
  RecordCost: true,
  ReplanOnboarding: true,
  EscalateOverdue: true,
}).all;
