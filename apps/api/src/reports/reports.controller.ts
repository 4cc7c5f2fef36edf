import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { DepartmentReadModel } from '../../../../libs/projections/index.js';
import { benchmarksReport, savingsReport, timetableReport, toCsv } from '../../../../libs/reports/index.js';
import { Access } from '../auth/access.decorator.js';

export class ReportQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv'])
  readonly format?: 'json' | 'csv';

  @ApiPropertyOptional({ description: 'Only departments joining this centre' }) @IsOptional() @IsString() @MaxLength(100)
  readonly centre?: string;
}

/** The programme's honest figures, as JSON or as CSV for a spreadsheet. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
export class ReportsController {
  constructor(private readonly departments: DepartmentReadModel) {}

  @Get('savings')
  @Access('any')
  @ApiOperation({ summary: 'Savings caused by the programme, kept apart from reductions caused by spending constraints' })
  async savings(@Query() query: ReportQuery, @Res({ passthrough: true }) response: Response) {
    const report = savingsReport(await this.departments.list({ centre: query.centre }));
    if (query.format !== 'csv') return report;
    const rows = report.departments.flatMap((department) =>
      department.byPeriod.map((period) => ({ code: department.code, centre: department.centre, ...period })),
    );
    return sendCsv(response, 'savings', toCsv(rows, ['code', 'centre', 'period', 'programmeGbp', 'spendingConstraintGbp']));
  }

  @Get('benchmarks')
  @Access('any')
  @ApiOperation({ summary: 'Performance benchmarks per shared services centre' })
  async benchmarks(@Query() query: ReportQuery, @Res({ passthrough: true }) response: Response) {
    const report = benchmarksReport(await this.departments.list({ centre: query.centre }));
    if (query.format !== 'csv') return report;
    return sendCsv(response, 'benchmarks', toCsv(report.centres as unknown as Record<string, unknown>[]));
  }

  @Get('timetable')
  @Access('any')
  @ApiOperation({ summary: 'Planned against actual go-live: slippage as a fact' })
  async timetable(@Query() query: ReportQuery, @Res({ passthrough: true }) response: Response) {
    const report = timetableReport(await this.departments.list({ centre: query.centre }), new Date().toISOString());
    if (query.format !== 'csv') return report;
    return sendCsv(response, 'timetable', toCsv(report.departments as unknown as Record<string, unknown>[]));
  }
}

function sendCsv(response: Response, name: string, body: string): string {
  response.setHeader('content-type', 'text/csv; charset=utf-8');
  response.setHeader('content-disposition', `attachment; filename="${name}.csv"`);
  return body;
}
