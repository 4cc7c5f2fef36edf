import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { STAGES, type Stage } from '../../../../../../libs/domain/index.js';
import { Access } from '../../../auth/access.decorator.js';
import { CommandCall } from '../../../common/command-context.js';
import { Idempotent } from '../../../common/idempotency.interceptor.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { CommandService } from '../../command.service.js';

export class AdvanceStageDto {
  @ApiProperty({ enum: STAGES, description: 'The stage the caller believes the department is in' })
  @IsIn(STAGES)
  readonly from!: Stage;
}

@ApiTags('onboarding')
@ApiBearerAuth()
@Idempotent()
@Controller('api/departments/:code/advance')
export class AdvanceStageController {
  constructor(private readonly commands: CommandService) {}

  @Post()
  @HttpCode(200)
  @Access(['lead', 'programme'], { departmentScoped: true })
  @ApiOperation({ summary: 'Advance to the next stage when every gate holds' })
  @ApiResponse({ status: 422, description: 'Refused: details.unmetGates lists every unmet gate' })
  @ApiResponse({ status: 409, description: 'The department is not in the stage given as from' })
  advance(@Param('code') code: string, @Body() dto: AdvanceStageDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(code, { type: 'AdvanceStage', from: dto.from, mandatoryLessonIds: [] }, context);
  }
}
