import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { poundsToPence } from '../../../../../../libs/domain/index.js';
import { Access } from '../../../auth/access.decorator.js';
import { CommandCall } from '../../../common/command-context.js';
import { Idempotent } from '../../../common/idempotency.interceptor.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { CommandService } from '../../command.service.js';
import { OptionalPounds, Pounds, statedPence } from '../money.js';

export class RecordBaselineDto {
  @Pounds('Annual cost of the back-office functions before joining, in pounds')
  readonly annualCostGbp!: number;

  @Pounds('Cost of implementing the move, in pounds')
  readonly implementationCostGbp!: number;

  @ApiProperty({ minimum: 0, description: 'Staff served by the functions' })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  readonly headcountServed!: number;

  @OptionalPounds('Saving a year the department expects once live, in pounds: what the cost buys')
  readonly expectedAnnualSavingGbp?: number;
}

@ApiTags('onboarding')
@ApiBearerAuth()
@Idempotent()
@Controller('api/departments/:code/baseline')
export class RecordBaselineController {
  constructor(private readonly commands: CommandService) {}

  @Post()
  @HttpCode(200)
  @Access(['lead'], { departmentScoped: true })
  @ApiOperation({ summary: 'Record the cost baseline that savings are measured against' })
  record(@Param('code') code: string, @Body() dto: RecordBaselineDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(
      code,
      {
        type: 'RecordBaseline',
        annualCostPence: poundsToPence(dto.annualCostGbp),
        implementationCostPence: poundsToPence(dto.implementationCostGbp),
        headcountServed: dto.headcountServed,
        ...statedPence({ expectedAnnualSavingPence: dto.expectedAnnualSavingGbp }),
      },
      context,
    );
  }
}
