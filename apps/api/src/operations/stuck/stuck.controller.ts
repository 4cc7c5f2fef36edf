import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Response } from 'express';
import type { AppConfig } from '../../../../../libs/config/index.js';
import { STAGES } from '../../../../../libs/domain/index.js';
import { sweepLeaseName } from '../../../../../libs/operations/index.js';
import { MAX_STUCK_PAGE, STUCK_REASONS, StuckReadModel, type StuckOnboarding, type StuckReason } from '../../../../../libs/projections/index.js';
import { onboardingWorkflowId } from '../../../../../workflows/contract.js';
import { Access } from '../../auth/access.decorator.js';
import { workflowLinks } from '../../departments/department-view.js';
import { APP_CONFIG } from '../../common/tokens.js';

export class StuckQuery {
  @ApiPropertyOptional({ enum: STUCK_REASONS }) @IsOptional() @IsIn(STUCK_REASONS)
  readonly reason?: StuckReason;

  @ApiPropertyOptional({ enum: STAGES }) @IsOptional() @IsIn(STAGES)
  readonly stage?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100)
  readonly centre?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_STUCK_PAGE, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_STUCK_PAGE)
  readonly limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  readonly offset?: number;
}

/** Which onboardings are stuck and why, oldest first, from the indexed `stuck_onboardings` read model. */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/operations')
export class StuckController {
  /** The sweep of this API's task queue, whose last run the header gives. */
  private readonly sweep: string;
  private readonly workflowLink: (workflowId: string) => { workflow?: string };

  constructor(
    private readonly stuck: StuckReadModel,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.sweep = sweepLeaseName(config.temporalNamespace, config.temporalTaskQueue);
    this.workflowLink = workflowLinks(config.temporalUiUrl, config.temporalNamespace);
  }

  @Get('stuck')
  @Access(['operations'])
  @ApiOperation({
    summary: 'Stuck onboardings, oldest first: deadline-missed, activity-failing, workflow-task-failing, awaiting-decision',
    description:
      'Deadlines and decisions come from the event log as it is appended; failing activities and workflow tasks from the ' +
      "workers' sweep of Temporal, whose last run is in the X-Stuck-Swept-At header.",
  })
  async list(@Query() query: StuckQuery, @Res({ passthrough: true }) response: Response) {
    const { entries, sweptAt } = await this.stuck.listWithSweep(
      { reason: query.reason, stage: query.stage, centre: query.centre, limit: query.limit, offset: query.offset },
      this.sweep,
    );
    if (sweptAt) response.setHeader('X-Stuck-Swept-At', sweptAt);
    return entries.map((row) => this.view(row));
  }

  private view(row: StuckOnboarding) {
    const workflowId = onboardingWorkflowId(row.code);
    return Object.assign(row, { workflowId, links: { department: `/api/departments/${row.code}`, ...this.workflowLink(workflowId) } });
  }
}
