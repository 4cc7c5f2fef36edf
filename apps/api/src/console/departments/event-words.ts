import { formatCount, formatDate, formatPounds, stageName } from '../view-filters.js';
import { VOICE_NAMES, WORKSTREAM_NAMES } from './command-forms.js';

type Data = Record<string, unknown>;
/** Lesson id → title, for the lessons a department acknowledged. */
type LessonTitles = ReadonlyMap<string, string>;

const pence = (value: unknown) => (typeof value === 'number' ? formatPounds(value / 100) : '');
const count = (value: unknown) => (typeof value === 'number' ? formatCount(value) : String(value));
const named = (names: Record<string, string>, value: unknown) => names[String(value)] ?? String(value);

/** What happened, in plain words, for the timeline; a type not listed here still shows by name. */
const WORDS: Record<string, (data: Data, lessons: LessonTitles) => string> = {
  DepartmentRegistered: (d) =>
    `Registered to join ${d.centre}, with go-live planned for ${formatDate(d.plannedGoLive as string)}${d.lead ? ` and ${d.lead} as onboarding lead` : ''}`,
  LessonAcknowledged: (d, lessons) => (lessons.has(String(d.lessonId)) ? `Acknowledged the lesson “${lessons.get(String(d.lessonId))}”` : 'Acknowledged a lesson'),
  AssessmentRecorded: (d) => `Capability assessment recorded: score ${d.score}, signed by ${d.sro}`,
  BaselineRecorded: (d) => `Cost baseline recorded: ${pence(d.annualCostPence)} a year, ${count(d.headcountServed)} staff served`,
  DeviationRequested: (d) => `Deviation requested (${d.area}): ${d.description}`,
  DeviationDecided: (d) => `Deviation ${d.decision}: ${d.reason}`,
  MigrationWorkstreamRecorded: (d) => `${named(WORKSTREAM_NAMES, d.workstream)} workstream recorded: ${count(d.recordsLoaded)} of ${count(d.recordsExtracted)} records loaded`,
  GoLiveDecisionRecorded: (d) => `${named(VOICE_NAMES, d.as)} decided ${d.decision === 'go' ? 'go' : 'no go'}: ${d.reason}`,
  StageAdvanced: (d) => `Advanced from ${stageName(d.from as string)} to ${stageName(d.to as string)}`,
  SavingsRecorded: (d) => `Savings of ${pence(d.amountPence)} recorded for ${d.period}, caused by ${d.attribution === 'programme' ? 'the programme' : 'spending constraints'}`,
  OnboardingPaused: (d) => `Paused: ${d.reason}`,
  OnboardingResumed: (d) => `Resumed: ${d.reason}`,
  DepartmentWithdrawn: (d) => `Withdrawn from the programme: ${d.reason}`,
  OnboardingClosed: (d) => `Benefits tracking closed: ${d.reason}`,
  LeadReassigned: (d) => `Onboarding lead is now ${d.lead}`,
  StageDeadlineMissed: (d) => `Missed the ${stageName(d.stage as string)} deadline`,
  OnboardingEscalated: (d) => `Escalated: ${d.reason}`,
  OnboardingReplanned: (d) => `Re-planned: ${d.reason}`,
  CostIncurred: (d) => `Cost of ${pence(d.amountPence)} incurred for ${d.period}`,
  SavingsCorrected: (d) => `Savings corrected from ${pence(d.previousAmountPence)} to ${pence(d.amountPence)}: ${d.reason}`,
  SavingsVerified: (d) => `Savings of ${pence(d.amountPence)} verified`,
};

export interface TimelineEntry {
  readonly version: number;
  readonly type: string;
  readonly text: string;
  readonly who: string;
  readonly at: string;
}

interface EventLike {
  readonly version: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly recordedAt: string;
}

export function timelineEntry(event: EventLike, lessons: LessonTitles = new Map()): TimelineEntry {
  const actor = (event.metadata as { actor?: { sub?: string; role?: string } } | undefined)?.actor;
  const words = WORDS[event.type];
  return {
    version: event.version,
    type: event.type,
    text: words ? words((event.data ?? {}) as Data, lessons) : event.type,
    who: actor?.sub ? `${actor.sub} (${actor.role})` : 'the service',
    at: event.recordedAt,
  };
}
