import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../../auth/access.decorator.js';
import { CommandCall } from '../../common/command-context.js';
import { Idempotent } from '../../common/idempotency.interceptor.js';
import type { CommandContext } from '../../../../../workflows/contract.js';
import { CommandService } from '../../departments/command.service.js';
import { ReasonDto } from '../../departments/commands/reason.dto.js';

@ApiTags('operations')
@ApiBearerAuth()
@Idempotent()
@Controller('api/operations/departments/:code')
export class EscalateController {
  constructor(private readonly commands: CommandService) {}

  @Post('escalate')
  @HttpCode(200)
  @Access(['operations'])
  @ApiOperation({
    summary: 'Escalate: records OnboardingEscalated through the workflow and notifies the people on call (webhook)',
  })
  escalate(@Param('code') code: string, @Body() dto: ReasonDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(code, { type: 'EscalateOnboarding', reason: dto.reason }, context);
  }
}
