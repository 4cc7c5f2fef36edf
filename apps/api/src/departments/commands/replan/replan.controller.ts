import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';
import { DEADLINE_STAGES, MAX_TEXT_LENGTH, type DeadlineStage } from '../../../../../../libs/domain/index.js';
import { Access } from '../../../auth/access.decorator.js';
import { Text } from '../../../common/text.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { CommandCall } from '../../../common/command-context.js';
import { Idempotent } from '../../../common/idempotency.interceptor.js';
import { CommandService } from '../../command.service.js';

export class StageExtensionDto {
  @ApiProperty({ enum: DEADLINE_STAGES, description: 'The current stage or a later one' })
  @IsIn(DEADLINE_STAGES)
  readonly stage!: DeadlineStage;

  @ApiProperty({ example: 'P14D', description: 'ISO 8601 duration added to the stage deadline' })
  @Matches(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,3})?S)?)?$/, {
    message: 'extendStage.by must be an ISO 8601 duration such as P14D',
  })
  readonly by!: string;
}

export class ReplanDto {
  @ApiPropertyOptional({ example: '2028-04-01', description: 'The new planned go-live date; the original plan is kept' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'plannedGoLive must be a date YYYY-MM-DD' })
  readonly plannedGoLive?: string;

  @ApiPropertyOptional({ type: StageExtensionDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => StageExtensionDto)
  readonly extendStage?: StageExtensionDto;

  @Text('Why the plan changed; kept in the audit trail', MAX_TEXT_LENGTH, 'Payroll supplier slipped a quarter')
  readonly reason!: string;
}

@ApiTags('onboarding')
@ApiBearerAuth()
@Idempotent()
@Controller('api/departments/:code/replan')
export class ReplanController {
  constructor(private readonly commands: CommandService) {}

  @Post()
  @HttpCode(200)
  @Access(['programme'])
  @ApiOperation({ summary: 'Move the planned go-live date and/or extend a stage deadline; the original plan is kept' })
  replan(@Param('code') code: string, @Body() dto: ReplanDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(
      code,
      {
        type: 'ReplanOnboarding',
        reason: dto.reason,
        ...(dto.plannedGoLive === undefined ? {} : { plannedGoLive: dto.plannedGoLive }),
        ...(dto.extendStage === undefined ? {} : { extendStage: { stage: dto.extendStage.stage, by: dto.extendStage.by } }),
      },
      context,
    );
  }
}
