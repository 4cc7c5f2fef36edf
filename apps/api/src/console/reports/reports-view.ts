import type { CentreBenchmark, SavingsReport, StageDurationsReport, TimetableReport } from '../../../../../libs/reports/index.js';
import { exitName, formatDate, formatPounds, stageName } from '../view-filters.js';
import { barChart } from './charts.js';

/** A GOV.UK table row: a cell holds text, and numbers are right-aligned. */
type Cell = { text: string; format?: 'numeric' } | { html: string; format?: 'numeric' };
type Row = Cell[];

const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const num = (value: number | null | undefined): Cell => ({ text: typeof value === 'number' ? whole.format(value) : '–', format: 'numeric' });
const money = (value: number | null | undefined): Cell => ({ text: typeof value === 'number' ? formatPounds(value) : '–', format: 'numeric' });
const text = (value: string | null | undefined): Cell => ({ text: value ?? '–' });
const days = (value: number | null | undefined): Cell => ({ text: typeof value === 'number' ? `${whole.format(value)} days` : '–', format: 'numeric' });

/** £ with a short scale for chart labels, where the table has the exact amount. */
function compactPounds(value: number): string {
  const size = Math.abs(value);
  const sign = value < 0 ? '−' : '';
  if (size >= 1_000_000_000) return `${sign}£${whole.format(size / 1_000_000_000)}bn`;
  if (size >= 1_000_000) return `${sign}£${whole.format(size / 1_000_000)}m`;
  if (size >= 10_000) return `${sign}£${whole.format(size / 1_000)}k`;
  return `${sign}${formatPounds(size)}`;
}

const dayLabel = (value: number) => `${value < 0 ? '−' : ''}${whole.format(Math.abs(value))} day${Math.abs(value) === 1 ? '' : 's'}`;
const BAND_WORDS = { below: 'below the target band', within: 'within the target band', above: 'above the target band' } as const;

export function savingsSection(report: SavingsReport) {
  const t = report.totals;
  const figures = [
    { label: 'Programme savings claimed', value: formatPounds(t.claimedProgrammeSavingsGbp) },
    { label: 'Programme savings verified', value: formatPounds(t.verifiedProgrammeSavingsGbp) },
    { label: 'Spending-constraint reductions (not programme savings)', value: formatPounds(t.spendingConstraintReductionsGbp) },
    { label: 'Implementation cost incurred', value: formatPounds(t.implementationCostGbp) },
    { label: 'Implementation cost estimated in baselines', value: formatPounds(t.estimatedImplementationCostGbp) },
    { label: 'Net programme savings (verified less cost incurred)', value: formatPounds(t.netProgrammeSavingsGbp) },
  ];
  const target = [
    {
      key: { text: 'Annual run-rate of verified savings' },
      value: { text: `${formatPounds(t.annualRunRateGbp)}${t.runRatePeriods.length ? ` (${t.runRatePeriods.join(', ')})` : ''}: ${BAND_WORDS[t.target.annualRunRate]} of ${formatPounds(t.target.annualSavingsGbp[0])} to ${formatPounds(t.target.annualSavingsGbp[1])} a year` },
    },
    {
      key: { text: 'Implementation cost against the target' },
      value: { text: `${formatPounds(t.implementationCostGbp)}: ${BAND_WORDS[t.target.implementationCost]} of ${formatPounds(t.target.implementationCostGbp[0])} to ${formatPounds(t.target.implementationCostGbp[1])}` },
    },
    { key: { text: 'Payback' }, value: { text: t.paybackYears === null ? 'Not yet: nothing is verified' : `${whole.format(t.paybackYears)} years` } },
    { key: { text: 'Cost of approved deviations' }, value: { text: `${formatPounds(t.approvedDeviationOneOffCostGbp)} one-off and ${formatPounds(t.approvedDeviationAnnualCostGbp)} a year` } },
  ];
  const departments = report.departments;
  return {
    figures,
    target,
    chart: departments.length
      ? barChart({
          id: 'savings-chart',
          title: 'Savings by department',
          description: 'For each department, programme savings claimed, of them verified, and reductions caused by spending constraints, which are not programme savings. The table after the chart gives every figure.',
          categories: departments.map((d) => d.code),
          series: [
            { name: 'Programme savings claimed', values: departments.map((d) => d.claimedProgrammeSavingsGbp) },
            { name: 'Programme savings verified', values: departments.map((d) => d.verifiedProgrammeSavingsGbp) },
            { name: 'Spending-constraint reductions', values: departments.map((d) => d.spendingConstraintReductionsGbp) },
          ],
          format: compactPounds,
        })
      : undefined,
    ...table(
      ['Department', 'Centre', 'Stage', 'Programme savings claimed', 'Verified', 'Spending-constraint reductions', 'Implementation cost incurred', 'Estimated implementation cost'],
      departments.map(
        (d): Row => [
          { html: `<a class="govuk-link" href="/departments/${encodeURIComponent(d.code)}">${escapeHtml(d.code)}</a>` },
          text(d.centre),
          text(stageName(d.stage)),
          money(d.claimedProgrammeSavingsGbp),
          money(d.verifiedProgrammeSavingsGbp),
          money(d.spendingConstraintReductionsGbp),
          money(d.implementationCostGbp),
          money(d.estimatedImplementationCostGbp),
        ],
      ),
    ),
  };
}

export function benchmarksSection(report: { centres: readonly CentreBenchmark[] }) {
  const centres = report.centres;
  return {
    chart: centres.length
      ? barChart({
          id: 'benchmarks-chart',
          title: 'Cost and savings per person served, by centre',
          description: 'For each centre, the annual back-office cost per person served before joining, and the programme savings per person served. The table after the chart gives every figure.',
          categories: centres.map((c) => c.centre),
          series: [
            { name: 'Baseline cost per person served', values: centres.map((c) => c.baselineCostPerHeadGbp) },
            { name: 'Programme savings per person served', values: centres.map((c) => c.programmeSavingsPerHeadGbp) },
          ],
          format: (value) => formatPounds(value),
        })
      : undefined,
    ...table(
      ['Centre', 'Departments', 'Live', 'Baseline cost per person served', 'Savings per person served', 'Average assessment score', 'Deviations approved', 'Deviations rejected', 'Approved deviations’ cost (one-off / a year)', 'Deadlines missed'],
      centres.map(
        (c): Row => [
          text(c.centre),
          num(c.departments),
          num(c.live),
          money(c.baselineCostPerHeadGbp),
          money(c.programmeSavingsPerHeadGbp),
          num(c.averageAssessmentScore),
          num(c.approvedDeviations),
          num(c.rejectedDeviations),
          { text: `${formatPounds(c.approvedDeviationOneOffCostGbp)} / ${formatPounds(c.approvedDeviationAnnualCostGbp)}`, format: 'numeric' },
          num(c.missedDeadlines),
        ],
      ),
    ),
  };
}

export function timetableSection(report: TimetableReport) {
  const s = report.summary;
  const byCategory = Object.entries(s.exits.byCategory)
    .filter(([, count]) => count > 0)
    .map(([category, count]) => `${count} ${exitName(category).toLowerCase()}`)
    .join(', ');
  const summary = [
    { key: { text: 'Departments registered' }, value: { text: String(s.registered) } },
    { key: { text: 'Live (or closed)' }, value: { text: String(s.live) } },
    { key: { text: 'Withdrawn' }, value: { text: s.exits.total ? `${s.withdrawn} (${byCategory}); ${formatPounds(s.exits.sunkCostGbp)} written off` : String(s.withdrawn) } },
    { key: { text: 'Average slippage against the original plan' }, value: { text: s.averageSlippageDays === null ? 'None live yet' : dayLabel(s.averageSlippageDays) } },
    { key: { text: 'Past their planned go-live and not live' }, value: { text: String(s.pastPlannedGoLiveNotLive) } },
    { key: { text: 'Re-planned' }, value: { text: String(s.replanned) } },
  ];
  const departments = report.departments;
  const slipping = departments.filter((d) => d.slippageDays !== null);
  return {
    summary,
    chart: slipping.length
      ? barChart({
          id: 'timetable-chart',
          title: 'Slippage against the original planned go-live',
          description: 'For each department with an actual or forecast go-live, the days it is later (positive) or earlier (negative) than first planned. The table after the chart gives every date.',
          categories: slipping.map((d) => d.code),
          series: [{ name: 'Slippage', values: slipping.map((d) => d.slippageDays) }],
          format: dayLabel,
        })
      : undefined,
    ...table(
      ['Department', 'Centre', 'Stage', 'Original planned go-live', 'Planned go-live', 'Actual go-live', 'Slippage'],
      departments.map(
        (d): Row => [
          { html: `<a class="govuk-link" href="/departments/${encodeURIComponent(d.code)}">${escapeHtml(d.code)}</a>` },
          text(d.centre),
          text(stageName(d.stage) + (d.overdue ? ' (overdue)' : '')),
          text(formatDate(d.originalPlannedGoLive)),
          text(formatDate(d.plannedGoLive)),
          text(d.actualGoLive ? formatDate(d.actualGoLive) : d.forecastGoLive ? `Forecast ${formatDate(d.forecastGoLive)}` : 'Not live'),
          d.slippageDays === null ? text('–') : { text: dayLabel(d.slippageDays), format: 'numeric' },
        ],
      ),
    ),
  };
}

export function stageDurationsSection(report: StageDurationsReport) {
  const rows = report.rows;
  const measured = rows.filter((row) => row.medianDays !== null);
  return {
    chart: measured.length
      ? barChart({
          id: 'stage-durations-chart',
          title: 'Median and 90th percentile days in each stage, by centre',
          description: 'For each centre and stage that departments have left, the median and the 90th percentile of the days they spent in it. The table after the chart gives every figure.',
          categories: measured.map((row) => `${row.centre} ${stageName(row.stage)}`),
          series: [
            { name: 'Median', values: measured.map((row) => row.medianDays) },
            { name: '90th percentile', values: measured.map((row) => row.p90Days) },
          ],
          format: dayLabel,
        })
      : undefined,
    ...table(
      ['Centre', 'Stage', 'Departments that left it', 'Median', '90th percentile', 'Longest', 'In it now'],
      rows.map(
        (row): Row => [
          text(row.centre),
          text(stageName(row.stage)),
          num(row.departments),
          days(row.medianDays),
          days(row.p90Days),
          text(row.longest ? `${row.longest.code}: ${dayLabel(row.longest.days)}` : '–'),
          num(row.inProgress.length),
        ],
      ),
    ),
  };
}

/** Column headings, right-aligned over the columns that hold numbers. */
function table(labels: readonly string[], rows: Row[]) {
  const head = labels.map((label, index) => ({ text: label, ...(rows[0]?.[index]?.format === 'numeric' ? { format: 'numeric' } : {}) }));
  return { head, rows };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] as string);
}
