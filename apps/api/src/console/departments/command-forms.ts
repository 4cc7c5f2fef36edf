import type { Type } from '@nestjs/common';
import {
  ASSESSMENT_SCORE_RANGE,
  ATTRIBUTIONS,
  GO_LIVE_ROLES,
  MAX_TEXT_LENGTH,
  MINIMUM_ASSESSMENT_SCORE,
  OPEN_STAGES,
  WITHDRAWAL_CATEGORIES,
  WORKSTREAMS,
  nextStage,
  type Stage,
} from '../../../../../libs/domain/index.js';
import type { Principal } from '../../auth/roles.js';
import type { CommandContext } from '../../../../../workflows/contract.js';
import { AdvanceStageController, AdvanceStageDto } from '../../departments/commands/advance-stage/advance-stage.controller.js';
import { RecordAssessmentController, RecordAssessmentDto } from '../../departments/commands/assessment/record-assessment.controller.js';
import { RecordBaselineController, RecordBaselineDto } from '../../departments/commands/baseline/record-baseline.controller.js';
import { DecideDeviationDto, DeviationsController, RequestDeviationDto } from '../../departments/commands/deviations/deviations.controller.js';
import { GoLiveDecisionController, GoLiveDecisionDto } from '../../departments/commands/go-live/go-live-decision.controller.js';
import { AcknowledgeLessonController } from '../../departments/commands/lessons/acknowledge-lesson.controller.js';
import { LifecycleController, ReassignDto, WithdrawDto } from '../../departments/commands/lifecycle/lifecycle.controller.js';
import { ReasonDto } from '../../departments/commands/reason.dto.js';
import { RecordMigrationController, RecordMigrationDto } from '../../departments/commands/migration/record-migration.controller.js';
import { RecordSavingsController, RecordSavingsDto } from '../../departments/commands/savings/record-savings.controller.js';
import type { ApiControllers } from '../api-controllers.js';
import { exitName, formatCount, stageName } from '../view-filters.js';

export type FieldKind = 'text' | 'textarea' | 'whole' | 'decimal' | 'pounds' | 'choice';

export interface FormField {
  /** The API body's property; the form posts it under the same name. */
  readonly name: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly hint?: string;
  readonly options?: ReadonlyArray<{ value: string; text: string }>;
  /** What to do, GOV.UK style, when the API refuses the value. */
  readonly error: string;
  readonly optional?: boolean;
  /** A choice whose values the API takes as numbers (a score). */
  readonly numeric?: boolean;
  /** Part of the API route's path, not its body (the workstream). */
  readonly inPath?: boolean;
}

export interface FormRun {
  readonly api: ApiControllers;
  readonly code: string;
  readonly dto: object;
  readonly context: CommandContext;
  readonly principal: Principal;
  /** The form's hidden target (a lesson or deviation id). */
  readonly target: string;
  /** Answers that go in the route's path. */
  readonly path: Record<string, string>;
}

/**
 * A command as the console offers it: which API controller method it is (its access rule and
 * handler are that method's own), its DTO (validated by the API's own pipe), and its fields.
 */
export interface CommandForm {
  readonly id: string;
  readonly heading: string;
  readonly button: string;
  readonly controller: Type;
  readonly method: string;
  readonly dto?: Type;
  readonly fields: readonly FormField[];
  /** Posted fields passed to the API as they are (set by the page, not typed by the user). */
  readonly hidden?: readonly string[];
  /** Stages in which the form belongs on the page; the domain still decides. */
  readonly shownIn: (stage: Stage, paused: boolean) => boolean;
  readonly run: (call: FormRun) => Promise<unknown>;
  readonly done: string;
  readonly warning?: string;
}

type BodyMethod<Dto> = (code: string, dto: Dto, context: CommandContext) => Promise<unknown>;

/**
 * The API method a form calls when it takes the route's code, the validated body and the
 * command context, as most do: named once, with its DTO, and called with the form's answers.
 */
export function bodyCommand<Controller extends Record<Method, BodyMethod<Dto>>, Method extends string, Dto extends object>(
  controller: Type<Controller>,
  method: Method,
  dto: Type<Dto>,
): Pick<CommandForm, 'controller' | 'method' | 'dto' | 'run'> {
  return { controller, method, dto, run: ({ api, code, dto: body, context }) => api.get(controller)[method](code, body as Dto, context) };
}

const reason = (error = 'Enter the reason'): FormField => ({
  name: 'reason',
  label: 'Reason',
  kind: 'textarea',
  hint: 'Kept in the audit trail',
  error,
});

const choice = (values: readonly string[], label: (value: string) => string = (value) => value) =>
  values.map((value) => ({ value, text: label(value) }));

const isOpen = (stage: Stage) => OPEN_STAGES.includes(stage);
const [LOWEST_SCORE, HIGHEST_SCORE] = ASSESSMENT_SCORE_RANGE;
const SCORES = Array.from({ length: HIGHEST_SCORE - LOWEST_SCORE + 1 }, (_, index) => String(LOWEST_SCORE + index));
export const WORKSTREAM_NAMES: Record<string, string> = { hr: 'HR', finance: 'Finance', payroll: 'Payroll', procurement: 'Procurement' };
export const VOICE_NAMES: Record<string, string> = { 'department-sro': 'Department SRO', centre: 'Centre', programme: 'Programme' };

export const COMMAND_FORMS: readonly CommandForm[] = [
  {
    id: 'acknowledge',
    heading: 'Acknowledge a lesson',
    button: 'Acknowledge',
    controller: AcknowledgeLessonController,
    method: 'acknowledge',
    fields: [],
    shownIn: (stage) => stage === 'LESSONS',
    run: ({ api, code, target, context }) => api.get(AcknowledgeLessonController).acknowledge(code, target, undefined, context),
    done: 'Lesson acknowledged',
  },
  {
    id: 'assessment',
    heading: 'Record the intelligent-customer capability assessment',
    button: 'Record assessment',
    ...bodyCommand(RecordAssessmentController, 'record', RecordAssessmentDto),
    fields: [
      { name: 'sro', label: 'Senior responsible owner', kind: 'text', hint: 'Who signs the assessment', error: 'Enter the name of the senior responsible owner' },
      { name: 'score', label: 'Capability score', kind: 'choice', options: choice(SCORES), hint: `${LOWEST_SCORE} (weak) to ${HIGHEST_SCORE} (strong); at least ${MINIMUM_ASSESSMENT_SCORE} is needed to leave Lessons`, error: `Select a score from ${LOWEST_SCORE} to ${HIGHEST_SCORE}`, numeric: true },
      { name: 'contractManagementFte', label: 'Contract management staff (full-time equivalent)', kind: 'decimal', hint: 'For example, 2.5', error: 'Enter the full-time equivalent staff as a number, such as 2.5' },
      { name: 'notes', label: 'Notes (optional)', kind: 'textarea', error: `Notes must be plain text of ${formatCount(MAX_TEXT_LENGTH)} characters or fewer`, optional: true },
    ],
    shownIn: (stage) => stage === 'LESSONS',
    done: 'Assessment recorded',
  },
  {
    id: 'baseline',
    heading: 'Record the cost baseline',
    button: 'Record baseline',
    ...bodyCommand(RecordBaselineController, 'record', RecordBaselineDto),
    fields: [
      { name: 'annualCostGbp', label: 'Annual cost of the back-office functions today', kind: 'pounds', error: 'Enter the annual cost in pounds, such as 1200000' },
      { name: 'implementationCostGbp', label: 'Expected cost of implementing the move', kind: 'pounds', error: 'Enter the implementation cost in pounds' },
      { name: 'headcountServed', label: 'Staff served', kind: 'whole', error: 'Enter the number of staff served as a whole number' },
    ],
    shownIn: (stage) => stage === 'READINESS',
    done: 'Baseline recorded',
  },
  {
    id: 'deviation',
    heading: 'Request a deviation from the standard operating model',
    button: 'Request deviation',
    ...bodyCommand(DeviationsController, 'request', RequestDeviationDto),
    fields: [
      { name: 'area', label: 'Area', kind: 'text', hint: 'For example, payroll', error: 'Enter the area of the operating model' },
      { name: 'description', label: 'What would differ', kind: 'textarea', error: 'Describe what would differ' },
      { name: 'justification', label: 'Why the department needs it', kind: 'textarea', hint: 'Every deviation costs money', error: 'Enter why the department needs it' },
    ],
    shownIn: (stage) => stage === 'READINESS',
    done: 'Deviation requested',
  },
  {
    id: 'deviation-decision',
    heading: 'Decide the deviation',
    button: 'Record decision',
    controller: DeviationsController,
    method: 'decide',
    dto: DecideDeviationDto,
    fields: [
      { name: 'decision', label: 'Decision', kind: 'choice', options: [{ value: 'approved', text: 'Approve' }, { value: 'rejected', text: 'Reject' }], error: 'Select approve or reject' },
      reason('Enter the reason for the decision'),
    ],
    shownIn: (stage) => stage === 'READINESS',
    run: ({ api, code, target, dto, context }) => api.get(DeviationsController).decide(code, target, dto as DecideDeviationDto, context),
    done: 'Deviation decided',
  },
  {
    id: 'migration',
    heading: 'Record a migration workstream',
    button: 'Record workstream',
    controller: RecordMigrationController,
    method: 'record',
    dto: RecordMigrationDto,
    fields: [
      { name: 'workstream', label: 'Workstream', kind: 'choice', options: choice(WORKSTREAMS, (ws) => WORKSTREAM_NAMES[ws]), error: 'Select the workstream', inPath: true },
      { name: 'recordsExtracted', label: 'Records extracted', kind: 'whole', error: 'Enter the records extracted as a whole number' },
      { name: 'recordsLoaded', label: 'Records loaded', kind: 'whole', hint: 'The workstream is reconciled when every extracted record is loaded', error: 'Enter the records loaded as a whole number' },
      { name: 'evidenceRef', label: 'Reconciliation evidence', kind: 'text', hint: 'Where the evidence is kept', error: 'Enter where the reconciliation evidence is kept' },
    ],
    shownIn: (stage) => stage === 'MIGRATION',
    run: ({ api, code, dto, path, context }) => api.get(RecordMigrationController).record(code, path.workstream ?? '', dto as RecordMigrationDto, context),
    done: 'Workstream recorded',
  },
  {
    id: 'go-live',
    heading: 'Give a go or no-go decision',
    button: 'Record decision',
    controller: GoLiveDecisionController,
    method: 'decide',
    dto: GoLiveDecisionDto,
    fields: [
      { name: 'as', label: 'Deciding as', kind: 'choice', options: choice(GO_LIVE_ROLES, (voice) => VOICE_NAMES[voice]), error: 'Select who the decision is for' },
      { name: 'decision', label: 'Decision', kind: 'choice', options: [{ value: 'go', text: 'Go' }, { value: 'no-go', text: 'No go' }], error: 'Select go or no go' },
      reason('Enter the reason for the decision'),
    ],
    shownIn: (stage) => stage === 'GO_LIVE',
    run: ({ api, code, dto, principal, context }) => api.get(GoLiveDecisionController).decide(code, dto as GoLiveDecisionDto, principal, context),
    done: 'Decision recorded',
  },
  {
    id: 'advance',
    heading: 'Advance to the next stage',
    button: 'Advance',
    ...bodyCommand(AdvanceStageController, 'advance', AdvanceStageDto),
    fields: [],
    hidden: ['from'],
    shownIn: (stage, paused) => nextStage(stage) !== null && !paused,
    done: 'Stage advanced',
  },
  {
    id: 'savings',
    heading: 'Record savings',
    button: 'Record savings',
    ...bodyCommand(RecordSavingsController, 'record', RecordSavingsDto),
    fields: [
      { name: 'period', label: 'Quarter', kind: 'text', hint: 'For example, 2027-Q3', error: 'Enter the quarter like 2027-Q3' },
      { name: 'amountGbp', label: 'Amount', kind: 'pounds', error: 'Enter the amount in pounds and pence, more than £0' },
      {
        name: 'attribution',
        label: 'Caused by',
        kind: 'choice',
        options: choice(ATTRIBUTIONS, (a) => (a === 'programme' ? 'The programme' : 'Spending constraints (not a programme saving)')),
        error: 'Select what caused the saving',
      },
      { name: 'evidenceRef', label: 'Evidence', kind: 'text', hint: 'Where the evidence is kept', error: 'Enter where the evidence is kept' },
    ],
    shownIn: (stage) => stage === 'LIVE',
    done: 'Savings recorded',
  },
  {
    id: 'pause',
    heading: 'Pause the onboarding',
    button: 'Pause',
    ...bodyCommand(LifecycleController, 'pause', ReasonDto),
    fields: [reason()],
    shownIn: (stage, paused) => isOpen(stage) && !paused,
    done: 'Onboarding paused',
  },
  {
    id: 'resume',
    heading: 'Resume the onboarding',
    button: 'Resume',
    ...bodyCommand(LifecycleController, 'resume', ReasonDto),
    fields: [reason()],
    shownIn: (stage, paused) => isOpen(stage) && paused,
    done: 'Onboarding resumed',
  },
  {
    id: 'reassign',
    heading: 'Reassign the onboarding lead',
    button: 'Reassign',
    ...bodyCommand(LifecycleController, 'reassign', ReassignDto),
    fields: [{ name: 'lead', label: 'New lead', kind: 'text', hint: 'Their user name', error: 'Enter the user name of the new lead' }],
    shownIn: (stage) => isOpen(stage),
    done: 'Lead reassigned',
  },
  {
    id: 'close',
    heading: 'Close benefits tracking',
    button: 'Close',
    ...bodyCommand(LifecycleController, 'close', ReasonDto),
    fields: [reason()],
    shownIn: (stage) => stage === 'LIVE',
    done: 'Onboarding closed',
    warning: 'Closing ends the onboarding: nothing can be recorded for the department afterwards.',
  },
  {
    id: 'withdraw',
    heading: 'Withdraw the department',
    button: 'Withdraw',
    ...bodyCommand(LifecycleController, 'withdraw', WithdrawDto),
    fields: [
      reason(),
      { name: 'category', label: 'Where the department went', kind: 'choice', options: choice(WITHDRAWAL_CATEGORIES, exitName), error: 'Select where the department went' },
      { name: 'sunkCostGbp', label: 'Money already spent that the exit writes off (optional)', kind: 'pounds', error: 'Enter the amount in pounds', optional: true },
    ],
    shownIn: (stage) => isOpen(stage),
    done: 'Department withdrawn',
    warning: 'Withdrawing ends the onboarding for good.',
  },
];

export function commandForm(id: string): CommandForm | undefined {
  return COMMAND_FORMS.find((form) => form.id === id);
}

export function advanceButton(stage: Stage): string {
  const to = nextStage(stage);
  return to ? `Advance to ${stageName(to)}` : 'Advance';
}
