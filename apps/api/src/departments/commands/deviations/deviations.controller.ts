import { randomUUID } from 'node:crypto';
import { Body, Param } from '@nestjs/common';
import { DEVIATION_DECISIONS, MAX_NAME_LENGTH } from '../../../../../../libs/domain/index.js';
import { ISSUED_ID_PATTERN } from '../../../../../../libs/event-store/index.js';
import { CommandCall } from '../../../common/command-context.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { ApiError } from '../../../common/api-error.js';
import { OneOf, Text } from '../../../common/text.js';
import { CommandService } from '../../command.service.js';
import { OptionalPounds, statedPence } from '../money.js';
import { CommandController, CommandRoute } from '../../../common/command-route.js';

export class RequestDeviationDto {
  @Text('Area of the standard operating model', MAX_NAME_LENGTH, 'payroll')
  readonly area!: string;

  @Text('What would differ from the standard operating model')
  readonly description!: string;

  @Text('Why the department needs it; every deviation costs money')
  readonly justification!: string;

  @OptionalPounds('Estimated one-off cost of the deviation, in pounds')
  readonly oneOffCostGbp?: number;

  @OptionalPounds('Estimated cost of the deviation each year, in pounds')
  readonly annualCostGbp?: number;
}

export class DecideDeviationDto {
  @OneOf(DEVIATION_DECISIONS)
  readonly decision!: 'approved' | 'rejected';

  @Text('Why')
  readonly reason!: string;
}

@CommandController('api/departments/:code/deviations', 'onboarding')
export class DeviationsController {
  constructor(private readonly commands: CommandService) {}

  @CommandRoute('Request a deviation from the standard operating model', ['lead'], { departmentScoped: true })
  request(@Param('code') code: string, @Body() dto: RequestDeviationDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(
      code,
      {
        type: 'RequestDeviation',
        deviationId: `dev-${randomUUID()}`,
        area: dto.area,
        description: dto.description,
        justification: dto.justification,
        ...statedPence({ oneOffCostPence: dto.oneOffCostGbp, annualCostPence: dto.annualCostGbp }),
      },
      context,
    );
  }

  @CommandRoute('Approve or reject a deviation request', ['programme'], { path: ':id/decision' })
  decide(@Param('code') code: string, @Param('id') id: string, @Body() dto: DecideDeviationDto, @CommandCall() context: CommandContext) {
    if (!ISSUED_ID_PATTERN.test(id)) throw new ApiError(404, 'unknown-deviation', 'no deviation with this id');
    return this.commands.execute(code, { type: 'DecideDeviation', deviationId: id, decision: dto.decision, reason: dto.reason }, context);
  }
}
