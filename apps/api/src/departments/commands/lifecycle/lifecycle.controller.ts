import { Body, Param } from '@nestjs/common';
import { MAX_NAME_LENGTH, WITHDRAWAL_CATEGORIES, type WithdrawalCategory } from '../../../../../../libs/domain/index.js';
import { CommandCall } from '../../../common/command-context.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { OneOf, Text } from '../../../common/text.js';
import { CommandService } from '../../command.service.js';
import { OptionalPounds, statedPence } from '../money.js';
import { ReasonDto } from '../reason.dto.js';
import { CommandController, CommandRoute } from '../../../common/command-route.js';

export class WithdrawDto extends ReasonDto {
  @OneOf(WITHDRAWAL_CATEGORIES, 'Where the department went: another centre, in-house, merged, or other')
  readonly category!: WithdrawalCategory;

  @OptionalPounds('Money already spent on the onboarding that the exit writes off, in pounds')
  readonly sunkCostGbp?: number;
}

export class ReassignDto {
  @Text('The new onboarding lead', MAX_NAME_LENGTH, 'j.smith')
  readonly lead!: string;
}

/** Pause, resume, withdraw, close and reassign: the programme's and operations' levers. */
@CommandController('api/departments/:code', 'onboarding')
export class LifecycleController {
  constructor(private readonly commands: CommandService) {}

  @CommandRoute('Pause: stops the stage clock and refuses changes until resumed', ['operations', 'programme'], { path: 'pause' })
  pause(@Param('code') code: string, @Body() dto: ReasonDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(code, { type: 'PauseOnboarding', reason: dto.reason }, context);
  }

  @CommandRoute('Resume: restarts the stage clock with the time that was left', ['operations', 'programme'], { path: 'resume' })
  resume(@Param('code') code: string, @Body() dto: ReasonDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(code, { type: 'ResumeOnboarding', reason: dto.reason }, context);
  }

  @CommandRoute('Withdraw the department from the programme; ends its workflow', ['programme'], { path: 'withdraw' })
  withdraw(@Param('code') code: string, @Body() dto: WithdrawDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(
      code,
      { type: 'WithdrawDepartment', reason: dto.reason, category: dto.category, ...statedPence({ sunkCostPence: dto.sunkCostGbp }) },
      context,
    );
  }

  @CommandRoute('Close benefits tracking of a LIVE department; ends its workflow', ['programme'], { path: 'close' })
  close(@Param('code') code: string, @Body() dto: ReasonDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(code, { type: 'CloseOnboarding', reason: dto.reason }, context);
  }

  @CommandRoute('Hand the onboarding to another lead', ['operations', 'programme'], { path: 'reassign' })
  reassign(@Param('code') code: string, @Body() dto: ReassignDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(code, { type: 'ReassignLead', lead: dto.lead }, context);
  }
}
