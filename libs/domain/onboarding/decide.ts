import { DomainError, invalidCommand } from '../errors.js';
import { parseIsoDuration, requireDeadline } from '../duration.js';
import { instantPlus, msBetween, requireCalendarDate, requireInstant } from '../time.js';
import {
  MAX_CENTRE_LENGTH,
  optionalName,
  optionalText,
  requireName,
  requireNameList,
  requireNonNegativeNumber,
  requireOneOf,
  requirePlainObject,
  requireSafeInteger,
  requireText,
} from '../validation.js';
import type * as C from './commands.js';
import { requireDepartmentCode } from './department-code.js';
import type * as E from './events.js';
import type { OnboardingEvent } from './events.js';
import { correctSavings, recordCost, requirePeriod, replanOnboarding, stageDeadlineFrom, verifySavings } from './accountability.js';
import { missingMandatoryLessons, unmetGates } from './gates.js';
import { requireActive, requireOpen, requireStage, requireStageIs } from './guards.js';
import {
  ATTRIBUTIONS,
  DEADLINE_STAGES,
  DEFAULT_DEADLINES,
  DEVIATION_DECISIONS,
  GO_LIVE_DECISION_VALUES,
  GO_LIVE_ROLES,
  STAGES,
  WITHDRAWAL_CATEGORIES,
  WORKSTREAMS,
  isDeadlineStage,
  nextStage,
  type DeadlineStage,
  type Stage,
} from './stages.js';
import type { DepartmentState } from './state.js';

/** The intelligent-customer capability score, lowest and highest. */
export const ASSESSMENT_SCORE_RANGE = [1, 5] as const;

/**
 * What happens when `command` meets `state`: the events to append, `[]` when the command
 * is already satisfied, or a DomainError. Input is validated before state is consulted,
 * so malformed input is always 'invalid-command' whatever the department's state.
 */
export function decide(command: C.OnboardingCommand, state: DepartmentState): OnboardingEvent[] {
  if (command === null || typeof command !== 'object') throw invalidCommand('command must be an object');
  const at = requireInstant(command.at);
  switch (command.type) {
    case 'RegisterDepartment':
      return registerDepartment(command, state, at);
    case 'AcknowledgeLesson':
      return acknowledgeLesson(command, state, at);
    case 'RecordAssessment':
      return recordAssessment(command, state, at);
    case 'RecordBaseline':
      return recordBaseline(command, state, at);
    case 'RequestDeviation':
      return requestDeviation(command, state, at);
    case 'DecideDeviation':
      return decideDeviation(command, state, at);
    case 'RecordMigration':
      return recordMigration(command, state, at);
    case 'RecordGoLiveDecision':
      return recordGoLiveDecision(command, state, at);
    case 'AdvanceStage':
      return advanceStage(command, state, at);
    case 'RecordSavings':
      return recordSavings(command, state, at);
    case 'PauseOnboarding':
      return pauseOnboarding(command, state, at);
    case 'ResumeOnboarding':
      return resumeOnboarding(command, state, at);
    case 'WithdrawDepartment':
      return withdrawDepartment(command, state, at);
    case 'CloseOnboarding':
      return closeOnboarding(command, state, at);
    case 'ReassignLead':
      return reassignLead(command, state, at);
    case 'MarkDeadlineMissed':
      return markDeadlineMissed(command, state, at);
    case 'EscalateOnboarding':
      return escalateOnboarding(command, state, at);
    case 'CorrectSavings':
      return correctSavings(command, state, at);
    case 'VerifySavings':
      return verifySavings(command, state, at);
    case 'RecordCost':
      return recordCost(command, state, at);
    case 'ReplanOnboarding':
      return replanOnboarding(command, state, at);
    case 'EscalateOverdue':
      return escalateOverdue(command, state, at);
    default: {
      const unknown: never = command;
      throw invalidCommand(`unknown command type '${String((unknown as { type?: unknown }).type)}'`);
    }
  }
}

function registerDepartment(c: C.RegisterDepartment, state: DepartmentState, at: string): E.DepartmentRegistered[] {
  const code = requireDepartmentCode(c.code, 'code');
  const name = requireName(c.name, 'name');
  const centre = requireText(c.centre, 'centre', MAX_CENTRE_LENGTH);
  const plannedGoLive = requireCalendarDate(c.plannedGoLive, 'plannedGoLive');
  const deadlines = deadlinesInForce(c.deadlines);
  const lead = optionalName(c.lead, 'lead');
  if (state.registered) {
    throw new DomainError('already-registered', `Department ${state.code} is already registered`, { code: state.code });
  }
  const stageDeadlineAt = instantPlus(at, parseIsoDuration(deadlines.LESSONS));
  return [
    {
      type: 'DepartmentRegistered',
      data: { code, name, centre, plannedGoLive, deadlines, lead, stageDeadlineAt, at },
    },
  ];
}

function deadlinesInForce(overrides: unknown): Record<DeadlineStage, string> {
  const deadlines = { ...DEFAULT_DEADLINES };
  if (overrides === undefined || overrides === null) return deadlines;
  for (const [stage, duration] of Object.entries(requirePlainObject(overrides, 'deadlines'))) {
    const deadlineStage = requireOneOf(stage, DEADLINE_STAGES, `deadlines key '${stage}'`);
    deadlines[deadlineStage] = requireDeadline(duration, `deadlines.${stage}`).text;
  }
  return deadlines;
}

function acknowledgeLesson(c: C.AcknowledgeLesson, state: DepartmentState, at: string): E.LessonAcknowledged[] {
  const lessonId = requireName(c.lessonId, 'lessonId');
  const by = requireName(c.by, 'by');
  requireActive(state);
  requireStage(state, ['LESSONS'], 'Acknowledging a lesson');
  if (state.acknowledgedLessons.includes(lessonId)) return [];
  return [{ type: 'LessonAcknowledged', data: { lessonId, by, at } }];
}

function recordAssessment(c: C.RecordAssessment, state: DepartmentState, at: string): E.AssessmentRecorded[] {
  const sro = requireName(c.sro, 'sro');
  const score = requireSafeInteger(c.score, 'score', ASSESSMENT_SCORE_RANGE[0], ASSESSMENT_SCORE_RANGE[1]);
  const contractManagementFte = requireNonNegativeNumber(c.contractManagementFte, 'contractManagementFte');
  const notes = optionalText(c.notes, 'notes');
  requireActive(state);
  requireStage(state, ['LESSONS'], 'Recording the capability assessment');
  return [{ type: 'AssessmentRecorded', data: { sro, score, contractManagementFte, notes, at } }];
}

function recordBaseline(c: C.RecordBaseline, state: DepartmentState, at: string): E.BaselineRecorded[] {
  const annualCostPence = requireSafeInteger(c.annualCostPence, 'annualCostPence', 0);
  const implementationCostPence = requireSafeInteger(c.implementationCostPence, 'implementationCostPence', 0);
  const headcountServed = requireSafeInteger(c.headcountServed, 'headcountServed', 0);
  const expected = optionalPence(c.expectedAnnualSavingPence, 'expectedAnnualSavingPence');
  requireActive(state);
  requireStage(state, ['READINESS'], 'Recording the cost baseline');
  return [
    {
      type: 'BaselineRecorded',
      data: { annualCostPence, implementationCostPence, headcountServed, ...(expected === undefined ? {} : { expectedAnnualSavingPence: expected }), at },
    },
  ];
}

function requestDeviation(c: C.RequestDeviation, state: DepartmentState, at: string): E.DeviationRequested[] {
  const deviationId = requireName(c.deviationId, 'deviationId');
  const area = requireName(c.area, 'area');
  const description = requireText(c.description, 'description');
  const justification = requireText(c.justification, 'justification');
  const oneOffCostPence = optionalPence(c.oneOffCostPence, 'oneOffCostPence');
  const annualCostPence = optionalPence(c.annualCostPence, 'annualCostPence');
  requireActive(state);
  requireStage(state, ['READINESS'], 'Requesting a deviation from the standard operating model');
  if (state.deviations.some((deviation) => deviation.id === deviationId)) {
    throw new DomainError('deviation-already-exists', `Deviation ${deviationId} already exists`, { deviationId });
  }
  const costs = {
    ...(oneOffCostPence === undefined ? {} : { oneOffCostPence }),
    ...(annualCostPence === undefined ? {} : { annualCostPence }),
  };
  return [{ type: 'DeviationRequested', data: { deviationId, area, description, justification, ...costs, at } }];
}

/**
 * No stage check of its own: a deviation can only be requested in READINESS and READINESS
 * cannot be left while one is pending, so a pending deviation exists only in READINESS.
 */
function decideDeviation(c: C.DecideDeviation, state: DepartmentState, at: string): E.DeviationDecided[] {
  const deviationId = requireName(c.deviationId, 'deviationId');
  const decision = requireOneOf(c.decision, DEVIATION_DECISIONS, 'decision');
  const reason = requireText(c.reason, 'reason');
  requireActive(state);
  const deviation = state.deviations.find((candidate) => candidate.id === deviationId);
  if (deviation === undefined) {
    throw new DomainError('unknown-deviation', `No deviation ${deviationId}`, { deviationId });
  }
  if (deviation.status !== 'pending') {
    throw new DomainError('deviation-already-decided', `Deviation ${deviationId} was already ${deviation.status}`, {
      deviationId,
      status: deviation.status,
    });
  }
  return [{ type: 'DeviationDecided', data: { deviationId, decision, reason, at } }];
}

function recordMigration(c: C.RecordMigration, state: DepartmentState, at: string): E.MigrationWorkstreamRecorded[] {
  const workstream = requireOneOf(c.workstream, WORKSTREAMS, 'workstream');
  const recordsExtracted = requireSafeInteger(c.recordsExtracted, 'recordsExtracted', 0);
  const recordsLoaded = requireSafeInteger(c.recordsLoaded, 'recordsLoaded', 0);
  const evidenceRef = requireText(c.evidenceRef, 'evidenceRef');
  requireActive(state);
  requireStage(state, ['MIGRATION'], 'Recording a migration workstream');
  return [
    { type: 'MigrationWorkstreamRecorded', data: { workstream, recordsExtracted, recordsLoaded, evidenceRef, at } },
  ];
}

function recordGoLiveDecision(c: C.RecordGoLiveDecision, state: DepartmentState, at: string): E.GoLiveDecisionRecorded[] {
  const as = requireOneOf(c.as, GO_LIVE_ROLES, 'as');
  const decision = requireOneOf(c.decision, GO_LIVE_DECISION_VALUES, 'decision');
  const reason = requireText(c.reason, 'reason');
  const by = optionalName(c.by, 'by');
  requireActive(state);
  requireStage(state, ['GO_LIVE'], 'Recording a go-live decision');
  return [{ type: 'GoLiveDecisionRecorded', data: { as, decision, reason, by, at } }];
}

function advanceStage(c: C.AdvanceStage, state: DepartmentState, at: string): E.StageAdvanced[] {
  const from = requireOneOf(c.from, STAGES, 'from');
  const mandatoryLessonIds = requireNameList(c.mandatoryLessonIds, 'mandatoryLessonIds');
  requireActive(state);
  requireStageIs(state, from);
  const to = nextStage(from);
  if (to === null) {
    throw new DomainError('wrong-stage', `A ${from} onboarding is not advanced; close it with CloseOnboarding`, {
      stage: from,
      use: 'CloseOnboarding',
    });
  }
  const unmet = unmetGates(state, mandatoryLessonIds);
  if (unmet.length > 0) {
    const missingLessonIds = from === 'LESSONS' ? missingMandatoryLessons(state, mandatoryLessonIds) : undefined;
    throw new DomainError('gates-unmet', `Cannot leave ${from}: ${unmet.join(', ')}`, {
      stage: from,
      unmetGates: unmet,
      ...(missingLessonIds === undefined ? {} : { missingLessonIds }),
    });
  }
  const stageDeadlineAt = isDeadlineStage(to) ? stageDeadlineFrom(state, to, at) : null;
  return [{ type: 'StageAdvanced', data: { from, to, at, mandatoryLessonIds, stageDeadlineAt } }];
}

function recordSavings(c: C.RecordSavings, state: DepartmentState, at: string): E.SavingsRecorded[] {
  requirePeriod(c.period);
  const amountPence = requireSafeInteger(c.amountPence, 'amountPence', 1);
  const attribution = requireOneOf(c.attribution, ATTRIBUTIONS, 'attribution');
  const evidenceRef = requireText(c.evidenceRef, 'evidenceRef');
  const savingId = c.savingId === undefined ? undefined : requireName(c.savingId, 'savingId');
  requireActive(state);
  requireStage(state, ['LIVE'], 'Recording savings');
  return [
    {
      type: 'SavingsRecorded',
      data: { period: c.period, amountPence, attribution, evidenceRef, ...(savingId === undefined ? {} : { savingId }), at },
    },
  ];
}

function pauseOnboarding(c: C.PauseOnboarding, state: DepartmentState, at: string): E.OnboardingPaused[] {
  const reason = requireText(c.reason, 'reason');
  requireActive(state);
  const deadlineRemainingMs =
    state.stageDeadlineAt === null ? null : Math.max(0, msBetween(at, state.stageDeadlineAt));
  return [{ type: 'OnboardingPaused', data: { reason, at, deadlineRemainingMs } }];
}

function resumeOnboarding(c: C.ResumeOnboarding, state: DepartmentState, at: string): E.OnboardingResumed[] {
  const reason = requireText(c.reason, 'reason');
  requireOpen(state);
  if (!state.paused) throw new DomainError('department-not-paused', 'The onboarding is not paused');
  const stageDeadlineAt = state.deadlineRemainingMs === null ? null : instantPlus(at, state.deadlineRemainingMs);
  return [{ type: 'OnboardingResumed', data: { reason, at, stageDeadlineAt } }];
}

function withdrawDepartment(c: C.WithdrawDepartment, state: DepartmentState, at: string): E.DepartmentWithdrawn[] {
  const reason = requireText(c.reason, 'reason');
  const category = c.category === undefined ? undefined : requireOneOf(c.category, WITHDRAWAL_CATEGORIES, 'category');
  const sunkCostPence = optionalPence(c.sunkCostPence, 'sunkCostPence');
  requireActive(state);
  const exit = {
    ...(category === undefined ? {} : { category }),
    ...(sunkCostPence === undefined ? {} : { sunkCostPence }),
  };
  return [{ type: 'DepartmentWithdrawn', data: { reason, from: state.stage, ...exit, at } }];
}

function closeOnboarding(c: C.CloseOnboarding, state: DepartmentState, at: string): E.OnboardingClosed[] {
  const reason = requireText(c.reason, 'reason');
  requireActive(state);
  requireStage(state, ['LIVE'], 'Closing the onboarding');
  return [{ type: 'OnboardingClosed', data: { reason, at } }];
}

function reassignLead(c: C.ReassignLead, state: DepartmentState, at: string): E.LeadReassigned[] {
  const lead = requireName(c.lead, 'lead');
  requireActive(state);
  if (state.lead === lead) return [];
  return [{ type: 'LeadReassigned', data: { lead, previousLead: state.lead, at } }];
}

function markDeadlineMissed(c: C.MarkDeadlineMissed, state: DepartmentState, at: string): E.StageDeadlineMissed[] {
  const stage: Stage = requireOneOf(c.stage, STAGES, 'stage');
  requireActive(state);
  requireStageIs(state, stage);
  if (state.stageDeadlineAt === null) {
    throw new DomainError('wrong-stage', `${stage} has no deadline`, { stage, allowedStages: DEADLINE_STAGES });
  }
  if (state.overdue) {
    throw new DomainError('deadline-already-missed', `The ${stage} deadline was already recorded as missed`, {
      stage,
      deadline: state.stageDeadlineAt,
    });
  }
  if (Date.parse(at) < Date.parse(state.stageDeadlineAt)) {
    throw new DomainError('deadline-not-reached', `The ${stage} deadline falls at ${state.stageDeadlineAt}`, {
      stage,
      deadline: state.stageDeadlineAt,
    });
  }
  return [{ type: 'StageDeadlineMissed', data: { stage, deadline: state.stageDeadlineAt, at } }];
}

function escalateOnboarding(c: C.EscalateOnboarding, state: DepartmentState, at: string): E.OnboardingEscalated[] {
  const reason = requireText(c.reason, 'reason');
  requireOpen(state);
  return [{ type: 'OnboardingEscalated', data: { reason, stage: state.stage, at } }];
}

/**
 * The workflow's own escalation of an overdue department: once when the deadline is
 * missed, then every `repeat` while it stays overdue. The next instant is recorded in the
 * event, so a replay never depends on today's configuration.
 */
function escalateOverdue(c: C.EscalateOverdue, state: DepartmentState, at: string): E.OnboardingEscalated[] {
  const repeat = requireName(c.repeat, 'repeat');
  const repeatMs = parseIsoDuration(repeat);
  if (repeatMs <= 0) throw invalidCommand('repeat must be longer than zero', { field: 'repeat' });
  requireActive(state);
  const missed = state.missedDeadlines.at(-1);
  if (!state.overdue || missed === undefined) {
    throw new DomainError('not-overdue', `The ${state.stage} stage is not overdue`, { stage: state.stage });
  }
  const due = state.nextEscalationAt ?? null;
  if (due !== null && Date.parse(at) < Date.parse(due)) {
    throw new DomainError('escalation-not-due', `The next escalation falls at ${due}`, { nextEscalationAt: due });
  }
  const reason =
    due === null
      ? `stage ${state.stage} missed its deadline of ${missed.deadline}`
      : `stage ${state.stage} is still overdue (deadline ${missed.deadline})`;
  return [{ type: 'OnboardingEscalated', data: { reason, stage: state.stage, at, nextEscalationAt: instantPlus(at, repeatMs) } }];
}

function optionalPence(value: unknown, field: string): number | undefined {
  return value === undefined ? undefined : requireSafeInteger(value, field, 0);
}
