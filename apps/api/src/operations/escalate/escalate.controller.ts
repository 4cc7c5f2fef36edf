import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../../auth/access.decorator.js';
import { CommandService, type HttpCommandRequest } from '../../departments/command.service.js';
import { ReasonDto } from '../../departments/commands/reason.dto.js';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/operations/departments/:code')
export class EscalateController {
  constructor(private readonly commands: CommandService) {}

  @Post('escalate')
  @HttpCode(200)
  @Access(['operations'])
  @ApiOperation({
    summary: 'Escalate: records OnboardingEscalated through the workflow and notifies the people on call (webhook)',
  })
  escalate(@Param('code') code: string, @Body() dto: ReasonDto, @Req() request: HttpCommandRequest) {
    return this.commands.execute(code, { type: 'EscalateOnboarding', reason: dto.reason }, request);
  }
}
