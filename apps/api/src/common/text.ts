import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DEPARTMENT_CODE_INPUT_PATTERN, DEPARTMENT_CODE_RULE, MAX_TEXT_LENGTH } from '../../../../libs/domain/index.js';

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
