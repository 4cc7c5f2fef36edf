import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { decideLesson, foldLesson, initialLessonState, lessonStreamId, type LessonEvent, type RecordLesson } from '../../../../libs/domain/index.js';
import { EventStore, commandEventId, type NewEvent, type StoredEvent } from '../../../../libs/event-store/index.js';
import { LessonReadModel, type LessonView } from '../../../../libs/projections/index.js';
import type { CommandContext } from '../../../../workflows/contract.js';

export interface LessonCommandResponse {
  readonly lesson: LessonView | undefined;
  readonly events: readonly StoredEvent[];
}

/** A keyed command's lesson is named after its key, so two sends of it can only ever make one stream. */
function lessonIdFor(commandId: string): string {
  const hex = createHash('sha256').update(`lesson\n${commandId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

type LessonPayload = Omit<RecordLesson, 'type' | 'at' | 'lessonId'>;

/** Lesson ids are UUIDs (or a key's UUID-shaped hash); anything longer cannot name one. */
const MAX_LESSON_ID_LENGTH = 100;

/**
 * The lessons library's command handler: each lesson is its own stream, written by the
 * library's pure decider without a workflow (nothing in it waits or has a deadline).
 */
@Injectable()
export class LessonCommands {
  constructor(
    private readonly store: EventStore,
    private readonly lessons: LessonReadModel,
  ) {}

  async record(payload: LessonPayload, context: CommandContext): Promise<LessonCommandResponse> {
    const at = new Date().toISOString();
    const lessonId = context.commandId ? lessonIdFor(context.commandId) : randomUUID();
    // The same keyed command sent again while the first was still writing: the lesson it made.
    const already = context.commandId ? await this.lessons.get(lessonId) : undefined;
    if (already) return { lesson: already, events: await this.store.findByCommandId(lessonStreamId(lessonId), context.commandId!) };
    const events = decideLesson({ type: 'RecordLesson', at, lessonId, ...payload }, initialLessonState);
    const appended = await this.store.append(lessonStreamId(lessonId), 0, this.toNew(lessonStreamId(lessonId), events, context, at));
    return { lesson: await this.lessons.get(lessonId), events: appended.events };
  }

  /**
   * Makes a lesson mandatory, or optional again, for departments joining its centre; the
   * lesson's stream is read, decided on and appended to at the version it was read at.
   */
  async setMandatory(lessonId: string, change: { mandatory: boolean; reason: string }, context: CommandContext): Promise<LessonCommandResponse> {
    const at = new Date().toISOString();
    const named = lessonId.length <= MAX_LESSON_ID_LENGTH && lessonId.trim() !== '';
    // This keyed command ran before (its answer was lost, or its key's holder stopped answering): its events are the answer.
    const done = named && context.commandId ? await this.store.findByCommandId(lessonStreamId(lessonId), context.commandId) : [];
    if (done.length > 0) return { lesson: await this.lessons.get(lessonId), events: done };
    const history = named ? await this.store.readStream(lessonStreamId(lessonId)) : [];
    const state = foldLesson(history.map((event) => ({ type: event.type, data: event.data }) as LessonEvent));
    const events = decideLesson({ type: 'SetLessonMandatory', at, lessonId, ...change }, state);
    const appended = await this.store.append(lessonStreamId(lessonId), state.version, this.toNew(lessonStreamId(lessonId), events, context, at));
    return { lesson: await this.lessons.get(lessonId), events: appended.events };
  }

  /** A keyed command's events get ids derived from its command id, so the same command appended again is found already stored. */
  private toNew(streamId: string, events: readonly LessonEvent[], context: CommandContext, at: string): NewEvent[] {
    return events.map((event, index) => ({
      eventId: context.commandId ? commandEventId(streamId, context.commandId, index) : randomUUID(),
      type: event.type,
      data: event.data,
      metadata: context,
      recordedAt: at,
    }));
  }
}
