import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import type { AppConfig } from '../../../../libs/config/index.js';
import { EventStore } from '../../../../libs/event-store/index.js';
import {
  benchmarksReport,
  isReportStream,
  reportInput,
  savingsReport,
  stageDurationsReport,
  timetableReport,
  toCsv,
  type RecordedEvent,
  type ReportInput,
} from '../../../../libs/reports/index.js';
import { Access } from '../auth/access.decorator.js';
import { APP_CONFIG } from '../common/tokens.js';

export class ReportQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv'])
  readonly format?: 'json' | 'csv';

  @ApiPropertyOptional({ description: 'Only departments joining this centre' }) @IsOptional() @IsString() @MaxLength(100)
  readonly centre?: string;

  @ApiPropertyOptional({ description: 'The figures as the events stood at this ISO 8601 instant (default: now)', example: '2027-03-31T23:59:59Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  readonly asOf?: string;
}

const PAGE = 5000;

/**
 * The programme's honest figures, as JSON or CSV, computed from the events themselves so
 * that `?asOf=` reproduces a quarter-end figure later and each figure names its events.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
export class ReportsController {
  constructor(
    private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('savings')
  @Access('any')
  @ApiOperation({ summary: 'Savings claimed, verified and corrected; programme savings apart from spending-constraint reductions; cost incurred against estimate; run-rate, payback and the target band' })
  async savings(@Query() query: ReportQuery, @Res({ passthrough: true }) response: Response) {
    const report = savingsReport(await this.input(query), {
      savingsPence: this.config.programmeSavingsTargetPence,
      costPence: this.config.programmeCostTargetPence,
    });
    if (query.format !== 'csv') return report;
    const rows = report.departments.flatMap((department) =>
      department.byPeriod.map((period) => ({ code: department.code, centre: department.centre, ...period })),
    );
    return sendCsv(response, 'savings', toCsv(rows, ['code', 'centre', 'period', 'programmeGbp', 'verifiedProgrammeGbp', 'spendingConstraintGbp']));
  }

  @Get('benchmarks')
  @Access('any')
  @ApiOperation({ summary: 'Performance benchmarks per shared services centre' })
  async benchmarks(@Query() query: ReportQuery, @Res({ passthrough: true }) response: Response) {
    const report = benchmarksReport((await this.input(query)).departments.map((history) => history.state));
    if (query.format !== 'csv') return report;
    return sendCsv(response, 'benchmarks', toCsv(report.centres as unknown as Record<string, unknown>[]));
  }

  @Get('timetable')
  @Access('any')
  @ApiOperation({ summary: 'Original and current plan against actual go-live: slippage as a fact; exits by category and sunk cost' })
  async timetable(@Query() query: ReportQuery, @Res({ passthrough: true }) response: Response) {
    const report = timetableReport(await this.input(query));
    if (query.format !== 'csv') return report;
    const rows = report.departments.map(({ withdrawal, provenance: _ids, ...department }) => ({
      ...department,
      withdrawalCategory: withdrawal?.category ?? null,
      sunkCostGbp: withdrawal?.sunkCostGbp ?? null,
    }));
    return sendCsv(response, 'timetable', toCsv(rows));
  }

  @Get('stage-durations')
  @Access('any')
  @ApiOperation({ summary: 'Time spent in each stage per centre: median, p90 and the longest, with the departments' })
  async stageDurations(@Query() query: ReportQuery, @Res({ passthrough: true }) response: Response) {
    const report = stageDurationsReport(await this.input(query));
    if (query.format !== 'csv') return report;
    const rows = report.rows.map((row) => ({
      centre: row.centre,
      stage: row.stage,
      departments: row.departments,
      medianDays: row.medianDays,
      p90Days: row.p90Days,
      longestCode: row.longest?.code ?? null,
      longestDays: row.longest?.days ?? null,
      inProgress: row.inProgress.length,
    }));
    return sendCsv(response, 'stage-durations', toCsv(rows, ['centre', 'stage', 'departments', 'medianDays', 'p90Days', 'longestCode', 'longestDays', 'inProgress']));
  }

  private async input(query: ReportQuery): Promise<ReportInput> {
    const asOf = query.asOf ? new Date(query.asOf).toISOString() : new Date().toISOString();
    return reportInput(await this.reportEvents(), asOf, query.centre);
  }

  /** The department, centre and programme streams in log order. */
  private async reportEvents(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (let from = 0; ; ) {
      const page = await this.store.readAll(from, PAGE);
      events.push(...page.filter((event) => isReportStream(event.streamId)));
      if (page.length < PAGE) return events;
      from = page[page.length - 1].position;
    }
  }
}

function sendCsv(response: Response, name: string, body: string): string {
  response.setHeader('content-type', 'text/csv; charset=utf-8');
  response.setHeader('content-disposition', `attachment; filename="${name}.csv"`);
  return body;
}
