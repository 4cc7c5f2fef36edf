import { Body, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsObject, IsOptional, Matches, ValidateBy, ValidateNested } from 'class-validator';
import { MAX_CENTRE_LENGTH, MAX_NAME_LENGTH, parseIsoDuration } from '../../../../../libs/domain/index.js';
import { Access } from '../../auth/access.decorator.js';
import { CommandCall } from '../../common/command-context.js';
import type { CommandContext } from '../../../../../workflows/contract.js';
import { DepartmentCode, Text } from '../../common/text.js';
import { CommandService, normaliseCode, type CommandResponse } from '../command.service.js';
import { CommandController } from '../../common/command-route.js';

const TEN_YEARS_MS = 10 * 365 * 86_400_000;

/**
 * The domain's own reading of a duration, bounded: one so far off that it overflows a date
 * is refused here. A zero deadline is the domain's rule (400 invalid-command), checked by
 * the decider before registration starts a workflow.
 */
function IsDeadline(): PropertyDecorator {
  return ValidateBy({
    name: 'isDeadline',
    validator: {
      validate(value: unknown) {
        if (typeof value !== 'string' || value.length > 40) return false;
        try {
          const ms = parseIsoDuration(value);
          return ms <= TEN_YEARS_MS;
        } catch {
          return false;
        }
      },
      defaultMessage: () => '$property must be an ISO 8601 duration of at most ten years (e.g. P45D, PT5S)',
    },
  });
}

export class StageDeadlinesDto {
  @ApiPropertyOptional({ example: 'P45D' }) @IsOptional() @IsDeadline()
  readonly LESSONS?: string;
  @ApiPropertyOptional({ example: 'P60D' }) @IsOptional() @IsDeadline()
  readonly READINESS?: string;
  @ApiPropertyOptional({ example: 'P120D' }) @IsOptional() @IsDeadline()
  readonly MIGRATION?: string;
  @ApiPropertyOptional({ example: 'P30D' }) @IsOptional() @IsDeadline()
  readonly GO_LIVE?: string;
}

export class RegisterDepartmentDto {
  @DepartmentCode('Department code', { example: 'DFT' })
  readonly code!: string;

  @Text('Department name', MAX_NAME_LENGTH, 'Department for Transport')
  readonly name!: string;

  @Text('Shared services centre the department joins', MAX_CENTRE_LENGTH, 'ISSC1')
  readonly centre!: string;

  @ApiProperty({ example: '2027-04-01', description: 'Planned go-live date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'plannedGoLive must be a date YYYY-MM-DD' })
  readonly plannedGoLive!: string;

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
      },
      context,
    );
  }
}
