import { Body, Controller, HttpCode, Inject, Injectable, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { rebuildProjections, type RebuildResult } from '../../../../../libs/audit/index.js';
import type { SqlClient } from '../../../../../libs/database/index.js';
import { Access } from '../../auth/access.decorator.js';
import { ApiError } from '../../common/api-error.js';
import { SQL_CLIENT } from '../../common/tokens.js';
import { Unbounded } from '../../common/request-deadline.js';

export class RebuildRequest {
  @ApiPropertyOptional({ description: "Discard an interrupted rebuild's checkpoint and start from the first stream", default: false })
  @IsOptional()
  @IsBoolean()
  readonly restart?: boolean;
}

/** One rebuild at a time per process; a second request is told so rather than queued. */
@Injectable()
export class RebuildRunner {
  private running = false;

  constructor(@Inject(SQL_CLIENT) private readonly db: SqlClient) {}

  async run(restart: boolean): Promise<RebuildResult> {
    if (this.running) throw new ApiError(409, 'rebuild-in-progress', 'a projection rebuild is already running');
    this.running = true;
    try {
      return await rebuildProjections(this.db, { restart });
    } finally {
      this.running = false;
    }
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/admin/projections')
export class RebuildProjectionsController {
  constructor(private readonly runner: RebuildRunner) {}

  @Post('rebuild')
  @Unbounded()
  @HttpCode(200)
  @Access(['admin'])
  @ApiOperation({
    summary: 'Rebuild every read model from the event log',
    description: 'Stream by stream under each stream lock, so live traffic continues; an interrupted rebuild resumes from its checkpoint.',
  })
  async rebuild(@Body() request: RebuildRequest) {
    return this.runner.run(request.restart ?? false);
  }
}
