import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateBy } from 'class-validator';
import {
  CALENDAR_DATE_PATTERN,
  INSTANT_PATTERN,
  DEPARTMENT_CODE_INPUT_PATTERN,
  DEPARTMENT_CODE_RULE,
  ISO_DURATION_PATTERN,
  MAX_DEADLINE,
  MAX_DEADLINE_MS,
  MAX_TEXT_LENGTH,
  PERIOD_PATTERN,
  isCalendarDate,
  isIsoInstant,
  parseIsoDuration,
} from '../../../../libs/domain/index.js';

/**
 * Free text may hold any script, but no control characters other than tab, newline and
 * carriage return (C0 and C1), no bidirectional overrides or isolates that make a record
 * read differently from what it says (Trojan Source), and no Unicode noncharacters.
 */
export const PRINTABLE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]*$/;
const PRINTABLE_MESSAGE = '$property must not contain control, bidirectional-override or noncharacter code points';

/** A required, bounded, printable string with its OpenAPI description. */
export function Text(description: string, maxLength = MAX_TEXT_LENGTH, example?: string) {
  return applyDecorators(
    ApiProperty({ description, maxLength, example }),
    IsString(),
    IsNotEmpty(),
    MaxLength(maxLength),
    Matches(PRINTABLE, { message: PRINTABLE_MESSAGE }),
    Matches(/\S/, { message: '$property must not be blank' }),
  );
}

export function OptionalText(description: string, maxLength = MAX_TEXT_LENGTH) {
  return applyDecorators(
    ApiPropertyOptional({ description, maxLength }),
    IsOptional(),
    IsString(),
    MaxLength(maxLength),
    Matches(PRINTABLE, { message: PRINTABLE_MESSAGE }),
  );
}

/** A department code in any case (the domain's pattern, case-insensitive); `each` for a list of codes. */
export function DepartmentCode(description: string, options: { example?: unknown; each?: boolean; optional?: boolean } = {}) {
  const rule = `${description}: ${DEPARTMENT_CODE_RULE}`;
  const each = options.each ?? false;
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      description: rule,
      example: options.example,
      ...(each ? { type: [String] } : { pattern: DEPARTMENT_CODE_INPUT_PATTERN.source }),
    }),
    IsString({ each }),
    Matches(DEPARTMENT_CODE_INPUT_PATTERN, { each, message: `$property must be ${DEPARTMENT_CODE_RULE}` }),
  );
}

/**
 * A stage deadline or an extension of one: the domain's duration pattern in the document, the
 * domain's reading and longest deadline in validation. A zero duration passes here: refusing
 * it is the decider's rule (400 invalid-command).
 */
export function Deadline(description: string, example: string, options: { optional?: boolean } = {}) {
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      description: `${description}: an ISO 8601 duration of at most ${MAX_DEADLINE}`,
      example,
      pattern: ISO_DURATION_PATTERN.source,
    }),
    ...(options.optional ? [IsOptional()] : []),
    ValidateBy({
      name: 'isDeadline',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && withinLongestDeadline(value),
        defaultMessage: () => `$property must be an ISO 8601 duration of at most ${MAX_DEADLINE} (e.g. P45D, PT5S)`,
      },
    }),
  );
}

function withinLongestDeadline(text: string): boolean {
  try {
    return parseIsoDuration(text) <= MAX_DEADLINE_MS;
  } catch {
    return false;
  }
}

/** A quarter, YYYY-Qn: the domain's pattern, in validation and in the document. */
export function Period(description: string, example: string) {
  return applyDecorators(
    ApiProperty({ description, example, pattern: PERIOD_PATTERN.source }),
    Matches(PERIOD_PATTERN, { message: `$property must be a quarter such as ${example}` }),
  );
}

/** A date, YYYY-MM-DD, that exists (no 30 February): the domain's pattern and its reading. */
export function CalendarDate(description: string, example: string, options: { optional?: boolean } = {}) {
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({ description, example, pattern: CALENDAR_DATE_PATTERN.source }),
    ...(options.optional ? [IsOptional()] : []),
    ValidateBy({ name: 'isCalendarDate', validator: { validate: isCalendarDate, defaultMessage: () => '$property must be a date YYYY-MM-DD' } }),
  );
}

/** An instant with its time zone, on a date that exists: the domain's pattern and its reading. */
export function Instant(description: string, example: string, options: { optional?: boolean } = {}) {
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({ description, example, pattern: INSTANT_PATTERN.source }),
    ...(options.optional ? [IsOptional()] : []),
    ValidateBy({ name: 'isIsoInstant', validator: { validate: isIsoInstant, defaultMessage: () => '$property must be an ISO 8601 instant with a time zone' } }),
  );
}

/** One of the domain's own list of values: documented as an enum and validated against the same list. */
export function OneOf(values: readonly string[], description?: string) {
  return applyDecorators(ApiProperty({ enum: values, description }), IsIn(values));
}
