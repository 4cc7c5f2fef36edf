import { Body, Param } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { poundsToPence } from '../../../../../../libs/domain/index.js';
import { CommandCall } from '../../../common/command-context.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { CommandService } from '../../command.service.js';
import { OptionalPounds, Pounds, statedPence } from '../money.js';
import { CommandController, CommandRoute } from '../../../common/command-route.js';

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

@CommandController('api/departments/:code/baseline', 'onboarding')
export class RecordBaselineController {
  constructor(private readonly commands: CommandService) {}

  @CommandRoute('Record the cost baseline that savings are measured against', ['lead'], { departmentScoped: true })
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
