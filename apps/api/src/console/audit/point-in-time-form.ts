/** What the "state as of" forms on a department's audit page were given, as query parameters. */
export interface PointInTimeAnswers {
  readonly by?: unknown;
  readonly day?: unknown;
  readonly month?: unknown;
  readonly year?: unknown;
  readonly time?: unknown;
  readonly version?: unknown;
}

export type PointInTimeRequest =
  | { readonly kind: 'none' }
  | { readonly kind: 'date'; readonly asOf: string; readonly description: string }
  | { readonly kind: 'version'; readonly version: string }
  | { readonly kind: 'invalid'; readonly errors: Record<string, string> };

const LONDON = 'Europe/London';
const TIME = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;
const WHOLE = /^\d{1,4}$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * The point in time the person asked for. A date is a day in London (as every date in the
 * console is shown), up to its end unless a time is given; it becomes the instant the API's
 * `asOf` takes. A version is passed on as typed, for the API's own validation to judge.
 */
export function pointInTimeFrom(answers: PointInTimeAnswers, now: Date): PointInTimeRequest {
  if (answers.by === 'version') return { kind: 'version', version: text(answers.version) };
  if (answers.by !== 'date') return { kind: 'none' };
  const [day, month, year] = [answers.day, answers.month, answers.year].map(text);
  const time = text(answers.time);
  const missing = [['day', day], ['month', month], ['year', year]].filter(([, value]) => value === '').map(([name]) => name);
  if (missing.length === 3) return invalid('date', 'Enter the date to look at');
  if (missing.length > 0) return invalid('date', `The date must include a ${missing.join(' and a ')}`);
  const [d, m, y] = [day, month, year].map(Number);
  if (![day, month, year].every((value) => WHOLE.test(value)) || year.length !== 4 || !isRealDate(y, m, d)) {
    return invalid('date', 'The date must be a real date, for example 31 3 2027');
  }
  const clock = time === '' ? undefined : TIME.exec(time);
  if (clock === null) return invalid('time', 'Enter the time as hours and minutes on the 24-hour clock, for example 17:30');
  const [hours, minutes] = clock ? [Number(clock[1]), Number(clock[2])] : [23, 59];
  const instant = londonInstant(y, m, d, hours, minutes, clock ? 0 : 59, clock ? 0 : 999);
  if (Date.UTC(y, m - 1, d) > londonToday(now)) return invalid('date', 'The date must be today or in the past');
  const when = `${d} ${MONTHS[m - 1]} ${y}`;
  const description = clock ? `${when} at ${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')} (London time)` : `the end of ${when} (London time)`;
  return { kind: 'date', asOf: instant.toISOString(), description };
}

/** A repeated or bracketed query parameter arrives as an array or object; only a plain value is an answer. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function invalid(field: string, message: string): PointInTimeRequest {
  return { kind: 'invalid', errors: { [field]: message } };
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1970 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** London's wall clock at an instant, read as if it were UTC. */
function londonWallClock(at: number): number {
  const parts = Object.fromEntries(londonParts.formatToParts(new Date(at)).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) + (at % 1000 + 1000) % 1000;
}

/** The instant at which London's clocks show this time (the later one when clocks go back). */
export function londonInstant(year: number, month: number, day: number, hours: number, minutes: number, seconds = 0, ms = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hours, minutes, seconds, ms);
  let instant = wall - (londonWallClock(wall) - wall);
  // Near a clock change the first guess uses the other side's offset; one correction settles it.
  instant = wall - (londonWallClock(instant) - instant);
  return new Date(instant);
}

/** Today's date in London, as midnight UTC of that date. */
function londonToday(now: Date): number {
  const wall = new Date(londonWallClock(now.getTime()));
  return Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate());
}
