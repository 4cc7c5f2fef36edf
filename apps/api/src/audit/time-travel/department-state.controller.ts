import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { departmentStateAt, VersionBeyondHead, type PointInTime } from '../../../../../libs/audit/index.js';
import type { AppConfig } from '../../../../../libs/config/index.js';
import type { SqlClient } from '../../../../../libs/database/index.js';
import { Access } from '../../auth/access.decorator.js';
import { ApiError, departmentNotFound } from '../../common/api-error.js';
import { Instant } from '../../common/text.js';
import { APP_CONFIG, SQL_CLIENT } from '../../common/tokens.js';
import { normaliseCode } from '../../departments/command.service.js';
import { toDepartmentView } from '../../departments/department-view.js';

export class PointInTimeQuery {
  @Instant('The state after every event recorded at or before this instant', '2027-01-31T17:00:00Z', { optional: true })
  readonly asOf?: string;

  @ApiPropertyOptional({ description: 'A stream version: the state after events 1..version', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2 ** 31 - 1)
  readonly version?: number;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/departments')
export class DepartmentStateController {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':code/state')
  @Access(['auditor', 'programme'])
  @ApiOperation({
    summary: 'The department as it stood at a past instant or version, folded from its events alone',
    description:
      'Uses the same evolve as the workflow. Without asOf or version: the head, with matchesReadModel saying whether the read model agrees.',
  })
  async state(@Param('code') rawCode: string, @Query() query: PointInTimeQuery) {
    const code = normaliseCode(rawCode);
    const point = pointInTime(query);
    let historical;
    try {
      historical = await departmentStateAt(this.db, code, point);
    } catch (error) {
      if (error instanceof VersionBeyondHead) throw new ApiError(404, error.code, error.message, { headVersion: error.headVersion });
      throw error;
    }
    if (!historical) throw departmentNotFound(code, `no events are recorded for department ${code}`);
    const { state, integrity, ...rest } = historical;
    return {
      ...rest,
      ...point,
      atHead: historical.version === historical.headVersion,
      integrity: { valid: integrity.valid, checkedEvents: integrity.checkedEvents, ...(integrity.valid ? {} : { firstInvalidVersion: integrity.firstInvalidVersion }) },
      department: state ? toDepartmentView(state, this.config.temporalUiUrl, this.config.temporalNamespace) : null,
    };
  }
}

function pointInTime(query: PointInTimeQuery): PointInTime {
  if (query.asOf !== undefined && query.version !== undefined) {
    throw new ApiError(400, 'ambiguous-point-in-time', 'give asOf or version, not both');
  }
  if (query.asOf !== undefined) return { asOf: query.asOf };
  return query.version !== undefined ? { version: query.version } : {};
}
