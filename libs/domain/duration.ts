import { invalidCommand } from './errors.js';

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

const DURATION_PATTERN =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

/** Milliseconds in an ISO 8601 duration such as `P30D`, `P1W`, `PT5S`, `P1DT12H`. */
export function parseIsoDuration(text: string): number {
  const match = typeof text === 'string' ? DURATION_PATTERN.exec(text) : null;
  const hasComponent = match !== null && match.slice(1).some((part) => part !== undefined);
  const danglingT = typeof text === 'string' && text.endsWith('T');
  if (match === null || !hasComponent || danglingT) {
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

function amount(part: string | undefined): number {
  return part === undefined ? 0 : Number(part);
}
