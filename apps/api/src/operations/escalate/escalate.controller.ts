import { Body, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Access } from '../../auth/access.decorator.js';
import { CommandCall } from '../../common/command-context.js';
import type { CommandContext } from '../../../../../workflows/contract.js';
import { CommandService } from '../../departments/command.service.js';
import { ReasonDto } from '../../departments/commands/reason.dto.js';
import { CommandController } from '../../common/command-route.js';

@CommandController('api/operations/departments/:code', 'operations')
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
