import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { DepartmentState, OnboardingCommand, OnboardingEvent } from '../libs/domain/index.js';
import { streamIdFor } from '../libs/domain/onboarding/department-code.js';
import { evolve } from '../libs/domain/onboarding/evolve.js';
import { isFinishedStage } from '../libs/domain/onboarding/stages.js';
import { initialState } from '../libs/domain/onboarding/state.js';
import * as activities from './activities.js';
import { CommandQueue } from './command-queue.js';
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
import { decideOrNothing, decideOrRefuse } from './decide-or-refuse.js';
import { EscalationDelivery } from './escalation-delivery.js';
import { searchAttributesFor } from './search-attributes.js';

const REGISTRATION_TIMEOUT = '10 minutes';

const WORKFLOW_ACTOR: CommandContext = { actor: { sub: 'workflow', role: 'system' } };

/**
 * One department's onboarding. The single writer of stream `department-<CODE>`: every
 * accepted command is decided by the pure domain, appended through an activity, then
 * folded into the state that Queries return. Commands run one at a time (CommandQueue);
 * the workflow's own timers miss deadlines and escalate overdue stages through the same
 * queue; escalations reach people beside it (EscalationDelivery).
 */
export async function onboarding(input: OnboardingWorkflowInput): Promise<DepartmentState> {
  let state: DepartmentState = input.state ?? initialState;
  const queue = new CommandQueue();
  const escalations = new EscalationDelivery();
  const now = () => new Date().toISOString();

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
        if (queue.inFlight === 0) decideOrRefuse(complete(request.command, now()), state);
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
      if (!(await condition(wakeOnChange, Math.max(deadline - Date.now(), 1)))) await queue.run(() => missDeadline());
    } else if (nextEscalation !== null) {
      if (!(await condition(wakeOnChange, Math.max(nextEscalation - Date.now(), 1)))) await queue.run(() => escalateOverdue());
    } else {
      await condition(wakeOnChange);
    }
    if (workflowInfo().continueAsNewSuggested && !isFinishedStage(state.stage)) {
      await condition(() => allHandlersFinished() && escalations.allDelivered);
      await continueAsNew<typeof onboarding>({ code: input.code, state });
    }
  }
  await condition(() => allHandlersFinished() && escalations.allDelivered);
  return state;

  function execute(request: CommandRequest): Promise<CommandResult> {
    return queue.run(async () => {
      const at = now();
      // test-fixture:lesson-read begin (test/support/changed-workflow.ts swaps this block to prove replay catches a change)
      const lessons = request.command.type === 'AdvanceStage' && state.stage === 'LESSONS' ? await activities.mandatoryLessonIds(state.centre) : [];
      // test-fixture:lesson-read end
      const events = decideOrRefuse(complete(withSavingId(request.command), at, lessons), state);
      const result = await record(events, request.context, at);
      if (request.command.type === 'EscalateOnboarding') await notify(request.command.reason, request.context);
      return result;
    });
  }

  function complete(payload: CommandPayload, at: string, lessons: readonly string[] = []): OnboardingCommand {
    return { ...payload, at, ...(payload.type === 'AdvanceStage' ? { mandatoryLessonIds: lessons } : {}) } as OnboardingCommand;
  }

  /** A savings record is named by the id of the event that records it, so corrections can supersede it. */
  function withSavingId(payload: CommandPayload): CommandPayload {
    return payload.type === 'RecordSavings' && patched('saving-id-is-event-id') ? { ...payload, savingId: uuid4() } : payload;
  }

  async function record(events: OnboardingEvent[], context: CommandContext, at: string): Promise<CommandResult> {
    if (events.length === 0) return { department: state, events: [] };
    const { workflowId, runId } = workflowInfo();
    const causationId = context.requestId;
    const stored = await activities.appendDepartmentEvents({
      streamId: streamIdFor(state.registered ? state.code : input.code),
      expectedVersion: state.version,
      events: events.map((event) => ({
        eventId: event.type === 'SavingsRecorded' && event.data.savingId !== undefined ? event.data.savingId : uuid4(),
        type: event.type,
        data: event.data,
        recordedAt: at,
        metadata: { ...context, causationId, workflowId, runId },
      })),
    });
    for (const event of events) state = evolve(state, event);
    upsertSearchAttributes(searchAttributesFor(state));
    return { department: state, events: stored };
  }

  function notify(reason: string, context: CommandContext): Promise<void> {
    const { workflowId } = workflowInfo();
    return escalations.send({ code: state.code, stage: state.stage, reason, escalatedAt: now(), actor: context.actor.sub, workflowId });
  }

  async function missDeadline(): Promise<void> {
    const at = now();
    // Refused when a command that landed just before the timer fired (advance, pause) moved the clock.
    const events = decideOrNothing({ type: 'MarkDeadlineMissed', at, stage: state.stage }, state);
    if (events.length === 0) return;
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
    const repeat = await activities.escalationInterval();
    const at = now();
    // Refused when a command that landed meanwhile (advance, re-plan, pause) settled the overdue stage.
    const events = decideOrNothing({ type: 'EscalateOverdue', at, repeat }, state);
    if (events.length === 0) return;
    await record(events, WORKFLOW_ACTOR, at);
    const escalated = events[0];
    await notify(escalated.type === 'OnboardingEscalated' ? escalated.data.reason : `stage ${state.stage} is overdue`, WORKFLOW_ACTOR);
  }
}
