import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../../../libs/config/index.js';
import { DEPARTMENT_CODE_PATTERN, DEPARTMENT_CODE_RULE, decide, initialState, isFinishedStage, streamIdFor, type OnboardingCommand, type Stage } from '../../../../libs/domain/index.js';
import { EventStore } from '../../../../libs/event-store/index.js';
import { DepartmentReadModel, LessonReadModel, foldStored } from '../../../../libs/projections/index.js';
import { OnboardingGateway } from '../../../../libs/temporal/index.js';
import type { AppendedEvent, CommandContext, CommandPayload, CommandResult } from '../../../../workflows/contract.js';
import { ApiError, departmentNotFound } from '../common/api-error.js';
import { APP_CONFIG } from '../common/tokens.js';
import { toDepartmentView, type DepartmentView } from './department-view.js';

export interface CommandResponse {
  readonly department: DepartmentView;
  readonly events: readonly AppendedEvent[];
}

export function normaliseCode(code: string): string {
  const upper = code.toUpperCase();
  if (!DEPARTMENT_CODE_PATTERN.test(upper)) {
    throw new ApiError(400, 'invalid-department-code', `a department code is ${DEPARTMENT_CODE_RULE}`);
  }
  return upper;
}

/**
 * Turns a command into a workflow Update. Runs inside the idempotency interceptor: a
 * context with a `commandId` (from the Idempotency-Key) is also the Update id, and a
 * command whose answer was lost is found by it and answered again.
 */
@Injectable()
export class CommandService {
  constructor(
    private readonly gateway: OnboardingGateway,
    private readonly departments: DepartmentReadModel,
    private readonly lessons: LessonReadModel,
    private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async register(payload: CommandPayload<'RegisterDepartment'>, context: CommandContext): Promise<CommandResponse> {
    const recovered = await this.recover(payload.code, context);
    if (recovered) return recovered;
    if (await this.departments.get(payload.code)) {
      throw new ApiError(409, 'already-registered', `department ${payload.code} is already registered`);
    }
    // Update-with-start starts the workflow even when its validator refuses the registration,
    // which would leave onboarding-<CODE> waiting forever and the code unusable. The same pure
    // decider refuses it here first (a DomainError: 400 invalid-command).
    decide({ ...payload, at: new Date().toISOString() } as OnboardingCommand, initialState);
    const named = withCommandId(context);
    return this.view(await this.gateway.register(payload, named, named.commandId));
  }

  async execute(rawCode: string, payload: CommandPayload, context: CommandContext): Promise<CommandResponse> {
    const code = normaliseCode(rawCode);
    // One read-model lookup answers both questions asked before the Update: does the
    // department exist, and is it finished.
    return this.send(code, await this.departments.stage(code), payload, context);
  }

  /**
   * A command that carries its centre's mandatory lessons (an advance out of LESSONS): they are
   * read by the department's lookup itself, one statement before the Update.
   */
  async executeWithMandatoryLessons(
    rawCode: string,
    payload: (mandatoryLessonIds: string[]) => CommandPayload,
    context: CommandContext,
  ): Promise<CommandResponse> {
    const code = normaliseCode(rawCode);
    const found = await this.lessons.stageWithMandatoryLessons(code);
    return this.send(code, found?.stage, payload(found?.mandatoryLessonIds ?? []), context);
  }

  /** A keyed command whose answer was lost is found first, even when it was the one that finished the department. */
  private async send(code: string, stage: Stage | undefined, command: CommandPayload, context: CommandContext): Promise<CommandResponse> {
    if (!stage) throw departmentNotFound(code);
    const recovered = await this.recover(code, context);
    if (recovered) return recovered;
    if (isFinishedStage(stage)) {
      throw new ApiError(422, 'department-finished', `department ${code} is ${stage}; nothing can change it`);
    }
    const named = withCommandId(context);
    return this.view(await this.gateway.execute(code, command, named, named.commandId));
  }

  view(result: CommandResult): CommandResponse {
    return { department: toDepartmentView(result.department, this.config.temporalUiUrl, this.config.temporalNamespace), events: result.events };
  }

  /**
   * A command whose answer was lost (a 503 after it went through) is found by its
   * commandId in the events, and answered as it would have been then.
   */
  private async recover(code: string, { commandId }: CommandContext): Promise<CommandResponse | undefined> {
    if (!commandId) return undefined;
    const streamId = streamIdFor(code);
    const events = await this.store.findByCommandId(streamId, commandId);
    if (events.length === 0) return undefined;
    const upTo = await this.store.readStream(streamId, { toVersion: events[events.length - 1].version });
    return { department: toDepartmentView(foldStored(upTo), this.config.temporalUiUrl, this.config.temporalNamespace), events };
  }
}

/**
 * A command sent without an Idempotency-Key is named too (its Update id and its events'
 * `commandId`): should Temporal deliver it again after a lost workflow task, the workflow
 * finds it among the events it folded and answers it rather than refusing it as a repeat.
 */
function withCommandId(context: CommandContext): CommandContext & { commandId: string } {
  return { ...context, commandId: context.commandId ?? randomUUID() };
}
