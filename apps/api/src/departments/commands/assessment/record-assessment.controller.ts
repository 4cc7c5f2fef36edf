import { Body, Param } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { ASSESSMENT_SCORE_RANGE, MAX_NAME_LENGTH } from '../../../../../../libs/domain/index.js';
import { CommandCall } from '../../../common/command-context.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { MaxDecimals } from '../../../common/decimal.js';
import { OptionalText, Text } from '../../../common/text.js';
import { CommandService } from '../../command.service.js';
import { CommandController, CommandRoute } from '../../../common/command-route.js';

export class RecordAssessmentDto {
  @Text('Senior responsible owner who signs the assessment', MAX_NAME_LENGTH, 'Jane Smith')
  readonly sro!: string;

  @ApiProperty({ minimum: ASSESSMENT_SCORE_RANGE[0], maximum: ASSESSMENT_SCORE_RANGE[1], description: 'Intelligent-customer capability score' })
  @IsInt()
  @Min(ASSESSMENT_SCORE_RANGE[0])
  @Max(ASSESSMENT_SCORE_RANGE[1])
  readonly score!: number;

  @ApiProperty({ minimum: 0, description: 'Full-time staff who will manage the shared-service contract' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(2)
  @Min(0)
  @Max(100000)
  readonly contractManagementFte!: number;

  @OptionalText('Notes')
  readonly notes?: string;
}

@CommandController('api/departments/:code/assessment', 'onboarding')
export class RecordAssessmentController {
  constructor(private readonly commands: CommandService) {}

  @CommandRoute('Record the intelligent-customer capability assessment', ['lead'], { departmentScoped: true })
  record(@Param('code') code: string, @Body() dto: RecordAssessmentDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(
      code,
      { type: 'RecordAssessment', sro: dto.sro, score: dto.score, contractManagementFte: dto.contractManagementFte, ...(dto.notes ? { notes: dto.notes } : {}) },
      context,
    );
  }
}
