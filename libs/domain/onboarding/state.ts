import {
  DEFAULT_DEADLINES,
  type Attribution,
  type DeadlineStage,
  type DeviationDecision,
  type GoLiveDecisionValue,
  type GoLiveRole,
  type Stage,
  type Workstream,
} from './stages.js';

export interface Assessment {
  sro: string;
  score: number;
  contractManagementFte: number;
  notes: string | null;
  at: string;
}

export interface Baseline {
  annualCostPence: number;
  implementationCostPence: number;
  headcountServed: number;
  at: string;
}

export interface Deviation {
  id: string;
  area: string;
  description: string;
  justification: string;
  status: 'pending' | DeviationDecision;
  requestedAt: string;
  decidedAt: string | null;
  reason: string | null;
}

export interface MigrationWorkstream {
  recordsExtracted: number;
  recordsLoaded: number;
  evidenceRef: string;
  /** Records loaded equal records extracted. */
  reconciled: boolean;
  recordedAt: string;
}

export interface GoLiveDecision {
  decision: GoLiveDecisionValue;
  reason: string;
  by: string | null;
  at: string;
}

export interface SavingsRecord {
  period: string;
  amountPence: number;
  attribution: Attribution;
  evidenceRef: string;
  at: string;
}

export interface MissedDeadline {
  stage: Stage;
  /** The instant the deadline fell. */
  deadline: string;
  at: string;
}

export interface DepartmentState {
  registered: boolean;
  code: string;
  name: string;
  centre: string;
  lead: string | null;
  stage: Stage;
  paused: boolean;
  pauseReason: string | null;
  /** The current stage's deadline was missed; cleared on advancing. */
  overdue: boolean;
  plannedGoLive: string;
  /** The date of the StageAdvanced into LIVE. */
  actualGoLive: string | null;
  registeredAt: string;
  stageEnteredAt: string;
  deadlines: Record<DeadlineStage, string>;
  /** Null while paused, in LIVE and after. */
  stageDeadlineAt: string | null;
  /** Set while paused: time left on the stage clock. */
  deadlineRemainingMs: number | null;
  acknowledgedLessons: string[];
  assessment: Assessment | null;
  baseline: Baseline | null;
  deviations: Deviation[];
  workstreams: Record<Workstream, MigrationWorkstream | null>;
  /** The latest decision per role. */
  goLiveDecisions: Record<GoLiveRole, GoLiveDecision | null>;
  savings: SavingsRecord[];
  missedDeadlines: MissedDeadline[];
  escalations: number;
  /** Number of events folded. */
  version: number;
}

export const initialState: DepartmentState = Object.freeze({
  registered: false,
  code: '',
  name: '',
  centre: '',
  lead: null,
  stage: 'LESSONS',
  paused: false,
  pauseReason: null,
  overdue: false,
  plannedGoLive: '',
  actualGoLive: null,
  registeredAt: '',
  stageEnteredAt: '',
  deadlines: { ...DEFAULT_DEADLINES },
  stageDeadlineAt: null,
  deadlineRemainingMs: null,
  acknowledgedLessons: [],
  assessment: null,
  baseline: null,
  deviations: [],
  workstreams: { hr: null, finance: null, payroll: null, procurement: null },
  goLiveDecisions: { 'department-sro': null, centre: null, programme: null },
  savings: [],
  missedDeadlines: [],
  escalations: 0,
  version: 0,
}) as DepartmentState;
