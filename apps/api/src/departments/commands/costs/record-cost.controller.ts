import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../../../auth/access.decorator.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { CommandCall } from '../../../common/command-context.js';
import { Idempotent } from '../../../common/idempotency.interceptor.js';
import { CommandService } from '../../command.service.js';
import { RecordCostDto, costFrom } from './cost.dto.js';

@ApiTags('benefits')
@ApiBearerAuth()
@Idempotent()
@Controller('api/departments/:code/costs')
export class RecordCostController {
  constructor(private readonly commands: CommandService) {}

  @Post()
  @HttpCode(200)
  @Access(['lead', 'programme', 'centre'], { departmentScoped: true })
  @ApiOperation({ summary: "Record an implementation cost incurred on a department's onboarding" })
  record(@Param('code') code: string, @Body() dto: RecordCostDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(code, { type: 'RecordCost', ...costFrom(dto) }, context);
  }
}
