import type { DepartmentRegistered, OnboardingCommand, OnboardingEvent, RequestDeviation, Workstream } from '../index.js';
import { GO_LIVE_ROLES, WORKSTREAMS } from '../index.js';

// Hand-written histories for specification tests: the events a department has behind it
// when it stands in a given stage. Written as events, not produced by decide, so a bug in
// decide cannot hide in its own test's "given".

export const T0 = '2025-01-06T09:00:00.000Z';
export const DAY = 86_400_000;

export function at(offsetMs: number): string {
  return new Date(Date.parse(T0) + offsetMs).toISOString();
}

export function days(n: number): string {
  return at(n * DAY);
}

export const registered: DepartmentRegistered = {
  type: 'DepartmentRegistered',
  data: {
    code: 'DFT',
    name: 'Department for Transport',
    centre: 'ISSC1',
    plannedGoLive: '2025-12-01',
    deadlines: { LESSONS: 'P30D', READINESS: 'P60D', MIGRATION: 'P120D', GO_LIVE: 'P30D' },
    lead: 'alice',
    stageDeadlineAt: days(30),
    at: T0,
  },
};

export const assessmentRecorded = (score = 4, when = days(1)): OnboardingEvent => ({
  type: 'AssessmentRecorded',
  data: { sro: 'Sam Ro', score, contractManagementFte: 2.5, notes: null, at: when },
});

export const lessonAcknowledged = (lessonId: string, when = days(1)): OnboardingEvent => ({
  type: 'LessonAcknowledged',
  data: { lessonId, by: 'alice', at: when },
});

export const stageAdvanced = (
  from: 'LESSONS' | 'READINESS' | 'MIGRATION' | 'GO_LIVE',
  when: string,
  stageDeadlineAt: string | null,
): OnboardingEvent => ({
  type: 'StageAdvanced',
  data: {
    from,
    to: ({ LESSONS: 'READINESS', READINESS: 'MIGRATION', MIGRATION: 'GO_LIVE', GO_LIVE: 'LIVE' } as const)[from],
    at: when,
    mandatoryLessonIds: [],
    stageDeadlineAt,
  },
});

export const baselineRecorded = (when = days(3)): OnboardingEvent => ({
  type: 'BaselineRecorded',
  data: { annualCostPence: 1_000_000_00, implementationCostPence: 250_000_00, headcountServed: 5000, at: when },
});

export const deviationRequested = (deviationId: string, when = days(3)): OnboardingEvent => ({
  type: 'DeviationRequested',
  data: { deviationId, area: 'payroll', description: 'Weekly pay run', justification: 'Union agreement', at: when },
});

/** The command that records `deviationRequested(deviationId)`. */
export const requestDeviation = (overrides: Partial<RequestDeviation> = {}): RequestDeviation => ({
  type: 'RequestDeviation',
  at: days(3),
  deviationId: 'dev-1',
  area: 'payroll',
  description: 'Weekly pay run',
  justification: 'Union agreement',
  ...overrides,
});

export const deviationDecided = (
  deviationId: string,
  decision: 'approved' | 'rejected' = 'approved',
  when = days(4),
): OnboardingEvent => ({
  type: 'DeviationDecided',
  data: { deviationId, decision, reason: 'Costed and accepted', at: when },
});

export const workstreamRecorded = (
  workstream: Workstream,
  recordsExtracted = 100,
  recordsLoaded = recordsExtracted,
  when = days(10),
): OnboardingEvent => ({
  type: 'MigrationWorkstreamRecorded',
  data: { workstream, recordsExtracted, recordsLoaded, evidenceRef: `evidence/${workstream}`, at: when },
});

export const goLiveDecided = (
  as: 'department-sro' | 'centre' | 'programme',
  decision: 'go' | 'no-go' = 'go',
  when = days(130),
): OnboardingEvent => ({
  type: 'GoLiveDecisionRecorded',
  data: { as, decision, reason: `${as} says ${decision}`, by: null, at: when },
});

export const paused = (when: string, deadlineRemainingMs: number | null): OnboardingEvent => ({
  type: 'OnboardingPaused',
  data: { reason: 'Machinery of government change', at: when, deadlineRemainingMs },
});

export const resumed = (when: string, stageDeadlineAt: string | null): OnboardingEvent => ({
  type: 'OnboardingResumed',
  data: { reason: 'Settled', at: when, stageDeadlineAt },
});

// Stage entry instants: LESSONS at day 0, READINESS day 2, MIGRATION day 5, GO_LIVE day 125, LIVE day 131.
export const inLessons: readonly [DepartmentRegistered] = [registered];
export const inReadiness: readonly OnboardingEvent[] = [
  ...inLessons,
  assessmentRecorded(),
  stageAdvanced('LESSONS', days(2), days(62)),
];
export const inMigration: readonly OnboardingEvent[] = [
  ...inReadiness,
  baselineRecorded(),
  stageAdvanced('READINESS', days(5), days(125)),
];
export const inGoLive: readonly OnboardingEvent[] = [
  ...inMigration,
  ...WORKSTREAMS.map((ws) => workstreamRecorded(ws)),
  stageAdvanced('MIGRATION', days(125), days(155)),
];
export const inLive: readonly OnboardingEvent[] = [
  ...inGoLive,
  ...GO_LIVE_ROLES.map((role) => goLiveDecided(role)),
  stageAdvanced('GO_LIVE', days(131), null),
];
export const closed: readonly OnboardingEvent[] = [
  ...inLive,
  { type: 'OnboardingClosed', data: { reason: 'Benefits tracked', at: days(400) } },
];
export const withdrawn: readonly OnboardingEvent[] = [
  ...inReadiness,
  { type: 'DepartmentWithdrawn', data: { reason: 'Left the programme', from: 'READINESS', at: days(10) } },
];

export const OPEN_HISTORIES = {
  LESSONS: inLessons,
  READINESS: inReadiness,
  MIGRATION: inMigration,
  GO_LIVE: inGoLive,
  LIVE: inLive,
} as const;

/** One valid example of every command, for "refused in this state" tables. */
export function exampleCommands(when: string): Record<OnboardingCommand['type'], OnboardingCommand> {
  return {
    RegisterDepartment: {
      type: 'RegisterDepartment',
      at: when,
      code: 'DFT',
      name: 'Department for Transport',
      centre: 'ISSC1',
      plannedGoLive: '2025-12-01',
    },
    AcknowledgeLesson: { type: 'AcknowledgeLesson', at: when, lessonId: 'lesson-x', by: 'alice' },
    RecordAssessment: { type: 'RecordAssessment', at: when, sro: 'Sam Ro', score: 4, contractManagementFte: 1 },
    RecordBaseline: {
      type: 'RecordBaseline',
      at: when,
      annualCostPence: 100,
      implementationCostPence: 50,
      headcountServed: 10,
    },
    RequestDeviation: {
      type: 'RequestDeviation',
      at: when,
      deviationId: 'dev-new',
      area: 'hr',
      description: 'Different leave policy',
      justification: 'Statutory',
    },
    DecideDeviation: { type: 'DecideDeviation', at: when, deviationId: 'dev-1', decision: 'approved', reason: 'ok' },
    RecordMigration: {
      type: 'RecordMigration',
      at: when,
      workstream: 'payroll',
      recordsExtracted: 10,
      recordsLoaded: 10,
      evidenceRef: 'evidence/payroll',
    },
    RecordGoLiveDecision: { type: 'RecordGoLiveDecision', at: when, as: 'centre', decision: 'go', reason: 'ready' },
    AdvanceStage: { type: 'AdvanceStage', at: when, from: 'LESSONS', mandatoryLessonIds: [] },
    RecordSavings: {
      type: 'RecordSavings',
      at: when,
      period: '2026-Q1',
      amountPence: 100,
      attribution: 'programme',
      evidenceRef: 'ledger/1',
    },
    PauseOnboarding: { type: 'PauseOnboarding', at: when, reason: 'hold' },
    ResumeOnboarding: { type: 'ResumeOnboarding', at: when, reason: 'go on' },
    WithdrawDepartment: { type: 'WithdrawDepartment', at: when, reason: 'exit' },
    CloseOnboarding: { type: 'CloseOnboarding', at: when, reason: 'done' },
    ReassignLead: { type: 'ReassignLead', at: when, lead: 'bob' },
    MarkDeadlineMissed: { type: 'MarkDeadlineMissed', at: when, stage: 'LESSONS' },
    EscalateOnboarding: { type: 'EscalateOnboarding', at: when, reason: 'stuck' },
    CorrectSavings: { type: 'CorrectSavings', at: when, savingId: 'saving-1', amountPence: 90, reason: 'invoice credited' },
    VerifySavings: { type: 'VerifySavings', at: when, savingId: 'saving-1' },
    RecordCost: {
      type: 'RecordCost',
      at: when,
      period: '2025-Q2',
      amountPence: 500,
      borneBy: 'department',
      category: 'backfill',
      evidenceRef: 'ledger/cost-1',
    },
    ReplanOnboarding: { type: 'ReplanOnboarding', at: when, plannedGoLive: '2026-03-01', reason: 'spending review' },
    EscalateOverdue: { type: 'EscalateOverdue', at: when, repeat: 'P7D' },
  };
}
