import { Body, Param } from '@nestjs/common';
import { LessonReadModel } from '../../../../../../libs/projections/index.js';
import { CommandCall } from '../../../common/command-context.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { ApiError } from '../../../common/api-error.js';
import { NoBody } from '../../../common/validation.js';
import { CommandService } from '../../command.service.js';
import { CommandController, CommandRoute } from '../../../common/command-route.js';

@CommandController('api/departments/:code/lessons/:lessonId/acknowledge', 'lessons')
export class AcknowledgeLessonController {
  constructor(
    private readonly commands: CommandService,
    private readonly lessons: LessonReadModel,
  ) {}

  @CommandRoute('Acknowledge a lesson from the intelligent-customer library', ['lead'], { departmentScoped: true })
  async acknowledge(
    @Param('code') code: string,
    @Param('lessonId') lessonId: string,
    @Body(NoBody) _body: undefined,
    @CommandCall() context: CommandContext,
  ) {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(lessonId) || !(await this.lessons.get(lessonId))) {
      throw new ApiError(404, 'lesson-not-found', 'no lesson with this id is in the library');
    }
    return this.commands.execute(code, { type: 'AcknowledgeLesson', lessonId, by: context.actor.sub }, context);
  }
}
