import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, Max, Min } from 'class-validator';
import { poundsToPence } from '../../../../../libs/domain/index.js';
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

/** An optional amount in pounds; absent means not stated, never zero by accident. */
export function OptionalPounds(description: string, min = 0) {
  return applyDecorators(
    ApiPropertyOptional({ description, type: Number, example: 25000, minimum: min, maximum: 1e12 }),
    IsOptional(),
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be an amount in pounds with at most two decimals' }),
    MaxDecimals(2, { message: '$property must be an amount in pounds with at most two decimals' }),
    Min(min),
    Max(1e12),
  );
}

/** Optional amounts in pounds to pence, leaving out the ones not stated. */
export function statedPence<K extends string>(amounts: Record<K, number | undefined>): Partial<Record<K, number>> {
  const stated: Partial<Record<K, number>> = {};
  for (const [field, pounds] of Object.entries(amounts) as [K, number | undefined][]) {
    if (pounds !== undefined && pounds !== null) stated[field] = poundsToPence(pounds);
  }
  return stated;
}
