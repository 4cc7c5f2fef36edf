import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../../../auth/access.decorator.js';
import { Text } from '../../../common/text.js';
import { CommandService, type HttpCommandRequest } from '../../command.service.js';
import { ReasonDto } from '../reason.dto.js';

export class ReassignDto {
  @Text('The new onboarding lead', 200, 'j.smith')
  readonly lead!: string;
}

/** Pause, resume, withdraw, close and reassign: the programme's and operations' levers. */
@ApiTags('onboarding')
@ApiBearerAuth()
@Controller('api/departments/:code')
export class LifecycleController {
  constructor(private readonly commands: CommandService) {}

  @Post('pause')
  @HttpCode(200)
  @Access(['operations', 'programme'])
  @ApiOperation({ summary: 'Pause: stops the stage clock and refuses changes until resumed' })
  pause(@Param('code') code: string, @Body() dto: ReasonDto, @Req() request: HttpCommandRequest) {
    return this.commands.execute(code, { type: 'PauseOnboarding', reason: dto.reason }, request);
  }

  @Post('resume')
  @HttpCode(200)
  @Access(['operations', 'programme'])
  @ApiOperation({ summary: 'Resume: restarts the stage clock with the time that was left' })
  resume(@Param('code') code: string, @Body() dto: ReasonDto, @Req() request: HttpCommandRequest) {
    return this.commands.execute(code, { type: 'ResumeOnboarding', reason: dto.reason }, request);
  }

  @Post('withdraw')
  @HttpCode(200)
  @Access(['programme'])
  @ApiOperation({ summary: 'Withdraw the department from the programme; ends its workflow' })
  withdraw(@Param('code') code: string, @Body() dto: ReasonDto, @Req() request: HttpCommandRequest) {
    return this.commands.execute(code, { type: 'WithdrawDepartment', reason: dto.reason }, request);
  }

  @Post('close')
  @HttpCode(200)
  @Access(['programme'])
  @ApiOperation({ summary: 'Close benefits tracking of a LIVE department; ends its workflow' })
  close(@Param('code') code: string, @Body() dto: ReasonDto, @Req() request: HttpCommandRequest) {
    return this.commands.execute(code, { type: 'CloseOnboarding', reason: dto.reason }, request);
  }

  @Post('reassign')
  @HttpCode(200)
  @Access(['operations', 'programme'])
  @ApiOperation({ summary: 'Hand the onboarding to another lead' })
  reassign(@Param('code') code: string, @Body() dto: ReassignDto, @Req() request: HttpCommandRequest) {
    return this.commands.execute(code, { type: 'ReassignLead', lead: dto.lead }, request);
  }
}
