import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LessonReadModel } from '../../../../../../libs/projections/index.js';
import { Access } from '../../../auth/access.decorator.js';
import { CommandCall } from '../../../common/command-context.js';
import { Idempotent } from '../../../common/idempotency.interceptor.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { ApiError } from '../../../common/api-error.js';
import { NoBody } from '../../../common/validation.js';
import { CommandService } from '../../command.service.js';

@ApiTags('lessons')
@ApiBearerAuth()
@Idempotent()
@Controller('api/departments/:code/lessons/:lessonId/acknowledge')
export class AcknowledgeLessonController {
  constructor(
    private readonly commands: CommandService,
    private readonly lessons: LessonReadModel,
  ) {}

  @Post()
  @HttpCode(200)
  @Access(['lead'], { departmentScoped: true })
  @ApiOperation({ summary: 'Acknowledge a lesson from the intelligent-customer library' })
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
