import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import {
  DomainError,
  decide,
  evolve,
  initialState,
  isFinishedStage,
  streamIdFor,
  type DepartmentState,
  type OnboardingCommand,
  type OnboardingEvent,
} from '../libs/domain/index.js';
import type { OnboardingActivities } from '../libs/temporal/activities.js';
import {
  USER_COMMAND_TYPES,
  commandUpdate,
  stateQuery,
  type CommandContext,
  type CommandPayload,
  type CommandRequest,
  type CommandResult,
  type OnboardingWorkflowInput,
} from './contract.js';
import { searchAttributesFor } from './search-attributes.js';

const { appendDepartmentEvents, mandatoryLessonIds, escalationInterval } = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30 seconds',
  // A database outage must not lose a command: keep retrying, operations see it as stuck.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The same two calls run first as local activities, inside the workflow task that runs
 * the Update: no activity task round trips through the server. One attempt only: when it
 * fails (the database is down), the durable activity above takes over, so its retries are
 * visible to operations and can be reset. Both are idempotent, so a local attempt that
 * committed before its worker died is found again, not doubled.
 */
const fast = proxyLocalActivities<OnboardingActivities>({
  startToCloseTimeout: '5 seconds',
  retry: { maximumAttempts: 1 },
});

const LOCAL_ACTIVITY_COMMANDS = 'local-activity-commands';

async function fastThenDurable<T>(local: () => Promise<T>, durable: () => Promise<T>): Promise<T> {
  if (!patched(LOCAL_ACTIVITY_COMMANDS)) return durable();
  try {
    return await local();
  } catch (error) {
    // A refusal (a version conflict) would be refused again: only a failure to reach the database falls back.
    if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.nonRetryable) throw error;
    return durable();
  }
}

const { notifyEscalation } = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes', maximumAttempts: 20 },
});

/** Delivered beside the command queue: an outage delays the message, never the onboarding. */
const { notifyEscalation: deliverEscalation } = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
});

const REGISTRATION_TIMEOUT = '10 minutes';

const WORKFLOW_ACTOR: CommandContext = { actor: { sub: 'workflow', role: 'system' } };

/**
 * One department's onboarding. The single writer of stream `department-<CODE>`: every
 * accepted command is decided by the pure domain, appended through an activity, then
 * folded into the state that Queries return.
 */
export async function onboarding(input: OnboardingWorkflowInput): Promise<DepartmentState> {
  let state: DepartmentState = input.state ?? initialState;
  let busy: Promise<unknown> = Promise.resolve();
  /** Commands accepted whose events are not yet folded into `state`. */
  let inFlight = 0;

  const now = () => new Date().toISOString();

  /** Updates run one at a time so each decides on the state the previous one left. */
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    inFlight += 1;
    const next = busy.then(work, work).finally(() => {
      inFlight -= 1;
    });
    busy = next.catch(() => undefined);
    return next;
  };

  const complete = (payload: CommandPayload, at: string, lessons: readonly string[] = []): OnboardingCommand =>
    ({ ...payload, at, ...(payload.type === 'AdvanceStage' ? { mandatoryLessonIds: lessons } : {}) }) as OnboardingCommand;

  const decideOrRefuse = (command: OnboardingCommand): OnboardingEvent[] => {
    try {
      return decide(command, state);
    } catch (error) {
      if (error instanceof DomainError) {
        throw ApplicationFailure.create({
          type: error.code,
          message: error.message,
          details: [error.details ?? {}],
          nonRetryable: true,
        });
      }
      throw error;
    }
  };

  const record = async (events: OnboardingEvent[], context: CommandContext, at: string): Promise<CommandResult> => {
    if (events.length === 0) return { department: state, events: [] };
    const { workflowId, runId } = workflowInfo();
    const causationId = context.requestId;
    const append = {
      streamId: streamIdFor(state.registered ? state.code : input.code),
      expectedVersion: state.version,
      events: events.map((event) => ({
        eventId: event.type === 'SavingsRecorded' && event.data.savingId !== undefined ? event.data.savingId : uuid4(),
        type: event.type,
        data: event.data,
        recordedAt: at,
        metadata: { ...context, causationId, workflowId, runId },
      })),
    };
    const stored = await fastThenDurable(
      () => fast.appendDepartmentEvents(append),
      () => appendDepartmentEvents(append),
    );
    for (const event of events) state = evolve(state, event);
    upsertSearchAttributes(searchAttributesFor(state));
    return { department: state, events: stored };
  };

  /** A savings record is named by the id of the event that records it, so corrections can supersede it. */
  const withSavingId = (payload: CommandPayload): CommandPayload =>
    payload.type === 'RecordSavings' && patched('saving-id-is-event-id') ? { ...payload, savingId: uuid4() } : payload;

  const execute = (request: CommandRequest): Promise<CommandResult> =>
    serially(async () => {
      const at = now();
      // test-fixture:lesson-read begin (test/support/changed-workflow.ts swaps this block to prove replay catches a change)
      const lessons =
        request.command.type === 'AdvanceStage' && state.stage === 'LESSONS'
          ? await fastThenDurable(
              () => fast.mandatoryLessonIds(state.centre),
              () => mandatoryLessonIds(state.centre),
            )
          : [];
      // test-fixture:lesson-read end
      const events = decideOrRefuse(complete(withSavingId(request.command), at, lessons));
      const result = await record(events, request.context, at);
      if (request.command.type === 'EscalateOnboarding') await notify(request.command.reason, request.context);
      return result;
    });

  const escalation = (reason: string, context: CommandContext) => ({
    code: state.code,
    stage: state.stage,
    reason,
    escalatedAt: now(),
    actor: context.actor.sub,
    workflowId: workflowInfo().workflowId,
  });

  const deliveries = new Set<Promise<void>>();

  /**
   * Escalations used to be delivered inside the command queue, so a webhook outage held
   * up every later command and, after 20 attempts, failed the workflow. Histories from
   * before the patch replay the old way.
   */
  const notify = async (reason: string, context: CommandContext): Promise<void> => {
    if (!patched('escalation-beside-command-queue')) {
      await notifyEscalation(escalation(reason, context));
      return;
    }
    const delivery: Promise<void> = deliverEscalation(escalation(reason, context))
      .catch((error: unknown) => log.error('escalation not delivered', { code: state.code, error: String(error) }))
      .finally(() => deliveries.delete(delivery));
    deliveries.add(delivery);
  };

  const allDelivered = () => deliveries.size === 0;

  for (const type of USER_COMMAND_TYPES) {
    setHandler(commandUpdate(type), execute, {
      validator: (request: CommandRequest) => {
        if (request?.command?.type !== type) {
          throw ApplicationFailure.create({ type: 'invalid-command', message: `expected a ${type} command` });
        }
        // While an accepted command is still being appended, `state` is not yet what this
        // command will meet (its caller may already have been told the earlier one went
        // through): the handler decides after it, in order. Otherwise refuse here, before
        // anything is written. The mandatory-lesson gate needs the library: the handler's.
        if (inFlight === 0) decideOrRefuse(complete(request.command, now()));
      },
    });
  }
  setHandler(stateQuery, () => state);

  if (patched('registration-timeout')) {
    // A registration whose Update was refused leaves a started workflow behind; it fails
    // after a while so the code can be registered again (reuse policy: failed only).
    if (!(await condition(() => state.registered, REGISTRATION_TIMEOUT))) {
      throw ApplicationFailure.nonRetryable('no valid registration arrived', 'registration-not-received');
    }
  } else {
    await condition(() => state.registered);
  }
  while (!isFinishedStage(state.stage)) {
    const seen = state.version;
    const wakeOnChange = () => state.version !== seen || workflowInfo().continueAsNewSuggested;
    const deadline = state.stageDeadlineAt && !state.overdue && !state.paused ? Date.parse(state.stageDeadlineAt) : null;
    const nextEscalation = deadline === null ? nextEscalationAt() : null;
    if (deadline !== null) {
      if (!(await condition(wakeOnChange, Math.max(deadline - Date.now(), 1)))) await serially(() => missDeadline());
    } else if (nextEscalation !== null) {
      if (!(await condition(wakeOnChange, Math.max(nextEscalation - Date.now(), 1)))) await serially(() => escalateOverdue());
    } else {
      await condition(wakeOnChange);
    }
    if (workflowInfo().continueAsNewSuggested && !isFinishedStage(state.stage)) {
      await condition(() => allHandlersFinished() && allDelivered());
      await continueAsNew<typeof onboarding>({ code: input.code, state });
    }
  }
  await condition(() => allHandlersFinished() && allDelivered());
  return state;

  async function missDeadline(): Promise<void> {
    const at = now();
    let events: OnboardingEvent[];
    try {
      events = decide({ type: 'MarkDeadlineMissed', at, stage: state.stage }, state);
    } catch (error) {
      // A command that landed just before the timer fired (advance, pause) moved the clock.
      if (error instanceof DomainError) return;
      throw error;
    }
    await record(events, WORKFLOW_ACTOR, at);
    log.warn('stage deadline missed', { code: state.code, stage: state.stage });
    if (patched('escalate-overdue-in-the-log')) {
      await escalateOverdue();
      return;
    }
    await notify(`stage ${state.stage} missed its deadline`, WORKFLOW_ACTOR);
  }

  /**
   * A missed deadline used to reach only the webhook. Now it leaves OnboardingEscalated in
   * the log, and again every ESCALATION_REPEAT while the department stays overdue; the next
   * instant is recorded in the event. Histories from before the patch never escalate again.
   */
  function nextEscalationAt(): number | null {
    if (!state.overdue || state.paused || !state.nextEscalationAt) return null;
    return patched('escalate-overdue-in-the-log') ? Date.parse(state.nextEscalationAt) : null;
  }

  async function escalateOverdue(): Promise<void> {
    const repeat = await escalationInterval();
    const at = now();
    let events: OnboardingEvent[];
    try {
      events = decide({ type: 'EscalateOverdue', at, repeat }, state);
    } catch (error) {
      // A command that landed meanwhile (advance, re-plan, pause) settled the overdue stage.
      if (error instanceof DomainError) return;
      throw error;
    }
    await record(events, WORKFLOW_ACTOR, at);
    const escalated = events[0];
    await notify(escalated.type === 'OnboardingEscalated' ? escalated.data.reason : `stage ${state.stage} is overdue`, WORKFLOW_ACTOR);
  }
}
