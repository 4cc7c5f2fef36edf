import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { CentreBenchmark, SavingsReport, StageDurationsReport, TimetableReport } from '../../../../../libs/reports/index.js';
import { Access } from '../../auth/access.decorator.js';
import type { Principal } from '../../auth/roles.js';
import { ApiError } from '../../common/api-error.js';
import { toErrorBody } from '../../common/error-filter.js';
import { createValidationPipe } from '../../common/validation.js';
import { ReportQuery, ReportsController } from '../../reports/reports.controller.js';
import { ApiControllers } from '../api-controllers.js';
import { AccessRules } from '../departments/access-rules.js';
import { formatDateTime } from '../view-filters.js';
import { endOfLondonDay } from './as-of.js';
import { benchmarksSection, savingsSection, stageDurationsSection, timetableSection } from './reports-view.js';

type ConsoleRequest = Request & { principal: Principal };

/** Each download is the API's own CSV of that report, under the console's session. */
const DOWNLOADS = {
  'savings.csv': 'savings',
  'benchmarks.csv': 'benchmarks',
  'timetable.csv': 'timetable',
  'stage-durations.csv': 'stageDurations',
} as const satisfies Record<string, keyof ReportsController>;

type Download = keyof typeof DOWNLOADS;

const DATE_PROBLEM = 'Enter a real date for “as at”, such as 31 3 2027, or leave it empty for today';
const CENTRE_PROBLEM = 'Centre must be 100 characters or fewer';

interface Filters {
  readonly centre?: string;
  readonly asOf?: string;
  readonly errors: Record<string, string>;
}

function field(raw: Record<string, unknown>, name: string): string {
  const value = raw[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** The GOV.UK date input's boxes (or an ISO `asOf` from a link) as the reports' `asOf`. */
function readFilters(raw: Record<string, unknown>): Filters {
  const errors: Record<string, string> = {};
  const centre = field(raw, 'centre') || undefined;
  if (centre && centre.length > 100) errors.centre = CENTRE_PROBLEM;
  const [day, month, year] = ['asOf-day', 'asOf-month', 'asOf-year'].map((name) => field(raw, name));
  let asOf: string | undefined = field(raw, 'asOf') || undefined;
  if (day || month || year) {
    const [d, m, y] = [day, month, year].map((part) => (/^\d{1,4}$/.test(part) ? Number(part) : Number.NaN));
    const date = new Date(Date.UTC(y, m - 1, d));
    const real = year.length === 4 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
    if (real) asOf = endOfLondonDay(y, m, d);
    else errors['asOf-day'] = DATE_PROBLEM;
  } else if (asOf && Number.isNaN(Date.parse(asOf))) {
    errors['asOf-day'] = DATE_PROBLEM;
  }
  return { centre, asOf, errors };
}

/** `/reports`: the programme's honest figures as tables with charts, and each report's CSV. */
@ApiExcludeController()
@Controller('reports')
export class ReportsPageController {
  constructor(
    private readonly api: ApiControllers,
    private readonly rules: AccessRules,
  ) {}

  @Get()
  @Access('any')
  async reports(@Query() raw: Record<string, unknown>, @Req() request: ConsoleRequest, @Res() response: Response) {
    for (const method of Object.values(DOWNLOADS)) this.rules.admit(request.principal, ReportsController, method);
    const filters = readFilters(raw);
    const reports = this.api.get(ReportsController);
    let sections: Awaited<ReturnType<ReportsPageController['sections']>> | undefined;
    if (Object.keys(filters.errors).length === 0) {
      try {
        sections = await this.sections(reports, await this.query(filters), response);
      } catch (error) {
        const body = toErrorBody(error);
        if (body.code !== 'validation-failed') throw error;
        const named = ((body.details?.fields as Array<{ field: string }> | undefined) ?? []).map(({ field: name }) => name);
        if (named.includes('centre')) filters.errors.centre = CENTRE_PROBLEM;
        if (named.includes('asOf') || !named.includes('centre')) filters.errors['asOf-day'] = DATE_PROBLEM;
      }
    }
    const everyCentre = (await reports.benchmarks({}, response)) as { centres: CentreBenchmark[] };
    const centres = everyCentre.centres.map((benchmark) => benchmark.centre);
    const errors = filters.errors;
    const links = new URLSearchParams({ ...(filters.centre ? { centre: filters.centre } : {}), ...(filters.asOf ? { asOf: filters.asOf } : {}) }).toString();
    response.status(sections ? 200 : 400).render('reports', {
      title: 'Reports',
      sections,
      asOfText: sections ? formatDateTime(sections.asOf) : undefined,
      centre: filters.centre,
      values: { day: field(raw, 'asOf-day'), month: field(raw, 'asOf-month'), year: field(raw, 'asOf-year') },
      errors,
      errorList: Object.entries(errors).map(([name, text]) => ({ text, href: `#${name}` })),
      centreItems: [{ value: '', text: 'Every centre' }, ...centres.map((centre) => ({ value: centre, text: centre, selected: centre === filters.centre }))],
      csv: Object.fromEntries(Object.keys(DOWNLOADS).map((file) => [file, `/reports/${file}${links ? `?${links}` : ''}`])),
    });
  }

  @Get(':file')
  @Access('any')
  async download(@Param('file') file: string, @Query() raw: Record<string, unknown>, @Req() request: ConsoleRequest, @Res() response: Response) {
    if (!(file in DOWNLOADS)) throw new ApiError(404, 'not-found', 'there is no such report');
    const method = DOWNLOADS[file as Download];
    this.rules.admit(request.principal, ReportsController, method);
    const filters = readFilters(raw);
    const [problem] = Object.values(filters.errors);
    if (problem) throw new ApiError(400, 'validation-failed', problem);
    const query = await this.query(filters, 'csv');
    const body = await this.api.get(ReportsController)[method](query, response);
    response.send(body);
  }

  /** The API's own validation of the report query; throws its 400 validation-failed. */
  private async query(filters: Filters, format?: 'csv'): Promise<ReportQuery> {
    const query = { ...(filters.centre ? { centre: filters.centre } : {}), ...(filters.asOf ? { asOf: filters.asOf } : {}), ...(format ? { format } : {}) };
    return (await createValidationPipe().transform(query, { type: 'query', metatype: ReportQuery, data: '' })) as ReportQuery;
  }

  private async sections(reports: ReportsController, query: ReportQuery, response: Response) {
    const [savings, benchmarks, timetable, durations] = await Promise.all([
      reports.savings(query, response) as Promise<SavingsReport>,
      reports.benchmarks(query, response) as Promise<{ centres: CentreBenchmark[] }>,
      reports.timetable(query, response) as Promise<TimetableReport>,
      reports.stageDurations(query, response) as Promise<StageDurationsReport>,
    ]);
    return {
      asOf: savings.asOf,
      savings: savingsSection(savings),
      benchmarks: benchmarksSection(benchmarks),
      timetable: timetableSection(timetable),
      stageDurations: stageDurationsSection(durations),
    };
  }
}
