import {
  ActivityFailure,
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
import { streamIdFor, workflowIdFor } from '../libs/domain/onboarding/department-code.js';
import { evolve } from '../libs/domain/onboarding/evolve.js';
import { isFinishedStage } from '../libs/domain/onboarding/stages.js';
import { initialState } from '../libs/domain/onboarding/state.js';
import type { StoredEvent } from '../libs/event-store/types.js';
import type { AppendDepartmentEventsInput } from '../libs/temporal/activities.js';
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

/**
 * A local activity's append can commit while the workflow task that ran it never reaches
 * Temporal (its worker dies, or loses the server, in between); once Temporal forgets the
 * Update, nothing replays it, and the stream holds a command the history does not. Its
 * client is told it went through (found by its commandId). Before refusing a command, or
 * when an append finds the stream moved on, the workflow reads and folds what the stream
 * holds beyond its state. Histories from before the patch refuse as they did.
 */
const CATCH_UP_WITH_STREAM = 'catch-up-with-stream';

/**
 * Temporal can deliver an Update again after its workflow task was lost, when its append had
 * already committed; the catch-up of another command may have folded those events first. A
 * command found among the folded events by its commandId went through: answered with them,
 * not refused on the state that already holds it. Histories from before the patch refuse.
 */
const ANSWER_FOLDED_COMMANDS = 'answer-folded-commands';

/**
 * A registration's append can commit while its Update's answer is lost (see
 * CATCH_UP_WITH_STREAM): the stream and the read model hold the department, its client is
 * answered from the events, and the workflow waits on. When the wait for the registration
 * runs out, the workflow folds what its stream holds before it gives up, and proceeds as
 * registered if the registration is there. Histories from before the patch fail as they did.
 */
const REGISTRATION_CATCH_UP = 'registration-catch-up';

/**
 * An advance out of LESSONS read the lesson library (one local activity), then appended (a
 * second). Now it is decided on the mandatory lessons its command carries (the API reads
 * them beside its own lookup) and appended by one call that reads the library first and
 * appends only when it holds those same lessons; when it does not, that call returns the
 * library's list and the advance is decided again on it. A refusal is never decided on the
 * command's list: the library is read first. Histories from before the patch read, then append.
 */
const LESSONS_CHECKED_IN_THE_APPEND = 'lessons-checked-in-the-append';

/**
 * A paused department has no deadline running, so no timer of the workflow's own meets an
 * append its history lacks (see CATCH_UP_WITH_STREAM): a resume whose answer was lost left
 * the stage clock stopped until the next command. While paused, the workflow folds what its
 * stream holds every PAUSED_CATCH_UP_INTERVAL; a resume found there re-arms the deadline.
 * Histories from before the patch wait for the next command.
 */
const CATCH_UP_WHILE_PAUSED = 'catch-up-while-paused';

const VERSION_CONFLICT = 'stream-version-conflict';

/** The library's mandatory lessons were not those an advance was decided on: nothing was appended. */
class LessonLibraryMoved extends Error {
  constructor(readonly mandatoryLessonIds: readonly string[]) {
    super('the mandatory lessons changed before the advance was appended');
  }
}

/** The lessons an advance's events are appended against (see LESSONS_CHECKED_IN_THE_APPEND). */
interface LessonsDecidedOn {
  readonly centre: string;
  readonly mandatoryLessonIds: readonly string[];
}

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
  /**
   * Whether this workflow instance, running live rather than replaying its history, has
   * seen its stream's head (an append or a catch-up). A replayed instance may be behind its
   * stream (see CATCH_UP_WITH_STREAM); a workflow task lost after it, which could leave an
   * append behind, evicts the instance and the next one starts over. Read only by the
   * validators, which never run on replay and leave no trace in the history when they refuse.
   */
  let inStepWithStream = false;
  /**
   * Event ids come from the run's seeded random sequence, so a workflow task that replaces a
   * lost one draws the same ids its appends used. The ids of events folded by a catch-up are
   * never drawn again; without one, nothing changes for recorded histories.
   */
  const foldedIds = new Set<string>();
  /** Events the catch-up folded (appended by tasks the history lacks), by their command. */
  const foldedByCommand = new Map<string, StoredEvent[]>();
  /** PAUSED_CATCH_UP_INTERVAL, asked of the worker the first time this run is paused. */
  let pausedCatchUpMs: number | undefined;

  for (const type of USER_COMMAND_TYPES) {
    setHandler(commandUpdate(type), execute, {
      validator: (request: CommandRequest) => {
        if (request?.command?.type !== type) {
          throw ApplicationFailure.create({ type: 'invalid-command', message: `expected a ${type} command` });
        }
        // While an accepted command is still being appended, or while this instance has
        // not yet seen its stream's head (it may be behind an append whose workflow task was
        // lost), `state` is not yet what this command will meet: its caller may already
        // have been told the earlier one went through. The handler decides then, in order,
        // after catching up. Otherwise refuse here, before anything is written. The
        // mandatory-lesson gate needs the library: the handler's. A command the catch-up
        // found already appended is delivered again, not repeated: the handler answers it.
        const folded = request.context?.commandId !== undefined && foldedByCommand.has(request.context.commandId);
        if (queue.inFlight === 0 && inStepWithStream && !folded) decideOrRefuse(complete(request.command, now()), state);
      },
    });
  }
  setHandler(stateQuery, () => state);

  if (patched('registration-timeout')) {
    // A registration whose Update was refused leaves a started workflow behind; it fails
    // after a while so the code can be registered again (reuse policy: failed only).
    const registered = await condition(() => state.registered, input.registrationTimeoutMs ?? REGISTRATION_TIMEOUT);
    if (!registered && !(await registeredInStream())) {
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
    } else if (state.paused && patched(CATCH_UP_WHILE_PAUSED)) {
      pausedCatchUpMs ??= await activities.pausedCatchUpInterval();
      if (!(await condition(wakeOnChange, pausedCatchUpMs))) await queue.run(() => catchUp());
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

  /**
   * Decided on `state`; when it is refused, or its append finds the stream moved on, once
   * more on the state after what the stream holds (see CATCH_UP_WITH_STREAM). A command
   * found there by its commandId went through already: it is answered with its events.
   */
  function execute(request: CommandRequest): Promise<CommandResult> {
    return queue.run(async () => {
      /** The library's mandatory lessons, once this command has read them (see LESSONS_CHECKED_IN_THE_APPEND). */
      let libraryLessons: readonly string[] | undefined;
      for (let attempt = 1; ; attempt += 1) {
        const at = now();
        const leavingLessons = request.command.type === 'AdvanceStage' && state.stage === 'LESSONS';
        const checkInAppend = leavingLessons && libraryLessons === undefined && patched(LESSONS_CHECKED_IN_THE_APPEND);
        // test-fixture:lesson-read begin (test/support/changed-workflow.ts swaps this block to prove replay catches a change)
        const lessons = leavingLessons ? (libraryLessons ?? (checkInAppend ? lessonsCarriedBy(request.command) : await activities.mandatoryLessonIds(state.centre))) : [];
        // test-fixture:lesson-read end
        let result: CommandResult;
        try {
          const events = decideOrRefuse(complete(withSavingId(request.command), at, lessons), state);
          result = await record(events, request.context, at, checkInAppend ? { centre: state.centre, mandatoryLessonIds: lessons } : undefined);
        } catch (error) {
          // Decided on the command's lessons, not the library's: decided again on the library's.
          if (checkInAppend && (error instanceof LessonLibraryMoved || isRefusal(error))) {
            libraryLessons = error instanceof LessonLibraryMoved ? error.mandatoryLessonIds : await activities.mandatoryLessonIds(state.centre);
            attempt -= 1;
            continue;
          }
          const conflict = isVersionConflict(error);
          if (attempt >= 3 || !(conflict || isRefusal(error))) throw error;
          const found = await catchUp();
          if (found === undefined) throw error;
          // Matched by commandId only: a request id is the client's to choose and to repeat.
          const { commandId } = request.context;
          const earlier = commandId ? found.filter((event) => commandIdOf(event) === commandId) : [];
          if (earlier.length > 0) return { department: state, events: earlier };
          const foldedBefore = commandId ? foldedByCommand.get(commandId) : undefined;
          if (foldedBefore && patched(ANSWER_FOLDED_COMMANDS)) return { department: state, events: foldedBefore };
          // A conflict with nothing new to fold: the ids drawn were those of an append the
          // history lacks, folded earlier (see EventStore.append); the next attempt draws others.
          if (found.length === 0 && !conflict) throw error;
          continue;
        }
        if (request.command.type === 'EscalateOnboarding') await notify(request.command.reason, request.context);
        return result;
      }
    });
  }

  /** Whether the stream holds the registration the wait missed (see REGISTRATION_CATCH_UP). */
  async function registeredInStream(): Promise<boolean> {
    if (!patched(REGISTRATION_CATCH_UP)) return false;
    await queue.run(() => catchUp());
    return state.registered;
  }

  /** The mandatory lessons an advance's command carries: the API's read, to be checked by the append. */
  function lessonsCarriedBy(payload: CommandPayload): readonly string[] {
    return payload.type === 'AdvanceStage' && Array.isArray(payload.mandatoryLessonIds) ? payload.mandatoryLessonIds : [];
  }

  function complete(payload: CommandPayload, at: string, lessons: readonly string[] = []): OnboardingCommand {
    return { ...payload, at, ...(payload.type === 'AdvanceStage' ? { mandatoryLessonIds: lessons } : {}) } as OnboardingCommand;
  }

  /** A savings record is named by the id of the event that records it, so corrections can supersede it. */
  function withSavingId(payload: CommandPayload): CommandPayload {
    return payload.type === 'RecordSavings' && patched('saving-id-is-event-id') ? { ...payload, savingId: newEventId() } : payload;
  }

  function newEventId(): string {
    let id = uuid4();
    while (foldedIds.has(id)) id = uuid4();
    return id;
  }

  function streamId(): string {
    return streamIdFor(state.registered ? state.code : input.code);
  }

  async function record(events: OnboardingEvent[], context: CommandContext, at: string, lessons?: LessonsDecidedOn): Promise<CommandResult> {
    if (events.length === 0) return { department: state, events: [] };
    const { workflowId, runId } = workflowInfo();
    const causationId = context.requestId;
    const append = {
      streamId: streamId(),
      expectedVersion: state.version,
      events: events.map((event) => ({
        eventId: event.type === 'SavingsRecorded' && event.data.savingId !== undefined ? event.data.savingId : newEventId(),
        type: event.type,
        data: event.data,
        recordedAt: at,
        metadata: { ...context, causationId, workflowId, runId },
      })),
    };
    const stored = lessons ? await appendIfLessonsUnchanged(append, lessons) : await activities.appendDepartmentEvents(append);
    for (const event of events) state = evolve(state, event);
    sawStreamHead();
    upsertSearchAttributes(searchAttributesFor(state));
    return { department: state, events: stored };
  }

  async function appendIfLessonsUnchanged(append: AppendDepartmentEventsInput, lessons: LessonsDecidedOn): Promise<StoredEvent[]> {
    const result = await activities.appendIfLessonsUnchanged({ ...append, ...lessons });
    if (!result.appended) throw new LessonLibraryMoved(result.mandatoryLessonIds);
    return result.events;
  }

  /**
   * Folds whatever the stream holds beyond `state` (see CATCH_UP_WITH_STREAM) and returns
   * it; undefined on histories from before the patch. Only this workflow writes its stream:
   * an event from anywhere else is a conflict, refused as one.
   */
  async function catchUp(): Promise<StoredEvent[] | undefined> {
    if (!patched(CATCH_UP_WITH_STREAM)) return undefined;
    const after = { streamId: streamId(), afterVersion: state.version };
    const found = await activities.departmentEventsAfter(after);
    // Named from the input, not workflowInfo(): a replay may run under another workflow id.
    const workflowId = workflowIdFor(input.code);
    for (const event of found) {
      if ((event.metadata as { workflowId?: string }).workflowId !== workflowId || event.version !== state.version + 1) {
        throw ApplicationFailure.create({
          type: VERSION_CONFLICT,
          message: `stream ${after.streamId} holds version ${event.version} from outside this onboarding`,
          nonRetryable: true,
        });
      }
      state = evolve(state, { type: event.type, data: event.data } as OnboardingEvent);
      foldedIds.add(event.eventId);
      const commandId = commandIdOf(event);
      if (commandId) foldedByCommand.set(commandId, [...(foldedByCommand.get(commandId) ?? []), event]);
    }
    if (found.length > 0) {
      log.warn('folded appends the history did not have', { code: state.code, versions: found.map((event) => event.version) });
      upsertSearchAttributes(searchAttributesFor(state));
    }
    sawStreamHead();
    return found;
  }

  function commandIdOf(event: StoredEvent): string | undefined {
    return (event.metadata as { commandId?: string }).commandId;
  }

  function sawStreamHead(): void {
    if (!workflowInfo().unsafe.isReplaying) inStepWithStream = true;
  }

  function isRefusal(error: unknown): boolean {
    return error instanceof ApplicationFailure && error.nonRetryable === true;
  }

  function isVersionConflict(error: unknown): boolean {
    return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === VERSION_CONFLICT;
  }

  /**
   * The workflow's own events, decided on `state`. False when the stream had moved on (see
   * CATCH_UP_WITH_STREAM): its events are folded now and the main loop looks again.
   */
  async function recordUnlessBehind(events: OnboardingEvent[], at: string): Promise<boolean> {
    try {
      await record(events, WORKFLOW_ACTOR, at);
      return true;
    } catch (error) {
      if (isVersionConflict(error) && (await catchUp()) !== undefined) return false;
      throw error;
    }
  }

  function notify(reason: string, context: CommandContext): Promise<void> {
    const { workflowId } = workflowInfo();
    return escalations.send({ code: state.code, stage: state.stage, reason, escalatedAt: now(), actor: context.actor.sub, workflowId });
  }

  async function missDeadline(): Promise<void> {
    const at = now();
    // Refused when a command that landed just before the timer fired (advance, pause) moved the clock.
    const events = decideOrNothing({ type: 'MarkDeadlineMissed', at, stage: state.stage }, state);
    if (events.length === 0 || !(await recordUnlessBehind(events, at))) return;
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
    if (events.length === 0 || !(await recordUnlessBehind(events, at))) return;
    const escalated = events[0];
    await notify(escalated.type === 'OnboardingEscalated' ? escalated.data.reason : `stage ${state.stage} is overdue`, WORKFLOW_ACTOR);
  }
}
