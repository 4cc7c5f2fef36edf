/** RFC 4180 CSV; cells that a spreadsheet would run as formulas are neutralised. */
export function toCsv(rows: ReadonlyArray<Record<string, unknown>>, columns?: readonly string[]): string {
  const header = columns ?? (rows.length > 0 ? Object.keys(rows[0]) : []);
  const lines = [header.map(cell).join(','), ...rows.map((row) => header.map((column) => cell(row[column])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value !== 'number') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
