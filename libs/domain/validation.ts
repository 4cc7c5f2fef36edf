import { invalidCommand } from './errors.js';

// Commands arrive as JSON inside workflows too, so the decider re-checks what the API
// already checked: it is the last line of defence before an event becomes history.

export const MAX_NAME_LENGTH = 200;
export const MAX_TEXT_LENGTH = 2000;
/** Shared services centres are named in short codes or names (the read models index them). */
export const MAX_CENTRE_LENGTH = 100;

export function requireText(value: unknown, field: string, max: number = MAX_TEXT_LENGTH): string {
  if (typeof value !== 'string') throw invalidCommand(`${field} must be a string`, { field });
  const trimmed = value.trim();
  if (trimmed.length === 0) throw invalidCommand(`${field} must not be empty`, { field });
  if (trimmed.length > max) {
    throw invalidCommand(`${field} must be at most ${max} characters`, { field, max });
  }
  return trimmed;
}

export function requireName(value: unknown, field: string): string {
  return requireText(value, field, MAX_NAME_LENGTH);
}

/** Absent or blank optional text is recorded as null rather than refused. */
export function optionalText(value: unknown, field: string, max: number = MAX_TEXT_LENGTH): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.trim().length === 0) return null;
  return requireText(value, field, max);
}

export function optionalName(value: unknown, field: string): string | null {
  return optionalText(value, field, MAX_NAME_LENGTH);
}

export function requireSafeInteger(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalidCommand(`${field} must be a safe integer`, { field });
  }
  if (value < min || value > max) {
    throw invalidCommand(`${field} must be between ${min} and ${max}`, { field, min, max });
  }
  return value === 0 ? 0 : value; // -0 is not a value anyone means
}

export function requireNonNegativeNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidCommand(`${field} must be a finite number >= 0`, { field });
  }
  return value === 0 ? 0 : value;
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidCommand(`${field} must be one of ${allowed.join(', ')}`, { field, allowed });
  }
  return value as T;
}

export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalidCommand(`${field} must be a boolean`, { field });
  return value;
}

export function requireArray(value: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(value)) throw invalidCommand(`${field} must be an array`, { field });
  return value;
}

export function requirePlainObject(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidCommand(`${field} must be an object`, { field });
  }
  return value as Record<string, unknown>;
}

/** Names in a list, trimmed, duplicates dropped, order kept. */
export function requireNameList(value: unknown, field: string): string[] {
  const names = requireArray(value, field).map((item, index) => requireName(item, `${field}[${index}]`));
  return [...new Set(names)];
}
