import { invalidCommand } from './errors.js';
import { requireName } from './validation.js';

const MS = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/**
 * Calendar units have no fixed length, but a service-level deadline needs one: a year
 * counts as 365 days and a month as 30 days. Weeks are 7 days. Only seconds may carry a
 * fraction (`PT1.5S`); negative durations are not supported.
 */
export const DURATION_UNIT_MS = {
  Y: 365 * MS.day,
  M: 30 * MS.day,
  W: 7 * MS.day,
  D: MS.day,
  H: MS.hour,
  TM: MS.minute,
  S: MS.second,
} as const;

/**
 * The durations this product reads, in full: at least one component, and a `T` only before
 * a time component. The decider, the DTO validation and the OpenAPI document all use it.
 */
export const ISO_DURATION_PATTERN =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

/**
 * The longest stage deadline, or extension of one, a department can be given: every deadline
 * then stays a date (and a timer) that exists.
 */
export const MAX_DEADLINE = 'P10Y';
export const MAX_DEADLINE_MS = parseIsoDuration(MAX_DEADLINE);

/** Milliseconds in an ISO 8601 duration such as `P30D`, `P1W`, `PT5S`, `P1DT12H`. */
export function parseIsoDuration(text: string): number {
  const match = typeof text === 'string' ? ISO_DURATION_PATTERN.exec(text) : null;
  if (match === null) {
    throw invalidCommand(`'${String(text)}' is not an ISO 8601 duration (PnYnMnWnDTnHnMnS)`, { value: text });
  }
  const [, y, mo, w, d, h, mi, s] = match;
  const ms =
    amount(y) * DURATION_UNIT_MS.Y +
    amount(mo) * DURATION_UNIT_MS.M +
    amount(w) * DURATION_UNIT_MS.W +
    amount(d) * DURATION_UNIT_MS.D +
    amount(h) * DURATION_UNIT_MS.H +
    amount(mi) * DURATION_UNIT_MS.TM +
    Math.round(amount(s) * DURATION_UNIT_MS.S);
  if (!Number.isSafeInteger(ms)) throw invalidCommand(`duration '${text}' is too long`, { value: text });
  return ms;
}

/** A stage deadline or an extension of one, as written (events record the text), and its length. */
export function requireDeadline(value: unknown, field: string): { text: string; ms: number } {
  const text = requireName(value, field);
  let ms: number;
  try {
    ms = parseIsoDuration(text);
  } catch {
    throw invalidCommand(`${field} must be an ISO 8601 duration such as P14D`, { field });
  }
  if (ms <= 0) throw invalidCommand(`${field} must be longer than zero`, { field });
  if (ms > MAX_DEADLINE_MS) throw invalidCommand(`${field} must be at most ten years (${MAX_DEADLINE})`, { field, max: MAX_DEADLINE });
  return { text, ms };
}

function amount(part: string | undefined): number {
  return part === undefined ? 0 : Number(part);
}
