import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { MAX_NAME_LENGTH, WITHDRAWAL_CATEGORIES, type WithdrawalCategory } from '../../../../../../libs/domain/index.js';
import { Access } from '../../../auth/access.decorator.js';
import { CommandCall } from '../../../common/command-context.js';
import { Idempotent } from '../../../common/idempotency.interceptor.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { Text } from '../../../common/text.js';
import { CommandService } from '../../command.service.js';
import { OptionalPounds, statedPence } from '../money.js';
import { ReasonDto } from '../reason.dto.js';

export class WithdrawDto extends ReasonDto {
  @ApiProperty({ enum: WITHDRAWAL_CATEGORIES, description: 'Where the department went: another centre, in-house, merged, or other' })
  @IsIn(WITHDRAWAL_CATEGORIES)
  readonly category!: WithdrawalCategory;

  @OptionalPounds('Money already spent on the onboarding that the exit writes off, in pounds')
  readonly sunkCostGbp?: number;
}

export class ReassignDto {
  @Text('The new onboarding lead', MAX_NAME_LENGTH, 'j.smith')
  readonly lead!: string;
}

/** Pause, resume, withdraw, close and reassign: the programme's and operations' levers. */
@ApiTags('onboarding')
@ApiBearerAuth()
@Idempotent()
@Controller('api/departments/:code')
export class LifecycleController {
  constructor(private readonly commands: CommandService) {}

  @Post('pause')
  @HttpCode(200)
  @Access(['operations', 'programme'])
  @ApiOperation({ summary: 'Pause: stops the stage clock and refuses changes until resumed' })
  pause(@Param('code') code: string, @Body() dto: ReasonDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(code, { type: 'PauseOnboarding', reason: dto.reason }, context);
  }

  @Post('resume')
  @HttpCode(200)
  @Access(['operations', 'programme'])
  @ApiOperation({ summary: 'Resume: restarts the stage clock with the time that was left' })
  resume(@Param('code') code: string, @Body() dto: ReasonDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(code, { type: 'ResumeOnboarding', reason: dto.reason }, context);
  }

  @Post('withdraw')
  @HttpCode(200)
  @Access(['programme'])
  @ApiOperation({ summary: 'Withdraw the department from the programme; ends its workflow' })
  withdraw(@Param('code') code: string, @Body() dto: WithdrawDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(
      code,
      { type: 'WithdrawDepartment', reason: dto.reason, category: dto.category, ...statedPence({ sunkCostPence: dto.sunkCostGbp }) },
      context,
    );
  }

  @Post('close')
  @HttpCode(200)
  @Access(['programme'])
  @ApiOperation({ summary: 'Close benefits tracking of a LIVE department; ends its workflow' })
  close(@Param('code') code: string, @Body() dto: ReasonDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(code, { type: 'CloseOnboarding', reason: dto.reason }, context);
  }

  @Post('reassign')
  @HttpCode(200)
  @Access(['operations', 'programme'])
  @ApiOperation({ summary: 'Hand the onboarding to another lead' })
  reassign(@Param('code') code: string, @Body() dto: ReassignDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(code, { type: 'ReassignLead', lead: dto.lead }, context);
  }
}
