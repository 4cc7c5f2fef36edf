/** One coloured series of a bar chart; a null value is drawn as "no figure", never as zero. */
export interface ChartSeries {
  readonly name: string;
  readonly values: ReadonlyArray<number | null>;
}

export interface BarChart {
  /** Unique on the page: the ids of the chart's title and description derive from it. */
  readonly id: string;
  /** Said by screen readers as the image's name. */
  readonly title: string;
  /** What the chart shows, in a sentence; the table after it holds every figure. */
  readonly description: string;
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  readonly format: (value: number) => string;
}

/**
 * GOV.UK colours with at least 3:1 contrast against white (WCAG 1.4.11, non-text contrast),
 * told apart by the legend and by their order within each group, not by colour alone.
 */
const COLOURS = ['#1d70b8', '#00703c', '#912b88', '#d4351c', '#4c2c92', '#505a5f'];

const WIDTH = 720;
const LABEL_WIDTH = 170;
const VALUE_ROOM = 110;
const BAR = 16;
const GAP = 4;
const GROUP_GAP = 14;
const LEGEND_ROW = 24;
const AXIS_ROOM = 8;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A horizontal bar chart as an SVG string, drawn on the server so it shows without
 * JavaScript. It is one image to assistive technology (role="img", named by its title and
 * described by its description); the table that follows it on the page is its text
 * alternative, so the bars' own labels are hidden from screen readers.
 */
export function barChart(chart: BarChart): string {
  const { id, categories, series } = chart;
  const numbers = series.flatMap((line) => line.values.filter((value): value is number => value !== null));
  const low = Math.min(0, ...numbers);
  const high = Math.max(0, ...numbers);
  const span = high - low || 1;
  const plot = WIDTH - LABEL_WIDTH - VALUE_ROOM * (low < 0 ? 2 : 1);
  const origin = LABEL_WIDTH + (low < 0 ? VALUE_ROOM : 0) + (-low / span) * plot;
  const x = (value: number) => origin + (value / span) * plot;

  const legendHeight = series.length > 1 ? LEGEND_ROW * Math.ceil(series.length / 2) + 8 : 0;
  const groupHeight = series.length * (BAR + GAP) - GAP;
  const height = legendHeight + categories.length * (groupHeight + GROUP_GAP) + AXIS_ROOM;
  const parts: string[] = [];

  series.forEach((line, index) => {
    if (series.length < 2) return;
    const lx = (index % 2) * (WIDTH / 2);
    const ly = Math.floor(index / 2) * LEGEND_ROW;
    parts.push(`<rect x="${lx}" y="${ly + 3}" width="14" height="14" fill="${COLOURS[index % COLOURS.length]}"/>`);
    parts.push(`<text x="${lx + 20}" y="${ly + 15}">${escapeXml(shorten(line.name, 48))}</text>`);
  });

  categories.forEach((category, row) => {
    const top = legendHeight + row * (groupHeight + GROUP_GAP);
    parts.push(`<text x="${LABEL_WIDTH - 8}" y="${top + groupHeight / 2 + 5}" text-anchor="end">${escapeXml(shorten(category, 22))}</text>`);
    series.forEach((line, index) => {
      const value = line.values[row] ?? null;
      const y = top + index * (BAR + GAP);
      if (value === null) {
        parts.push(`<text x="${origin + 4}" y="${y + BAR - 3}" class="console-chart__none">no figure</text>`);
        return;
      }
      const start = Math.min(x(0), x(value));
      const width = Math.max(Math.abs(x(value) - x(0)), value === 0 ? 0 : 1);
      parts.push(`<rect x="${start.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${BAR}" fill="${COLOURS[index % COLOURS.length]}"/>`);
      const label = escapeXml(chart.format(value));
      const labelX = value < 0 ? start - 4 : start + width + 4;
      parts.push(`<text x="${labelX.toFixed(1)}" y="${y + BAR - 3}"${value < 0 ? ' text-anchor="end"' : ''}>${label}</text>`);
    });
  });
  parts.push(`<line x1="${origin.toFixed(1)}" y1="${legendHeight - 2}" x2="${origin.toFixed(1)}" y2="${height - AXIS_ROOM / 2}" stroke="#0b0c0c" stroke-width="1"/>`);

  return [
    `<svg class="console-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${escapeXml(chart.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(chart.description)}</desc>`,
    `<g aria-hidden="true">`,
    ...parts,
    `</g>`,
    `</svg>`,
  ].join('');
}
