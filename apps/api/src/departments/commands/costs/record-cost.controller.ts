import { Body, Param } from '@nestjs/common';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { CommandCall } from '../../../common/command-context.js';
import { CommandService } from '../../command.service.js';
import { RecordCostDto, costFrom } from './cost.dto.js';
import { CommandController, CommandRoute } from '../../../common/command-route.js';

@CommandController('api/departments/:code/costs', 'benefits')
export class RecordCostController {
  constructor(private readonly commands: CommandService) {}

  @CommandRoute("Record an implementation cost incurred on a department's onboarding", ['lead', 'programme', 'centre'], { departmentScoped: true })
  record(@Param('code') code: string, @Body() dto: RecordCostDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(code, { type: 'RecordCost', ...costFrom(dto) }, context);
  }
}
