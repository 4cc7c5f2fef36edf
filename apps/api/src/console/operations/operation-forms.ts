import { MAX_TEXT_LENGTH } from '../../../../../libs/domain/index.js';
import { ReasonDto } from '../../departments/commands/reason.dto.js';
import { EscalateController } from '../../operations/escalate/escalate.controller.js';
import { RetryController, RetryDto } from '../../operations/retry/retry.controller.js';
import { bodyCommand, COMMAND_FORMS, type CommandForm } from '../departments/command-forms.js';
import { formatCount } from '../view-filters.js';

const TEXT_LIMIT = `of ${formatCount(MAX_TEXT_LENGTH)} characters or fewer, in plain text`;

/** Run the failing step again now (the API's retry); answered with what was retried. */
const RETRY: CommandForm = {
  id: 'retry',
  heading: 'Retry the failing step',
  button: 'Yes, retry now',
  ...bodyCommand(RetryController, 'retry', RetryDto),
  fields: [
    {
      name: 'reason',
      label: 'Why retry now (optional)',
      kind: 'textarea',
      hint: 'For example, the paging service is back. Kept in the audit trail',
      error: `The reason must be ${TEXT_LIMIT}`,
      optional: true,
    },
  ],
  shownIn: () => true,
  done: 'Retry started',
};

const ESCALATE: CommandForm = {
  id: 'escalate',
  heading: 'Escalate the onboarding',
  button: 'Escalate',
  ...bodyCommand(EscalateController, 'escalate', ReasonDto),
  fields: [{ name: 'reason', label: 'Why it needs escalating', kind: 'textarea', hint: 'Sent to the people on call and kept in the audit trail', error: 'Enter why it needs escalating' }],
  shownIn: () => true,
  done: 'Onboarding escalated',
};

function lifecycleForm(id: 'pause' | 'resume'): CommandForm {
  const form = COMMAND_FORMS.find((candidate) => candidate.id === id);
  if (!form) throw new Error(`the department page has no ${id} form`);
  return form;
}

/** What the Operations page offers; pause and resume are the department page's own forms. */
export const OPERATION_FORMS: Record<string, CommandForm> = {
  retry: RETRY,
  escalate: ESCALATE,
  pause: lifecycleForm('pause'),
  resume: lifecycleForm('resume'),
};

export function operationForm(id: string): CommandForm | undefined {
  return Object.hasOwn(OPERATION_FORMS, id) ? OPERATION_FORMS[id] : undefined;
}
