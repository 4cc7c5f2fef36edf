import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** No control characters other than tab and newline in free text. */
const PRINTABLE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

/** A required, bounded, printable string with its OpenAPI description. */
export function Text(description: string, maxLength = 2000, example?: string) {
  return applyDecorators(
    ApiProperty({ description, maxLength, example }),
    IsString(),
    IsNotEmpty(),
    MaxLength(maxLength),
    Matches(PRINTABLE, { message: '$property must not contain control characters' }),
    Matches(/\S/, { message: '$property must not be blank' }),
  );
}

export function OptionalText(description: string, maxLength = 2000) {
  return applyDecorators(
    ApiPropertyOptional({ description, maxLength }),
    IsOptional(),
    IsString(),
    MaxLength(maxLength),
    Matches(PRINTABLE, { message: '$property must not contain control characters' }),
  );
}
