import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, Max, Min } from 'class-validator';
import { MaxDecimals } from '../../common/decimal.js';

/** Pounds on the wire with at most two decimals; pence everywhere else. */
export function Pounds(description: string, min = 0) {
  return applyDecorators(
    ApiProperty({ description, type: Number, example: 1250000.5, minimum: min, maximum: 1e12 }),
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be an amount in pounds with at most two decimals' }),
    MaxDecimals(2, { message: '$property must be an amount in pounds with at most two decimals' }),
    Min(min),
    Max(1e12),
  );
}
