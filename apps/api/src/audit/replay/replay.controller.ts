import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { ArrayMaxSize, IsArray, IsOptional } from 'class-validator';
import { fetchRunChain, replayHistories, type ReplayOutcome, type WorkflowRunHistory } from '../../../../../libs/audit/index.js';
import type { SqlClient } from '../../../../../libs/database/index.js';
import { workflowIdFor } from '../../../../../libs/domain/index.js';
import { DepartmentReadModel } from '../../../../../libs/projections/index.js';
import { Access } from '../../auth/access.decorator.js';
import { ApiError, departmentNotFound } from '../../common/api-error.js';
import { DepartmentCode } from '../../common/text.js';
import { SQL_CLIENT } from '../../common/tokens.js';
import { CurrentWorkflowCode } from '../audit-dependencies.js';
import { temporalError } from '../history/workflow-history.controller.js';
import { Unbounded } from '../../common/request-deadline.js';

export class ReplayRequest {
  @DepartmentCode('Department codes; every registered department when absent', { each: true, optional: true, example: ['DFT', 'HMT'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  readonly departments?: string[];
}

interface DepartmentReplay {
  readonly department: string;
  readonly workflowId: string;
  readonly runId: string | null;
  readonly ok: boolean;
  readonly error?: ReplayOutcome['error'] | { readonly kind: 'history-unavailable'; readonly message: string };
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class ReplayController {
  constructor(
    private readonly temporal: Client,
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly code: CurrentWorkflowCode,
  ) {}

  @Post('replay')
  @Unbounded()
  @HttpCode(200)
  @Access(['auditor'])
  @ApiOperation({
    summary: "Replay departments' Temporal histories against today's workflow code",
    description:
      'Per workflow run: ok, or the determinism error and the history event where the code diverged. Nothing is written anywhere.',
  })
  async replay(@Body() request: ReplayRequest) {
    const codes = await this.departments(request.departments);
    const results: DepartmentReplay[] = [];
    const runs: Array<WorkflowRunHistory & { department: string }> = [];
    for (const code of codes) {
      const workflowId = workflowIdFor(code);
      try {
        runs.push(...(await fetchRunChain(this.temporal, workflowId)).map((run) => ({ ...run, department: code })));
      } catch (error) {
        const failure = temporalError(error, workflowId);
        if (failure instanceof ApiError && failure.code === 'temporal-unavailable') throw failure;
        results.push({ department: code, workflowId, runId: null, ok: false, error: { kind: 'history-unavailable', message: failure.message } });
      }
    }
    const outcomes = await replayHistories(runs, { workflowBundle: await this.code.get() });
    const departmentOfRun = new Map(runs.map((run) => [run.runId, run.department]));
    for (const outcome of outcomes) {
      results.push({ department: departmentOfRun.get(outcome.runId) ?? '', workflowId: outcome.workflowId, runId: outcome.runId, ok: outcome.ok, ...(outcome.error ? { error: outcome.error } : {}) });
    }
    return { replayed: outcomes.length, failed: results.filter((result) => !result.ok).length, results };
  }

  private async departments(requested: readonly string[] | undefined): Promise<string[]> {
    const known = new DepartmentReadModel(this.db);
    if (!requested) return (await known.list()).map((department) => department.code);
    const codes = [...new Set(requested.map((code) => code.toUpperCase()))];
    const found = await known.list({ codes });
    const unknown = codes.filter((code) => !found.some((department) => department.code === code));
    if (unknown.length > 0) throw departmentNotFound(unknown.join(', '), undefined, { unknown });
    return codes;
  }
}
