import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { DepartmentState, OnboardingCommand, OnboardingCommandType } from '../libs/domain/index.js';

/** The workflow id of a department's onboarding, `onboarding-<CODE>`: the domain names it beside the stream id. */
export { workflowIdFor as onboardingWorkflowId } from '../libs/domain/onboarding/department-code.js';

/** Who asked, and through which request: recorded in every event's metadata. */
export interface CommandContext {
  readonly actor: { readonly sub: string; readonly role: string };
  readonly requestId?: string;
  readonly correlationId?: string;
  /** Derived from the Idempotency-Key: finds a command's events when its answer was lost. */
  readonly commandId?: string;
}

/** A command without its `at`: the workflow stamps time, so replays see the same instant. */
export type CommandPayload<T extends OnboardingCommandType = OnboardingCommandType> = DistributiveOmit<
  Extract<OnboardingCommand, { type: T }>,
  'at'
>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface CommandRequest {
  readonly command: CommandPayload;
  readonly context: CommandContext;
}

/** An appended event as the API returns it. */
export interface AppendedEvent {
  readonly position: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly recordedAt: string;
  readonly prevHash: string;
  readonly hash: string;
}

export interface CommandResult {
  readonly department: DepartmentState;
  readonly events: readonly AppendedEvent[];
}

export interface OnboardingWorkflowInput {
  readonly code: string;
  /**
   * How long to wait for the registration (REGISTRATION_TIMEOUT, as the API that started the
   * onboarding is configured); unset, as in onboardings started before it: ten minutes.
   */
  readonly registrationTimeoutMs?: number;
  /** Carried over continue-as-new so a long onboarding keeps a short history. */
  readonly state?: DepartmentState;
}

/** Commands people send; `MarkDeadlineMissed` and `EscalateOverdue` are the workflow's own and never Updates. */
export const USER_COMMAND_TYPES = [
  'RegisterDepartment',
  'AcknowledgeLesson',
  'RecordAssessment',
  'RecordBaseline',
  'RequestDeviation',
  'DecideDeviation',
  'RecordMigration',
  'RecordGoLiveDecision',
  'AdvanceStage',
  'RecordSavings',
  'PauseOnboarding',
  'ResumeOnboarding',
  'WithdrawDepartment',
  'CloseOnboarding',
  'ReassignLead',
  'EscalateOnboarding',
  'CorrectSavings',
  'VerifySavings',
  'RecordCost',
  'ReplanOnboarding',
] as const satisfies readonly OnboardingCommandType[];

export type UserCommandType = (typeof USER_COMMAND_TYPES)[number];

/** Every command is one Update named after its type, so the history reads like the audit trail. */
export function commandUpdate(type: UserCommandType) {
  return defineUpdate<CommandResult, [CommandRequest]>(type);
}
export const stateQuery = defineQuery<DepartmentState>('state');
