import { Body, Param } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { STAGES, type Stage } from '../../../../../../libs/domain/index.js';
import { OneOf } from '../../../common/text.js';
import { CommandCall } from '../../../common/command-context.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { CommandService } from '../../command.service.js';
import { CommandController, CommandRoute } from '../../../common/command-route.js';

export class AdvanceStageDto {
  @OneOf(STAGES, 'The stage the caller believes the department is in')
  readonly from!: Stage;
}

@CommandController('api/departments/:code/advance', 'onboarding')
export class AdvanceStageController {
  constructor(private readonly commands: CommandService) {}

  @CommandRoute('Advance to the next stage when every gate holds', ['lead', 'programme'], { departmentScoped: true })
  @ApiResponse({ status: 422, description: 'Refused: details.unmetGates lists every unmet gate' })
  @ApiResponse({ status: 409, description: 'The department is not in the stage given as from' })
  advance(@Param('code') code: string, @Body() dto: AdvanceStageDto, @CommandCall() context: CommandContext) {
    if (dto.from !== 'LESSONS') return this.commands.execute(code, { type: 'AdvanceStage', from: dto.from, mandatoryLessonIds: [] }, context);
    // Out of LESSONS, the workflow decides on the mandatory lessons the command carries and its
    // append checks them against the library, in one call instead of a read and an append;
    // read here by the department's own lookup. Should they change meanwhile, the workflow reads them again.
    return this.commands.executeWithMandatoryLessons(code, (mandatoryLessonIds) => ({ type: 'AdvanceStage', from: dto.from, mandatoryLessonIds }), context);
  }
}
