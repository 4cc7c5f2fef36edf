import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { IsOptional, IsUUID } from 'class-validator';
import type { Response } from 'express';
import { fetchRunHistory, historyAsJson, isWorkflowNotFound } from '../../../../../libs/audit/index.js';
import { workflowIdFor } from '../../../../../libs/domain/index.js';
import { Access } from '../../auth/access.decorator.js';
import { ApiError } from '../../common/api-error.js';
import { normaliseCode } from '../../departments/command.service.js';

export class HistoryQuery {
  @ApiPropertyOptional({ description: 'A run of the workflow; the latest run when absent' })
  @IsOptional()
  @IsUUID()
  readonly runId?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/departments')
export class WorkflowHistoryController {
  constructor(private readonly temporal: Client) {}

  @Get(':code/history')
  @Access(['auditor'])
  @ApiOperation({
    summary: "The department workflow's Temporal history, as `temporal workflow show --output json` writes it",
    description: 'Proto3 JSON of temporal.api.history.v1.History; the run id is in the x-workflow-run-id header. Replayable as is.',
  })
  async history(@Param('code') rawCode: string, @Query() query: HistoryQuery, @Res({ passthrough: true }) response: Response) {
    const workflowId = workflowIdFor(normaliseCode(rawCode));
    try {
      const run = await fetchRunHistory(this.temporal, workflowId, query.runId);
      response.setHeader('x-workflow-id', run.workflowId);
      response.setHeader('x-workflow-run-id', run.runId);
      return historyAsJson(run.history);
    } catch (error) {
      throw temporalError(error, workflowId);
    }
  }
}

/** Unknown workflows are a 404; anything else from Temporal means it could not be reached. */
export function temporalError(error: unknown, workflowId: string): Error {
  if (error instanceof ApiError) return error;
  if (isWorkflowNotFound(error)) return new ApiError(404, 'workflow-not-found', `Temporal holds no workflow ${workflowId}`);
  return new ApiError(503, 'temporal-unavailable', 'the workflow service did not answer; try again');
}
