import type { ErrorBody } from '../../common/api-error.js';
import { RegisterDepartmentDto } from '../../departments/register-department/register-department.controller.js';
import { brokenBound } from './field-limits.js';
import { capitalise } from '../view-filters.js';

export const REGISTER_FIELDS = {
  code: 'Enter a department code of 2 to 10 letters and digits, starting with a letter, such as DFT',
  name: 'Enter the department’s name',
  centre: 'Enter the shared services centre it joins, such as ISSC1',
  plannedGoLive: 'Enter the planned go-live date as a real date, such as 1 4 2027',
  lead: 'Enter the onboarding lead’s name, or leave it empty',
} as const;

type Field = keyof typeof REGISTER_FIELDS;

function text(posted: Record<string, unknown>, name: string): string | undefined {
  const value = posted[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The GOV.UK date input's three boxes as the API's YYYY-MM-DD (or as typed, for the API to refuse). */
function dateFrom(posted: Record<string, unknown>): string | undefined {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => text(posted, `plannedGoLive-${part}`));
  if (!day && !month && !year) return undefined;
  if (!day || !month || !year || !/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return `${year}-${month}-${day}`;
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

export function registerBody(posted: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of ['code', 'name', 'centre', 'lead'] as const) {
    const value = text(posted, name);
    if (value !== undefined) body[name] = value;
  }
  const date = dateFrom(posted);
  if (date !== undefined) body.plannedGoLive = date;
  return body;
}

/** The API's refusal of a registration, field by field. */
const LABELS: Partial<Record<Field, string>> = { name: 'Department name', centre: 'Shared services centre', lead: 'Onboarding lead' };

/** A name or centre that was typed is told its length bound, not asked for again as if it were empty. */
function tooLong(key: Field, body: Record<string, unknown>): string | undefined {
  const typed = body[key];
  const label = LABELS[key];
  if (label === undefined || typeof typed !== 'string') return undefined;
  return brokenBound({ dto: RegisterDepartmentDto, property: key, label, kind: 'text', typed, value: typed });
}

export function registerProblems(error: ErrorBody, body: Record<string, unknown> = {}): Record<string, string> {
  if (error.code === 'validation-failed') {
    const named = (error.details?.fields as Array<{ field: string }> | undefined) ?? [];
    const errors: Record<string, string> = {};
    for (const { field } of named) {
      const key = field.split('.')[0] as Field;
      if (key in REGISTER_FIELDS) errors[key === 'plannedGoLive' ? 'plannedGoLive-day' : key] = tooLong(key, body) ?? REGISTER_FIELDS[key];
    }
    if (Object.keys(errors).length > 0) return errors;
  }
  if (error.code === 'already-registered') return { code: 'A department with this code is already registered' };
  if (error.code === 'idempotency-key-reused') return { code: 'This form was already sent with other answers. Reload the page to send it again.' };
  return { code: capitalise(error.message) };
}
