import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/**
 * Free text may hold any script, but no control characters other than tab, newline and
 * carriage return (C0 and C1), no bidirectional overrides or isolates that make a record
 * read differently from what it says (Trojan Source), and no Unicode noncharacters.
 */
export const PRINTABLE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]*$/;
const PRINTABLE_MESSAGE = '$property must not contain control, bidirectional-override or noncharacter code points';

/** A required, bounded, printable string with its OpenAPI description. */
export function Text(description: string, maxLength = 2000, example?: string) {
  return applyDecorators(
    ApiProperty({ description, maxLength, example }),
    IsString(),
    IsNotEmpty(),
    MaxLength(maxLength),
    Matches(PRINTABLE, { message: PRINTABLE_MESSAGE }),
    Matches(/\S/, { message: '$property must not be blank' }),
  );
}

export function OptionalText(description: string, maxLength = 2000) {
  return applyDecorators(
    ApiPropertyOptional({ description, maxLength }),
    IsOptional(),
    IsString(),
    MaxLength(maxLength),
    Matches(PRINTABLE, { message: PRINTABLE_MESSAGE }),
  );
}
