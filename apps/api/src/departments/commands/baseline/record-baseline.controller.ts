import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { poundsToPence } from '../../../../../../libs/domain/index.js';
import { Access } from '../../../auth/access.decorator.js';
import { CommandService, type HttpCommandRequest } from '../../command.service.js';
import { Pounds } from '../money.js';

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
}

@ApiTags('onboarding')
@ApiBearerAuth()
@Controller('api/departments/:code/baseline')
export class RecordBaselineController {
  constructor(private readonly commands: CommandService) {}

  @Post()
  @HttpCode(200)
  @Access(['lead'], { departmentScoped: true })
  @ApiOperation({ summary: 'Record the cost baseline that savings are measured against' })
  record(@Param('code') code: string, @Body() dto: RecordBaselineDto, @Req() request: HttpCommandRequest) {
    return this.commands.execute(
      code,
      {
        type: 'RecordBaseline',
        annualCostPence: poundsToPence(dto.annualCostGbp),
        implementationCostPence: poundsToPence(dto.implementationCostGbp),
        headcountServed: dto.headcountServed,
      },
      request,
    );
  }
}
