import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../../../libs/config/index.js';
import { DEPARTMENT_CODE_PATTERN, decide, initialState, streamIdFor, type OnboardingCommand } from '../../../../libs/domain/index.js';
import { EventStore } from '../../../../libs/event-store/index.js';
import { DepartmentReadModel, foldStored } from '../../../../libs/projections/index.js';
import { OnboardingGateway } from '../../../../libs/temporal/index.js';
import type { AppendedEvent, CommandContext, CommandPayload, CommandResult } from '../../../../workflows/contract.js';
import type { AuthenticatedRequest } from '../auth/access.decorator.js';
import { ApiError } from '../common/api-error.js';
import { IdempotencyService } from '../common/idempotency.js';
import { APP_CONFIG } from '../common/tokens.js';
import { toDepartmentView, type DepartmentView } from './department-view.js';

export interface CommandResponse {
  readonly department: DepartmentView;
  readonly events: readonly AppendedEvent[];
}

export interface HttpCommandRequest extends AuthenticatedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

export function contextOf(request: AuthenticatedRequest): CommandContext {
  if (!request.principal || !request.actingRole) throw new ApiError(401, 'unauthenticated', 'a bearer token is required');
  return {
    actor: { sub: request.principal.sub, role: request.actingRole },
    requestId: request.requestId ?? randomUUID(),
    correlationId: request.correlationId ?? request.requestId,
  };
}

export function normaliseCode(code: string): string {
  const upper = code.toUpperCase();
  if (!DEPARTMENT_CODE_PATTERN.test(upper)) {
    throw new ApiError(400, 'invalid-department-code', 'a department code is 2-10 letters and digits, starting with a letter');
  }
  return upper;
}

/** Turns an HTTP command into a workflow Update, once per Idempotency-Key. */
@Injectable()
export class CommandService {
  constructor(
    private readonly gateway: OnboardingGateway,
    private readonly departments: DepartmentReadModel,
    private readonly store: EventStore,
    private readonly idempotency: IdempotencyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async register(payload: CommandPayload<'RegisterDepartment'>, request: HttpCommandRequest): Promise<CommandResponse> {
    return this.send(request, payload.code, async (context, dedupeId) => {
      if (await this.departments.get(payload.code)) {
        throw new ApiError(409, 'already-registered', `department ${payload.code} is already registered`);
      }
      // Update-with-start starts the workflow even when its validator refuses the registration,
      // which would leave onboarding-<CODE> waiting forever and the code unusable. The same pure
      // decider refuses it here first (a DomainError: 400 invalid-command).
      decide({ ...payload, at: new Date().toISOString() } as OnboardingCommand, initialState);
      return this.gateway.register(payload, context, dedupeId);
    });
  }

  async execute(rawCode: string, payload: CommandPayload, request: HttpCommandRequest): Promise<CommandResponse> {
    const code = normaliseCode(rawCode);
    if (!(await this.departments.get(code))) throw new ApiError(404, 'department-not-found', `no department ${code} is registered`);
    return this.send(request, code, async (context, dedupeId) => {
      const department = await this.departments.get(code);
      if (department?.stage === 'CLOSED' || department?.stage === 'WITHDRAWN') {
        throw new ApiError(422, 'department-finished', `department ${code} is ${department.stage}; nothing can change it`);
      }
      return this.gateway.execute(code, payload, context, dedupeId);
    });
  }

  view(result: CommandResult): CommandResponse {
    return { department: toDepartmentView(result.department, this.config.temporalUiUrl, this.config.temporalNamespace), events: result.events };
  }

  private async send(
    request: HttpCommandRequest,
    code: string,
    run: (context: CommandContext, dedupeId: string | undefined) => Promise<CommandResult>,
  ): Promise<CommandResponse> {
    const context = contextOf(request);
    const key = request.headers['idempotency-key'];
    const { value } = await this.idempotency.run({
      scope: `${context.actor.sub}|${request.method} ${request.path}`,
      key: Array.isArray(key) ? key[0] : key,
      body: request.body,
      run: async (dedupeId) => {
        if (dedupeId) {
          const recovered = await this.recover(code, dedupeId);
          if (recovered) return recovered;
        }
        return this.view(await run({ ...context, ...(dedupeId ? { commandId: dedupeId } : {}) }, dedupeId));
      },
    });
    return value;
  }

  /**
   * A command whose answer was lost (a 503 after it went through) is found by its
   * commandId in the events, and answered as it would have been then.
   */
  private async recover(code: string, commandId: string): Promise<CommandResponse | undefined> {
    const streamId = streamIdFor(code);
    const events = await this.store.findByCommandId(streamId, commandId);
    if (events.length === 0) return undefined;
    const upTo = await this.store.readStream(streamId, { toVersion: events[events.length - 1].version });
    return { department: toDepartmentView(foldStored(upTo), this.config.temporalUiUrl, this.config.temporalNamespace), events };
  }
}
