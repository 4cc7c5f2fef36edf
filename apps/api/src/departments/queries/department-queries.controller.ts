import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { AppConfig } from '../../../../../libs/config/index.js';
import { STAGES, evaluateGates, streamIdFor } from '../../../../../libs/domain/index.js';
import { EventStore } from '../../../../../libs/event-store/index.js';
import { DepartmentReadModel, LessonReadModel, mandatoryLessonIdsIn, type LessonView } from '../../../../../libs/projections/index.js';
import { Access, CurrentPrincipal } from '../../auth/access.decorator.js';
import type { Principal } from '../../auth/roles.js';
import { ApiError, departmentNotFound } from '../../common/api-error.js';
import { APP_CONFIG } from '../../common/tokens.js';
import { normaliseCode } from '../command.service.js';
import { toDepartmentView } from '../department-view.js';

export class ListDepartmentsQuery {
  @ApiPropertyOptional({ enum: STAGES }) @IsOptional() @IsIn(STAGES)
  readonly stage?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100)
  readonly centre?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  readonly overdue?: boolean;
}

export class EventsQuery {
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  readonly fromVersion?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  readonly limit?: number;
}

/** Reads come from the read model, never from the workflow, so they work while Temporal is busy. */
@ApiTags('departments')
@ApiBearerAuth()
@Controller('api/departments')
export class DepartmentQueriesController {
  constructor(
    private readonly departments: DepartmentReadModel,
    private readonly lessons: LessonReadModel,
    private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Access('any')
  @ApiOperation({ summary: 'List departments; leads and centres see their own' })
  async list(@Query() query: ListDepartmentsQuery, @CurrentPrincipal() principal: Principal) {
    const codes = isScopedOnly(principal) ? principal.departments : undefined;
    const states = await this.departments.list({ stage: query.stage, centre: query.centre, overdue: query.overdue, codes });
    return states.map((state) => toDepartmentView(state, this.config.temporalUiUrl, this.config.temporalNamespace));
  }

  @Get(':code')
  @Access('any', { departmentScoped: true })
  @ApiOperation({ summary: 'One department as the read model holds it' })
  async get(@Param('code') rawCode: string) {
    const code = normaliseCode(rawCode);
    const state = await this.departments.get(code);
    if (!state) throw departmentNotFound(code);
    return toDepartmentView(state, this.config.temporalUiUrl, this.config.temporalNamespace);
  }

  @Get(':code/gates')
  @Access('any', { departmentScoped: true })
  @ApiOperation({
    summary: "Every gate of the current stage, met or not, and whether an advance would be accepted now",
    description: "The decider's own evaluation, with the library's mandatory lessons as they stand now.",
  })
  async gates(@Param('code') rawCode: string) {
    const code = normaliseCode(rawCode);
    const state = await this.departments.get(code);
    if (!state) throw new ApiError(404, 'department-not-found', `no department ${code} is registered`);
    return evaluateGates(state, await this.lessons.mandatoryLessonIds(state.centre), new Date().toISOString());
  }

  @Get(':code/events')
  @Access(['auditor', 'programme', 'lead'], { departmentScoped: true })
  @ApiOperation({ summary: "The department's events in stream order, with their hashes" })
  async events(@Param('code') rawCode: string, @Query() query: EventsQuery) {
    const code = normaliseCode(rawCode);
    if (!(await this.departments.get(code))) throw departmentNotFound(code);
    return this.store.readStream(streamIdFor(code), { fromVersion: query.fromVersion, limit: query.limit ?? 1000 });
  }

  /**
   * What `get`, `gates` and (with `events`) `events` answer, from one read of the row beside one
   * read of the stream, with the gates decided on a library the caller reads anyway: the
   * console's department page, which lists the lessons too. Not a route.
   */
  async withGates(rawCode: string, library: Promise<readonly LessonView[]>, events: boolean) {
    const code = normaliseCode(rawCode);
    const [state, lessons, stream] = await Promise.all([
      this.departments.get(code),
      library,
      events ? this.store.readStream(streamIdFor(code), { limit: 1000 }) : undefined,
    ]);
    if (!state) throw departmentNotFound(code);
    return {
      department: toDepartmentView(state, this.config.temporalUiUrl, this.config.temporalNamespace),
      gates: evaluateGates(state, mandatoryLessonIdsIn(lessons, state.centre), new Date().toISOString()),
      events: stream,
    };
  }
}

function isScopedOnly(principal: Principal): boolean {
  return principal.roles.every((role) => role === 'lead' || role === 'centre');
}
