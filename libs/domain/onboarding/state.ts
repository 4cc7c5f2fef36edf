import {
  DEFAULT_DEADLINES,
  type Attribution,
  type CostBearer,
  type DeadlineStage,
  type DeviationDecision,
  type GoLiveDecisionValue,
  type GoLiveRole,
  type Stage,
  type WithdrawalCategory,
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
  expectedAnnualSavingPence?: number;
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
  oneOffCostPence?: number;
  annualCostPence?: number;
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

export interface SavingsCorrection {
  previousAmountPence: number;
  amountPence: number;
  reason: string;
  at: string;
}

export interface SavingsVerification {
  amountPence: number;
  note: string | null;
  at: string;
}

export interface SavingsRecord {
  /** The id of the event that recorded it; absent on records from before corrections existed. */
  savingId?: string;
  period: string;
  /** The amount as it now stands: the latest correction, or the amount recorded. */
  amountPence: number;
  attribution: Attribution;
  evidenceRef: string;
  at: string;
  /** The amount first recorded, kept when corrections supersede it. */
  originalAmountPence?: number;
  corrections?: SavingsCorrection[];
  /** Null until the programme verifies it, and again after a correction. */
  verification?: SavingsVerification | null;
}

export interface CostRecord {
  period: string;
  amountPence: number;
  borneBy: CostBearer;
  category: string;
  evidenceRef: string;
  at: string;
}

export interface Replan {
  reason: string;
  at: string;
  plannedGoLive: { from: string; to: string } | null;
  extendStage: { stage: DeadlineStage; by: string } | null;
}

export interface Withdrawal {
  reason: string;
  from: Stage;
  /** Null for exits recorded before they were categorised. */
  category: WithdrawalCategory | null;
  sunkCostPence: number;
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
  // The fields below arrived with the cost and benefit ledger. States saved before it (read
  // models, continue-as-new inputs) lack them, so readers treat them as optional.
  /** The planned go-live at registration, kept whatever re-planning does. */
  originalPlannedGoLive?: string;
  /** Extra time granted to a future stage's deadline by re-planning, in ms. */
  stageExtensionsMs?: Partial<Record<DeadlineStage, number>>;
  replans?: Replan[];
  costs?: CostRecord[];
  withdrawal?: Withdrawal | null;
  /** While overdue: when the workflow escalates again. */
  nextEscalationAt?: string | null;
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
  originalPlannedGoLive: '',
  stageExtensionsMs: {},
  replans: [],
  costs: [],
  withdrawal: null,
  nextEscalationAt: null,
  version: 0,
}) as DepartmentState;
