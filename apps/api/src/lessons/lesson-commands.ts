import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { decideLesson, initialLessonState, lessonStreamId, type LessonCommand } from '../../../../libs/domain/index.js';
import { EventStore, type StoredEvent } from '../../../../libs/event-store/index.js';
import { LessonReadModel, type LessonView } from '../../../../libs/projections/index.js';
import type { CommandContext } from '../../../../workflows/contract.js';

export interface LessonCommandResponse {
  readonly lesson: LessonView | undefined;
  readonly events: readonly StoredEvent[];
}

type LessonPayload = Omit<LessonCommand, 'type' | 'at' | 'lessonId'>;

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
    const lessonId = randomUUID();
    const events = decideLesson({ type: 'RecordLesson', at, lessonId, ...payload }, initialLessonState);
    const appended = await this.store.append(
      lessonStreamId(lessonId),
      0,
      events.map((event) => ({ eventId: randomUUID(), type: event.type, data: event.data, metadata: context, recordedAt: at })),
    );
    return { lesson: await this.lessons.get(lessonId), events: appended.events };
  }
}
