// The public surface of the pure domain. Import from here only; nothing below this folder
// touches Node, a clock, randomness or I/O, so workflows and auditors' replays can use it.

export { DomainError, isDomainError } from './errors.js';
export type { DomainErrorCode } from './errors.js';
export { parseIsoDuration, DURATION_UNIT_MS, ISO_DURATION_PATTERN, MAX_DEADLINE, MAX_DEADLINE_MS } from './duration.js';
export { poundsToPence, penceToPounds } from './money.js';
export { CALENDAR_DATE_PATTERN, INSTANT_PATTERN, isCalendarDate, isIsoInstant, instantPlus, dateOf } from './time.js';
export { MAX_CENTRE_LENGTH, MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from './validation.js';
export { ROLES, isRole } from './roles.js';
export type { Role } from './roles.js';

export {
  STAGES,
  OPEN_STAGES,
  DEADLINE_STAGES,
  DEFAULT_DEADLINES,
  WORKSTREAMS,
  GO_LIVE_ROLES,
  GO_LIVE_DECISION_VALUES,
  ATTRIBUTIONS,
  COST_BEARERS,
  WITHDRAWAL_CATEGORIES,
  DEVIATION_DECISIONS,
  nextStage,
  isDeadlineStage,
  isFinishedStage,
} from './onboarding/stages.js';
export type {
  Stage,
  DeadlineStage,
  Workstream,
  GoLiveRole,
  GoLiveDecisionValue,
  Attribution,
  CostBearer,
  WithdrawalCategory,
  DeviationDecision,
} from './onboarding/stages.js';

export {
  DEPARTMENT_CODE_PATTERN,
  DEPARTMENT_CODE_INPUT_PATTERN,
  DEPARTMENT_CODE_RULE,
  DEPARTMENT_STREAM_PREFIX,
  ONBOARDING_WORKFLOW_ID_PREFIX,
  streamIdFor,
  departmentCodeOf,
  workflowIdFor,
} from './onboarding/department-code.js';

export { ONBOARDING_COMMAND_TYPES } from './onboarding/commands.js';
export type {
  RegisterDepartment,
  AcknowledgeLesson,
  RecordAssessment,
  RecordBaseline,
  RequestDeviation,
  DecideDeviation,
  RecordMigration,
  RecordGoLiveDecision,
  AdvanceStage,
  RecordSavings,
  PauseOnboarding,
  ResumeOnboarding,
  WithdrawDepartment,
  CloseOnboarding,
  ReassignLead,
  MarkDeadlineMissed,
  EscalateOnboarding,
  CorrectSavings,
  VerifySavings,
  RecordCost,
  ReplanOnboarding,
  EscalateOverdue,
  OnboardingCommand,
  OnboardingCommandType,
} from './onboarding/commands.js';

export { ONBOARDING_EVENT_TYPES, isOnboardingEventType } from './onboarding/events.js';
export type {
  DepartmentRegistered,
  LessonAcknowledged,
  AssessmentRecorded,
  BaselineRecorded,
  DeviationRequested,
  DeviationDecided,
  MigrationWorkstreamRecorded,
  GoLiveDecisionRecorded,
  StageAdvanced,
  SavingsRecorded,
  OnboardingPaused,
  OnboardingResumed,
  DepartmentWithdrawn,
  OnboardingClosed,
  LeadReassigned,
  StageDeadlineMissed,
  OnboardingEscalated,
  SavingsCorrected,
  SavingsVerified,
  CostIncurred,
  OnboardingReplanned,
  OnboardingEvent,
  OnboardingEventType,
} from './onboarding/events.js';

export { initialState } from './onboarding/state.js';
export type {
  DepartmentState,
  Assessment,
  Baseline,
  Deviation,
  MigrationWorkstream,
  GoLiveDecision,
  SavingsRecord,
  MissedDeadline,
  SavingsCorrection,
  SavingsVerification,
  CostRecord,
  Replan,
  Withdrawal,
} from './onboarding/state.js';
export { costIncurred, PERIOD_PATTERN } from './onboarding/accountability.js';
export { decideLedger, ledgerStreamId, isLedgerStream, LEDGER_CENTRE_PATTERN } from './ledger/ledger.js';
export type { RecordLedgerCost, LedgerScope } from './ledger/ledger.js';

export { decide, ASSESSMENT_SCORE_RANGE } from './onboarding/decide.js';
export { evolve, fold } from './onboarding/evolve.js';
export { unmetGates, missingMandatoryLessons, STAGE_GATES, MINIMUM_ASSESSMENT_SCORE } from './onboarding/gates.js';
export type { GateName } from './onboarding/gates.js';
export { evaluateGates } from './onboarding/gate-evaluation.js';
export type { GateCheck, GateEvaluation } from './onboarding/gate-evaluation.js';

export type { RecordLesson, SetLessonMandatory, LessonCommand, LessonCommandType } from './lessons/commands.js';
export type { LessonRecorded, LessonMandatoryChanged, LessonEvent, LessonEventType } from './lessons/events.js';
export { initialLessonState } from './lessons/state.js';
export type { LessonState } from './lessons/state.js';
export { decideLesson, MAX_LESSON_TAGS, MAX_LESSON_TAG_LENGTH, LESSON_TAG_PATTERN } from './lessons/decide.js';
export { evolveLesson, foldLesson } from './lessons/evolve.js';
export { lessonStreamId, mandatoryLessonIdsFor } from './lessons/library.js';
