import { formatPounds } from '../view-filters.js';

export interface Figure {
  readonly label: string;
  readonly value: string;
}

/**
 * The headline figures, read from the reports the API serves. Each names the report field it
 * shows; a field a report does not have (yet) is left out, so adding one is one line here.
 */
const SAVINGS_FIGURES: ReadonlyArray<{ field: string; label: string }> = [
  { field: 'verifiedProgrammeSavingsGbp', label: 'Programme savings verified' },
  { field: 'claimedProgrammeSavingsGbp', label: 'Programme savings claimed' },
  { field: 'programmeSavingsGbp', label: 'Programme savings to date' },
  { field: 'spendingConstraintReductionsGbp', label: 'Spending-constraint reductions (not programme savings)' },
  { field: 'implementationCostGbp', label: 'Implementation cost' },
  { field: 'netProgrammeSavingsGbp', label: 'Net programme savings' },
];

const TIMETABLE_FIGURES: ReadonlyArray<{ field: string; label: string; unit: string }> = [
  { field: 'live', label: 'Departments live', unit: '' },
  { field: 'averageSlippageDays', label: 'Average slippage against planned go-live', unit: ' days' },
  { field: 'averageSlippageDaysOfLive', label: 'Average slippage against planned go-live', unit: ' days' },
  { field: 'withdrawn', label: 'Departments withdrawn', unit: '' },
];

function fieldOf(report: object, group: string, field: string): unknown {
  const section = (report as Record<string, unknown>)[group];
  return section && typeof section === 'object' ? (section as Record<string, unknown>)[field] : undefined;
}

const count = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** GOV.UK style: "10,107 days", "1 day". */
function withUnit(value: number, unit: string): string {
  const rounded = Math.round(value * 10) / 10;
  return `${count.format(rounded)}${Math.abs(rounded) === 1 ? unit.replace(/s$/, '') : unit}`;
}

export function headlineFigures(savings: object, timetable: object): Figure[] {
  const figures: Figure[] = [];
  for (const { field, label } of SAVINGS_FIGURES) {
    const value = fieldOf(savings, 'totals', field);
    if (typeof value === 'number') figures.push({ label, value: formatPounds(value) });
  }
  const seen = new Set<string>();
  for (const { field, label, unit } of TIMETABLE_FIGURES) {
    const value = fieldOf(timetable, 'summary', field);
    if (seen.has(label) || value === undefined) continue;
    seen.add(label);
    figures.push({ label, value: typeof value === 'number' ? withUnit(value, unit) : 'None yet' });
  }
  return figures;
}
