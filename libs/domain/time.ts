import { invalidCommand } from './errors.js';

// Time never comes from a clock here: it arrives on commands as ISO instants.

/** An ISO 8601 instant with a time zone; isIsoInstant also refuses instants on dates that do not exist. */
export const INSTANT_PATTERN = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
/** YYYY-MM-DD; isCalendarDate also refuses dates that do not exist, such as 30 February. */
export const CALENDAR_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const match = CALENDAR_DATE_PATTERN.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC treats years 0..99 as 1900+; setUTCFullYear keeps them honest.
  date.setUTCFullYear(year);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function isIsoInstant(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const match = INSTANT_PATTERN.exec(text);
  return match !== null && isCalendarDate(match[1]) && Number.isFinite(Date.parse(text));
}

export function requireInstant(value: unknown, field = 'at'): string {
  if (!isIsoInstant(value)) throw invalidCommand(`${field} must be an ISO 8601 instant`, { field });
  return value;
}

export function requireCalendarDate(value: unknown, field: string): string {
  if (!isCalendarDate(value)) throw invalidCommand(`${field} must be a calendar date YYYY-MM-DD`, { field });
  return value;
}

export function instantPlus(instant: string, ms: number): string {
  return new Date(Date.parse(instant) + ms).toISOString();
}

export function msBetween(from: string, to: string): number {
  return Date.parse(to) - Date.parse(from);
}

/** The UTC calendar date of an instant. */
export function dateOf(instant: string): string {
  return new Date(Date.parse(instant)).toISOString().slice(0, 10);
}
