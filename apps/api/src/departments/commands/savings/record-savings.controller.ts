import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { type Attribution, ATTRIBUTIONS, MAX_TEXT_LENGTH, poundsToPence, SAVINGS_PERIOD_PATTERN } from '../../../../../../libs/domain/index.js';
import { Access } from '../../../auth/access.decorator.js';
import { CommandCall } from '../../../common/command-context.js';
import { Idempotent } from '../../../common/idempotency.interceptor.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { Text } from '../../../common/text.js';
import { CommandService } from '../../command.service.js';
import { Pounds } from '../money.js';

export class RecordSavingsDto {
  @ApiProperty({ example: '2027-Q3', description: 'Quarter the saving was achieved in' })
  @Matches(SAVINGS_PERIOD_PATTERN, { message: 'period must look like 2027-Q3' })
  readonly period!: string;

  @Pounds('Saving in pounds', 0.01)
  readonly amountGbp!: number;

  @ApiProperty({ enum: ATTRIBUTIONS, description: 'Caused by the programme, or by spending constraints' })
  @IsIn(ATTRIBUTIONS)
  readonly attribution!: Attribution;

  @Text('Reference to the evidence', MAX_TEXT_LENGTH, 'finance://ledger/2027-Q3/savings.pdf')
  readonly evidenceRef!: string;
}

@ApiTags('benefits')
@ApiBearerAuth()
@Idempotent()
@Controller('api/departments/:code/savings')
export class RecordSavingsController {
  constructor(private readonly commands: CommandService) {}

  @Post()
  @HttpCode(200)
  @Access(['lead'], { departmentScoped: true })
  @ApiOperation({ summary: 'Record a saving achieved in LIVE, attributed honestly' })
  record(@Param('code') code: string, @Body() dto: RecordSavingsDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(
      code,
      { type: 'RecordSavings', period: dto.period, amountPence: poundsToPence(dto.amountGbp), attribution: dto.attribution, evidenceRef: dto.evidenceRef },
      context,
    );
  }
}
