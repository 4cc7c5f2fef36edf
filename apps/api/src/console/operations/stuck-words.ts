import type { StuckOnboarding, StuckReason } from '../../../../../libs/projections/index.js';
import type { RetryResult } from '../../../../../libs/operations/index.js';
import { VOICE_NAMES } from '../departments/command-forms.js';
import { formatDate, stageName } from '../view-filters.js';

/** Each stuck reason as operations staff say it, with the colour of its tag. */
export const REASON_WORDS: Record<StuckReason, { text: string; tag: string }> = {
  'activity-failing': { text: 'Step failing', tag: 'govuk-tag--red' },
  'workflow-task-failing': { text: 'Workflow task failing', tag: 'govuk-tag--red' },
  'deadline-missed': { text: 'Deadline missed', tag: 'govuk-tag--orange' },
  'awaiting-decision': { text: 'Awaiting a decision', tag: 'govuk-tag--yellow' },
};

/** What each of the workflow's activities does, so a failing one is named by its effect. */
const ACTIVITY_WORDS: Record<string, string> = {
  appendDepartmentEvents: 'Recording the department’s events',
  appendIfLessonsUnchanged: 'Checking the mandatory lessons and recording the advance',
  notifyEscalation: 'Sending the escalation to the people on call',
  mandatoryLessonIds: 'Reading the mandatory lessons',
  escalationInterval: 'Reading the escalation interval',
};

const CAUSE_WORDS: Record<string, string> = {
  'non-deterministic-error': 'The workflow code changed under a running onboarding',
};

export function activityWords(activity: unknown): string {
  return typeof activity === 'string' ? (ACTIVITY_WORDS[activity] ?? activity) : 'A step';
}

/** Reasons that a retry can act on: a step that is failing now. */
export const RETRYABLE: readonly StuckReason[] = ['activity-failing', 'workflow-task-failing'];

type Pending = { kind: 'deviation'; area: string } | { kind: 'go-live'; role: string };

function pendingWords(pending: unknown): string {
  const items = Array.isArray(pending) ? (pending as Pending[]) : [];
  const words = items.map((item) =>
    item.kind === 'deviation' ? `the decision on the ${item.area} deviation` : `the go-live decision of the ${VOICE_NAMES[item.role] ?? item.role}`,
  );
  return words.length ? `Waiting for ${words.join('; ')}` : 'Waiting for a decision';
}

/** The "last failure" of a stuck onboarding in words: what failed and how, or what it is waiting for. */
export function problemWords(row: Pick<StuckOnboarding, 'reason' | 'detail'>): string {
  const detail = row.detail;
  const failure = typeof detail.lastFailure === 'string' && detail.lastFailure ? detail.lastFailure : 'no message';
  switch (row.reason) {
    case 'activity-failing':
      return `${activityWords(detail.activity)}: ${failure}`;
    case 'workflow-task-failing': {
      const cause = typeof detail.cause === 'string' ? (CAUSE_WORDS[detail.cause] ?? detail.cause) : 'The workflow task fails';
      return `${cause}: ${failure}`;
    }
    case 'deadline-missed': {
      const escalations = typeof detail.escalations === 'number' ? detail.escalations : 0;
      const times = escalations === 1 ? 'once' : `${escalations} times`;
      return `The ${stageName(detail.stage as string)} deadline of ${formatDate(detail.deadline as string)} passed${escalations ? `; escalated ${times}` : ''}`;
    }
    case 'awaiting-decision':
      return pendingWords(detail.pending);
  }
}

/** How many times the failing step has been tried, where that means something. */
export function attemptsOf(row: Pick<StuckOnboarding, 'reason' | 'detail'>): number | undefined {
  return RETRYABLE.includes(row.reason) && typeof row.detail.attempts === 'number' ? row.detail.attempts : undefined;
}

/** What a retry did, for the success banner. */
export function retriedWords(results: readonly RetryResult[]): string {
  const done = results.map(({ target, applied }) => {
    const what = target.kind === 'activity' ? activityWords(target.activity) : 'The workflow task';
    if (!applied) return `${what} had finished by itself.`;
    return target.kind === 'activity' ? `${what} runs again now, its attempts counted afresh.` : `${what} runs again now on any healthy worker.`;
  });
  return done.join(' ');
}
