import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OPEN_STAGES, STAGES } from '../../../../../libs/domain/index.js';
import { Access } from '../../auth/access.decorator.js';
import type { Principal } from '../../auth/roles.js';
import { DepartmentQueriesController, type ListDepartmentsQuery } from '../../departments/queries/department-queries.controller.js';
import { ReportsController } from '../../reports/reports.controller.js';
import { ApiControllers } from '../api-controllers.js';
import { headlineFigures } from '../reports/figures.js';
import { stageName } from '../view-filters.js';

type DepartmentRow = Awaited<ReturnType<DepartmentQueriesController['list']>>[number];

const SORTS = {
  code: (a: DepartmentRow, b: DepartmentRow) => a.code.localeCompare(b.code),
  name: (a: DepartmentRow, b: DepartmentRow) => a.name.localeCompare(b.name),
  centre: (a: DepartmentRow, b: DepartmentRow) => a.centre.localeCompare(b.centre) || a.code.localeCompare(b.code),
  stage: (a: DepartmentRow, b: DepartmentRow) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage) || a.code.localeCompare(b.code),
  plannedGoLive: (a: DepartmentRow, b: DepartmentRow) => a.plannedGoLive.localeCompare(b.plannedGoLive) || a.code.localeCompare(b.code),
} as const;
type SortKey = keyof typeof SORTS;

const STATUSES = ['overdue', 'paused', 'withdrawn'] as const;

interface OverviewQuery {
  readonly stage?: string;
  readonly centre?: string;
  readonly status?: string;
  readonly sort?: string;
}

/** `/`: the programme at a glance, for every role (leads and centres see their own departments). */
@ApiExcludeController()
@Controller()
export class OverviewController {
  constructor(private readonly api: ApiControllers) {}

  @Get()
  @Access('any')
  async overview(@Query() query: OverviewQuery, @Req() request: Request & { principal: Principal }, @Res() response: Response) {
    const departments = this.api.get(DepartmentQueriesController);
    const all = await departments.list({} as ListDepartmentsQuery, request.principal);
    const stage = STAGES.includes(query.stage as never) ? query.stage : undefined;
    const status = STATUSES.includes(query.status as never) ? query.status : undefined;
    const sort: SortKey = query.sort && query.sort in SORTS ? (query.sort as SortKey) : 'code';
    const rows = all
      .filter((row) => !stage || row.stage === stage)
      .filter((row) => !query.centre || row.centre === query.centre)
      .filter((row) => status !== 'overdue' || row.overdue)
      .filter((row) => status !== 'paused' || row.paused)
      .filter((row) => status !== 'withdrawn' || row.stage === 'WITHDRAWN')
      .sort(SORTS[sort]);
    const centres = [...new Set(all.map((row) => row.centre))].sort();
    const reports = this.api.get(ReportsController);
    const [savings, timetable] = await Promise.all([reports.savings({}, response), reports.timetable({}, response)]);
    response.render('overview', {
      title: 'Programme overview',
      figures: headlineFigures(savings as object, timetable as object),
      pipeline: centres.map((centre) => ({
        centre,
        counts: OPEN_STAGES.map((s) => all.filter((row) => row.centre === centre && row.stage === s).length),
      })),
      pipelineStages: OPEN_STAGES,
      rows,
      filters: { stage, centre: query.centre, status, sort },
      stageItems: [{ value: '', text: 'Any stage' }, ...STAGES.map((s) => ({ value: s, text: stageName(s), selected: s === stage }))],
      centreItems: [{ value: '', text: 'Any centre' }, ...centres.map((c) => ({ value: c, text: c, selected: c === query.centre }))],
      sortLinks: Object.fromEntries(
        Object.keys(SORTS).map((key) => [key, `/?${new URLSearchParams({ stage: stage ?? '', centre: query.centre ?? '', status: status ?? '', sort: key })}`]),
      ),
      canRegister: request.principal.roles.some((role) => role === 'programme' || role === 'admin'),
    });
  }
}
