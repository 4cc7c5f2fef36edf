import {
  ActivityFailure,
  ApplicationFailure,
  Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  ServiceError,
  isGrpcServiceError,
} from '@temporalio/client';
import type { DepartmentState } from '../domain/index.js';
import {
  commandUpdate,
  onboardingWorkflowId,
  stateQuery,
  type CommandContext,
  type CommandPayload,
  type CommandResult,
  type UserCommandType,
} from '../../workflows/contract.js';
import type { onboarding } from '../../workflows/onboarding.workflow.js';

/** The workflow refused a command, or could not be reached: `code` is stable and machine-readable. */
export class CommandRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CommandRefused';
  }
}

/** Sends commands to onboarding workflows as Updates and turns Temporal's failures into refusals. */
export class OnboardingGateway {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly timeoutMs: number,
    /** REGISTRATION_TIMEOUT, given to each onboarding it starts; unset: the workflow's own ten minutes. */
    private readonly registrationTimeoutMs?: number,
  ) {}

  register(payload: CommandPayload<'RegisterDepartment'>, context: CommandContext, updateId?: string): Promise<CommandResult> {
    const workflowId = onboardingWorkflowId(payload.code);
    const start = new WithStartWorkflowOperation<typeof onboarding>('onboarding', {
      workflowId,
      taskQueue: this.taskQueue,
      args: [{ code: payload.code, ...(this.registrationTimeoutMs === undefined ? {} : { registrationTimeoutMs: this.registrationTimeoutMs }) }],
      // A running but unregistered workflow (its first registration was refused) takes
      // this registration; a finished onboarding's code is never reused.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    });
    return this.call(() =>
      this.client.workflow.executeUpdateWithStart(commandUpdate('RegisterDepartment'), {
        args: [{ command: payload, context }],
        startWorkflowOperation: start,
        updateId,
      }),
    );
  }

  execute(code: string, payload: CommandPayload, context: CommandContext, updateId?: string): Promise<CommandResult> {
    const handle = this.client.workflow.getHandle(onboardingWorkflowId(code));
    return this.call(() =>
      handle.executeUpdate(commandUpdate(payload.type as UserCommandType), { args: [{ command: payload, context }], updateId }),
    );
  }

  state(code: string): Promise<DepartmentState> {
    return this.call(() => this.client.workflow.getHandle(onboardingWorkflowId(code)).query(stateQuery));
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.client.withDeadline(deadline, work);
      } catch (error) {
        if (!wasNotProcessedByWorker(error) || Date.now() + attempt * 20 >= deadline) throw toRefusal(error);
        await new Promise((resolve) => setTimeout(resolve, attempt * 20));
      }
    }
  }
}

/**
 * The server rejects an Update that arrived with a workflow task the worker completed
 * without seeing it (it happens when Updates pile up while a workflow task runs local
 * activities). The Update was never accepted, so nothing happened: sending it again is safe.
 */
function wasNotProcessedByWorker(error: unknown): boolean {
  return error instanceof WorkflowUpdateFailedError && /wasn't processed by worker/.test(error.cause?.message ?? '');
}

export function toRefusal(error: unknown): Error {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const details = (error.cause.details?.[0] ?? undefined) as Record<string, unknown> | undefined;
    return new CommandRefused(error.cause.type ?? 'command-refused', error.cause.message, details);
  }
  // The append itself refused (a version conflict the workflow could not settle by catching
  // up with its stream): nothing was written, and the caller hears why.
  if (
    error instanceof WorkflowUpdateFailedError &&
    error.cause instanceof ActivityFailure &&
    error.cause.cause instanceof ApplicationFailure &&
    error.cause.cause.nonRetryable
  ) {
    return new CommandRefused(error.cause.cause.type ?? 'command-refused', error.cause.cause.message);
  }
  if (error instanceof WorkflowExecutionAlreadyStartedError) {
    return new CommandRefused('already-registered', 'a department with this code is already registered');
  }
  if (error instanceof WorkflowNotFoundError) {
    return new CommandRefused('department-not-found', 'no onboarding is running for this department');
  }
  // The Update outlived the call's deadline (a worker is down or the workflow is busy): it may still complete.
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new CommandRefused('temporal-unavailable', 'the workflow service did not answer in time; retry with the same Idempotency-Key');
  }
  // The server turned the Update away before any workflow decided it (on a production
  // server: too many Updates in flight for one workflow while a worker is replaced).
  if (error instanceof ServiceError || isGrpcServiceError(error) || (error instanceof Error && /deadline|unavailable|connect/i.test(error.message))) {
    return new CommandRefused('temporal-unavailable', 'the workflow service did not answer in time; retry with the same Idempotency-Key');
  }
  return error instanceof Error ? error : new Error(String(error));
}
