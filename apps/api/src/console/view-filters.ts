import type { Environment } from 'nunjucks';

const LONDON = 'Europe/London';

const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
const whole = new Intl.NumberFormat('en-GB');
const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: LONDON });
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit', hour12: true, timeZone: LONDON });

/** A whole number as GOV.UK writes it: 2,000. */
export function formatCount(value: number): string {
  return whole.format(value);
}

/** The first letter upper case, the rest as written (Nunjucks' `capitalize` lower-cases the rest: "issc1"). */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** GOV.UK style: "1 April 2027". */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value.length === 10 ? `${value}T12:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

/** GOV.UK style: "1 April 2027 at 3:05pm". */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return `${dateFormat.format(date)} at ${timeFormat.format(date).replace(' ', '').toLowerCase()}`;
}

export function formatPounds(value: number | null | undefined): string {
  return typeof value === 'number' ? pounds.format(value) : '';
}

/** "LESSONS" → "Lessons", "GO_LIVE" → "Go live". */
export function stageName(stage: string | null | undefined): string {
  if (!stage) return '';
  return capitalise(stage.toLowerCase().replace(/_/g, ' '));
}

export function addFilters(env: Environment): void {
  env.addFilter('date', formatDate);
  env.addFilter('dateTime', formatDateTime);
  env.addFilter('pounds', formatPounds);
  env.addFilter('number', (value: number) => (typeof value === 'number' ? formatCount(value) : ''));
  env.addFilter('stage', stageName);
  env.addFilter('sentence', (value: string) => (typeof value === 'string' ? capitalise(value) : value));
  // What the MOJ timeline calls to show its dates; the same GOV.UK style, London time.
  env.addFilter('mojDate', (value: string, type?: string) => (type === 'date' ? formatDate(value) : formatDateTime(value)));
}

const EXIT_NAMES: Readonly<Record<string, string>> = {
  'other-centre': 'Joined another shared services centre',
  'in-house': 'Kept the work in-house',
  merged: 'Merged into another department',
  other: 'Something else',
};

/** Where a withdrawn department went, in words; the API's values (`in-house`) are for machines. */
export function exitName(category: string): string {
  return EXIT_NAMES[category] ?? category;
}
