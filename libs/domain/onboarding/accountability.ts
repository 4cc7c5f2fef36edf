import { DomainError, invalidCommand } from '../errors.js';
import { parseIsoDuration, requireDeadline } from '../duration.js';
import { instantPlus, requireCalendarDate } from '../time.js';
import { optionalText, requireName, requireOneOf, requirePlainObject, requireSafeInteger, requireText } from '../validation.js';
import type * as C from './commands.js';
import type * as E from './events.js';
import { requireActive, requireStage } from './guards.js';
import { COST_BEARERS, DEADLINE_STAGES, STAGES, type DeadlineStage } from './stages.js';
import type { DepartmentState, SavingsRecord } from './state.js';

// The cost and benefit ledger and re-planning: what the programme spent, what it saved,
// how sure it is of each, and how the plan moved. Nothing here edits a fact; a correction
// or a new plan is a new event that supersedes the old one.

export const PERIOD_PATTERN = /^\d{4}-Q[1-4]$/;

export function requirePeriod(value: unknown): string {
  if (typeof value !== 'string' || !PERIOD_PATTERN.test(value)) {
    throw invalidCommand('period must be YYYY-Qn with n from 1 to 4', { field: 'period' });
  }
  return value;
}

/** Validates a cost wherever it is recorded: a department's stream, a centre's or the programme's. */
export function costIncurred(c: Omit<C.RecordCost, 'type'>, at: string): E.CostIncurred {
  const period = requirePeriod(c.period);
  const amountPence = requireSafeInteger(c.amountPence, 'amountPence', 1);
  const borneBy = requireOneOf(c.borneBy, COST_BEARERS, 'borneBy');
  const category = requireName(c.category, 'category');
  const evidenceRef = requireText(c.evidenceRef, 'evidenceRef');
  return { type: 'CostIncurred', data: { period, amountPence, borneBy, category, evidenceRef, at } };
}

export function recordCost(c: C.RecordCost, state: DepartmentState, at: string): E.CostIncurred[] {
  const event = costIncurred(c, at);
  requireActive(state);
  return [event];
}

export function correctSavings(c: C.CorrectSavings, state: DepartmentState, at: string): E.SavingsCorrected[] {
  const savingId = requireName(c.savingId, 'savingId');
  const amountPence = requireSafeInteger(c.amountPence, 'amountPence', 0);
  const reason = requireText(c.reason, 'reason');
  requireActive(state);
  const record = savingNamed(state, savingId);
  return [{ type: 'SavingsCorrected', data: { savingId, previousAmountPence: record.amountPence, amountPence, reason, at } }];
}

/** Verifying a record already verified at the amount that stands changes nothing. */
export function verifySavings(c: C.VerifySavings, state: DepartmentState, at: string): E.SavingsVerified[] {
  const savingId = requireName(c.savingId, 'savingId');
  const note = optionalText(c.note, 'note');
  requireActive(state);
  const record = savingNamed(state, savingId);
  if (record.verification) return [];
  return [{ type: 'SavingsVerified', data: { savingId, amountPence: record.amountPence, note, at } }];
}

function savingNamed(state: DepartmentState, savingId: string): SavingsRecord {
  const record = state.savings.find((candidate) => candidate.savingId === savingId);
  if (record === undefined) throw new DomainError('unknown-saving', `No savings record ${savingId}`, { savingId });
  return record;
}

export function replanOnboarding(c: C.ReplanOnboarding, state: DepartmentState, at: string): E.OnboardingReplanned[] {
  const reason = requireText(c.reason, 'reason');
  const plannedGoLive = c.plannedGoLive === undefined ? undefined : requireCalendarDate(c.plannedGoLive, 'plannedGoLive');
  const extension = c.extendStage === undefined ? undefined : requireExtension(c.extendStage);
  if (plannedGoLive === undefined && extension === undefined) {
    throw invalidCommand('a re-plan moves plannedGoLive, extends a stage (extendStage), or both', { field: 'plannedGoLive' });
  }
  requireActive(state);
  const movesDate = plannedGoLive !== undefined && plannedGoLive !== state.plannedGoLive;
  if (!movesDate && extension === undefined) return [];
  return [
    {
      type: 'OnboardingReplanned',
      data: {
        reason,
        at,
        plannedGoLive: movesDate ? { from: state.plannedGoLive, to: plannedGoLive } : null,
        extendStage: extension === undefined ? null : extendedDeadline(extension, state, at),
      },
    },
  ];
}

function requireExtension(value: unknown): { stage: DeadlineStage; by: string; byMs: number } {
  const extension = requirePlainObject(value, 'extendStage');
  const stage = requireOneOf(extension.stage, DEADLINE_STAGES, 'extendStage.stage');
  const { text: by, ms: byMs } = requireDeadline(extension.by, 'extendStage.by');
  return { stage, by, byMs };
}

/** The current stage's clock moves now; a later stage's deadline grows when it is entered. */
function extendedDeadline(
  extension: { stage: DeadlineStage; by: string; byMs: number },
  state: DepartmentState,
  at: string,
): NonNullable<E.OnboardingReplanned['data']['extendStage']> {
  const remaining = DEADLINE_STAGES.filter((stage) => STAGES.indexOf(stage) >= STAGES.indexOf(state.stage));
  requireStage(state, DEADLINE_STAGES, 'Extending a stage deadline');
  if (!remaining.includes(extension.stage)) {
    throw new DomainError('wrong-stage', `${extension.stage} is already behind; only ${remaining.join(', ')} can be extended`, {
      stage: state.stage,
      allowedStages: remaining,
    });
  }
  if (extension.stage !== state.stage) {
    return { ...extension, stageDeadlineAt: null, overdueCleared: false };
  }
  // Paused departments are refused before this, so an open deadline stage has a deadline.
  const stageDeadlineAt = instantPlus(state.stageDeadlineAt ?? at, extension.byMs);
  const overdueCleared = state.overdue && Date.parse(stageDeadlineAt) > Date.parse(at);
  return { ...extension, stageDeadlineAt, overdueCleared };
}

/** The deadline a stage gets on entry: its duration plus any time re-planning granted it. */
export function stageDeadlineFrom(state: DepartmentState, stage: DeadlineStage, at: string): string {
  return instantPlus(at, parseIsoDuration(state.deadlines[stage]) + (state.stageExtensionsMs?.[stage] ?? 0));
}
