import { Body, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { MAX_CENTRE_LENGTH, MAX_NAME_LENGTH } from '../../../../../libs/domain/index.js';
import { Access } from '../../auth/access.decorator.js';
import { CommandCall } from '../../common/command-context.js';
import type { CommandContext } from '../../../../../workflows/contract.js';
import { CalendarDate, Deadline, DepartmentCode, OptionalText, Text } from '../../common/text.js';
import { CommandService, normaliseCode, type CommandResponse } from '../command.service.js';
import { CommandController } from '../../common/command-route.js';

export class StageDeadlinesDto {
  @Deadline('The Lessons stage', 'P45D', { optional: true })
  readonly LESSONS?: string;
  @Deadline('The Readiness stage', 'P60D', { optional: true })
  readonly READINESS?: string;
  @Deadline('The Migration stage', 'P120D', { optional: true })
  readonly MIGRATION?: string;
  @Deadline('The Go-live stage', 'P30D', { optional: true })
  readonly GO_LIVE?: string;
}

export class RegisterDepartmentDto {
  @DepartmentCode('Department code', { example: 'DFT' })
  readonly code!: string;

  @Text('Department name', MAX_NAME_LENGTH, 'Department for Transport')
  readonly name!: string;

  @Text('Shared services centre the department joins', MAX_CENTRE_LENGTH, 'ISSC1')
  readonly centre!: string;

  @CalendarDate('Planned go-live date', '2027-04-01')
  readonly plannedGoLive!: string;

  @OptionalText('The onboarding lead who takes the department through its stages; reassign hands it to someone else', MAX_NAME_LENGTH)
  readonly lead?: string;

  @ApiPropertyOptional({ type: StageDeadlinesDto, description: 'Per-stage service-level deadlines as ISO 8601 durations' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => StageDeadlinesDto)
  readonly deadlines?: StageDeadlinesDto;
}

@CommandController('api/departments', 'departments')
export class RegisterDepartmentController {
  constructor(private readonly commands: CommandService) {}

  @Post()
  @HttpCode(201)
  @Access(['programme'])
  @ApiOperation({ summary: 'Register a department and start its onboarding workflow' })
  @ApiResponse({ status: 201, description: 'Registered; the workflow onboarding-<CODE> is running' })
  @ApiResponse({ status: 409, description: 'Already registered' })
  register(@Body() dto: RegisterDepartmentDto, @CommandCall() context: CommandContext): Promise<CommandResponse> {
    return this.commands.register(
      {
        type: 'RegisterDepartment',
        code: normaliseCode(dto.code),
        name: dto.name.trim(),
        centre: dto.centre.trim(),
        plannedGoLive: dto.plannedGoLive,
        ...(dto.deadlines ? { deadlines: { ...dto.deadlines } } : {}),
        ...(dto.lead?.trim() ? { lead: dto.lead.trim() } : {}),
      },
      context,
    );
  }
}
