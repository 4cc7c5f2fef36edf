import { createValidationPipe } from '../../common/validation.js';
import type { ErrorBody } from '../../common/api-error.js';
import { brokenBound } from './field-limits.js';
import { gateLabel } from './gate-labels.js';
import type { CommandForm, FormField } from './command-forms.js';
import { capitalise } from '../view-filters.js';

const WHOLE = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A number typed as people type them ("1,200", "£12.50", " 3 "), or the text as it was so the API can say what is wrong. */
function numberFrom(raw: string, kind: FormField['kind']): unknown {
  const cleaned = raw.replace(/[\s,]/g, '').replace(kind === 'pounds' ? /^£/ : /^$/, '');
  const pattern = kind === 'whole' ? WHOLE : DECIMAL;
  return pattern.test(cleaned) ? Number(cleaned) : raw;
}

/** The API body the form's answers make: numbers as numbers, an empty optional field left out. */
export function bodyFrom(form: CommandForm, posted: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of form.hidden ?? []) if (typeof posted[name] === 'string') body[name] = posted[name];
  for (const field of form.fields) {
    const raw = posted[field.name];
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const numeric = field.kind === 'whole' || field.kind === 'decimal' || field.kind === 'pounds' || field.numeric;
    body[field.name] = numeric ? numberFrom(raw, field.kind) : raw;
  }
  return body;
}

/** The API's own validation of the body (the pipe every API route uses); throws its 400 validation-failed. */
export async function validated(form: CommandForm, posted: Record<string, unknown>): Promise<object> {
  if (!form.dto) return {};
  const body = Object.fromEntries(Object.entries(posted).filter(([name]) => !form.fields.some((field) => field.name === name && field.inPath)));
  return (await createValidationPipe().transform(body, { type: 'body', metatype: form.dto, data: '' })) as object;
}

/** A refusal the person can fix on the form; anything else (not found, no access, a fault) is its own page. */
export function isFormProblem(status: number, code: string): boolean {
  return status >= 400 && status < 500 && status !== 401 && status !== 403 && code !== 'department-not-found' && code !== 'invalid-department-code';
}

export interface FormProblems {
  /** Field name → message beside the field. */
  readonly fields: Record<string, string>;
  /** Problems that belong to the whole form. */
  readonly form: string[];
}

/**
 * The API's refusal in words for the form: a validation failure marks each field it names;
 * a business rule refusal (gates, stage, pause…) is said once for the whole form.
 */
export function problemsOf(form: CommandForm, error: ErrorBody, posted: Record<string, unknown> = {}): FormProblems {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  if (error.code === 'validation-failed') {
    const named = (error.details?.fields as Array<{ field: string }> | undefined) ?? [];
    for (const { field } of named) {
      const spec = form.fields.find((candidate) => candidate.name === field.split('.')[0]);
      if (spec) fields[spec.name] = givenButRefused(form, spec, posted[spec.name]) ?? spec.error;
      else rest.push(error.message);
    }
    if (named.length === 0) rest.push(error.message);
    return { fields, form: [...new Set(rest)] };
  }
  return { fields, form: [refusalText(error)] };
}

/** An answer that was given is told which bound it broke, not asked for again as if it were empty. */
function givenButRefused(form: CommandForm, field: FormField, raw: unknown): string | undefined {
  if (!form.dto || typeof raw !== 'string' || raw.trim() === '' || field.kind === 'choice') return undefined;
  const kind = field.kind === 'text' || field.kind === 'textarea' ? 'text' : field.kind === 'pounds' ? 'pounds' : 'number';
  return brokenBound({ dto: form.dto, property: field.name, label: field.label, kind, typed: raw, value: kind === 'text' ? raw : numberFrom(raw, field.kind) });
}

function sentence(message: string): string {
  return capitalise(message.trim());
}

function refusalText(error: ErrorBody): string {
  switch (error.code) {
    case 'gates-unmet': {
      const gates = (error.details?.unmetGates as string[] | undefined) ?? [];
      return `You cannot advance yet. Still needed: ${gates.map(gateLabel).join('; ')}`;
    }
    case 'stage-mismatch':
      return 'The department has moved on since this page was loaded. Check its stage and try again.';
    case 'department-paused':
      return 'The onboarding is paused. It must be resumed first.';
    case 'nothing-to-retry':
      return 'Nothing is failing for this department now: the step may have finished by itself. Check the list again before retrying.';
    case 'idempotency-key-reused':
      return 'This form was already sent with other answers. Reload the page to send it again.';
    case 'forbidden-role':
    case 'out-of-scope':
      return `You cannot do this: ${error.message}`;
    default:
      return sentence(error.message);
  }
}

/** The answers that belong in the API route's path. */
export function pathFrom(form: CommandForm, body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(form.fields.filter((field) => field.inPath && typeof body[field.name] === 'string').map((field) => [field.name, body[field.name] as string]));
}
