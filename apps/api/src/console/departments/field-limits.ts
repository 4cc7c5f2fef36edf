import type { Type } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { hasAtMostDecimals } from '../../common/decimal.js';
import { formatCount } from '../view-filters.js';

/** A bound the API's DTO puts on a property (its class-validator constraint), so the console never restates one. */
function bound(dto: Type, property: string, name: 'maxLength' | 'min' | 'max' | 'maxDecimals'): number | undefined {
  const found = getMetadataStorage()
    .getTargetValidationMetadatas(dto, '', true, false)
    .find((metadata) => metadata.propertyName === property && metadata.name === name);
  const value: unknown = found?.constraints?.[0];
  return typeof value === 'number' ? value : undefined;
}

const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 0, maximumFractionDigits: 2 });

export interface Answer {
  readonly dto: Type;
  readonly property: string;
  /** The field's label, as the person read it. */
  readonly label: string;
  readonly kind: 'text' | 'number' | 'pounds';
  /** What was typed, and what it was read as (a number, or the text when it is none). */
  readonly typed: string;
  readonly value: unknown;
}

/**
 * What is wrong with an answer the API refused that was given (GOV.UK: "Reason must be 2,000
 * characters or fewer", "Amount must be £0.01 or more"), by the DTO's own bounds; undefined
 * when none of them is what was broken, so the form says its own message.
 */
export function brokenBound(answer: Answer): string | undefined {
  const name = answer.label.replace(/\s*\(optional\)$/, '');
  if (answer.kind === 'text') {
    const max = bound(answer.dto, answer.property, 'maxLength');
    return max !== undefined && answer.typed.length > max ? `${name} must be ${formatCount(max)} characters or fewer` : undefined;
  }
  if (typeof answer.value !== 'number') return undefined;
  const say = (limit: number) => (answer.kind === 'pounds' ? money.format(limit) : formatCount(limit));
  const min = bound(answer.dto, answer.property, 'min');
  if (min !== undefined && answer.value < min) return `${name} must be ${say(min)} or more`;
  const max = bound(answer.dto, answer.property, 'max');
  if (max !== undefined && answer.value > max) return `${name} must be ${say(max)} or less`;
  const places = bound(answer.dto, answer.property, 'maxDecimals');
  if (places !== undefined && !hasAtMostDecimals(answer.value, places)) {
    return answer.kind === 'pounds' ? `${name} must be in pounds and pence, such as 1200.50` : `${name} must have no more than ${places} decimal places`;
  }
  return undefined;
}
