import { Body, Param } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { DEADLINE_STAGES, MAX_TEXT_LENGTH, type DeadlineStage } from '../../../../../../libs/domain/index.js';
import { CalendarDate, Deadline, OneOf, Text } from '../../../common/text.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { CommandCall } from '../../../common/command-context.js';
import { CommandService } from '../../command.service.js';
import { CommandController, CommandRoute } from '../../../common/command-route.js';

export class StageExtensionDto {
  @OneOf(DEADLINE_STAGES, 'The current stage or a later one')
  readonly stage!: DeadlineStage;

  @Deadline('Added to the stage deadline', 'P14D')
  readonly by!: string;
}

export class ReplanDto {
  @CalendarDate('The new planned go-live date; the original plan is kept', '2028-04-01', { optional: true })
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

@CommandController('api/departments/:code/replan', 'onboarding')
export class ReplanController {
  constructor(private readonly commands: CommandService) {}

  @CommandRoute('Move the planned go-live date and/or extend a stage deadline; the original plan is kept', ['programme'])
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
