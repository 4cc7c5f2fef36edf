import { invalidCommand } from './errors.js';

/**
 * Pounds (a JSON number with at most two decimals) to integer pence.
 *
 * `x * 100` is not exact in binary floating point (0.29 * 100 = 28.999999999999996), so the
 * product is rounded to the nearest integer; that is exact for every two-decimal input.
 * An input that is only a few units in the last place away from a two-decimal amount
 * (0.1 + 0.2) is accepted as that amount; a genuine third decimal (1.005) is refused.
 * Negative amounts convert symmetrically: whether they are allowed is a business rule
 * that the decider enforces, not this conversion.
 */
export function poundsToPence(pounds: number): number {
  if (typeof pounds !== 'number' || !Number.isFinite(pounds)) {
    throw invalidCommand('amount must be a finite number of pounds', { value: pounds });
  }
  const scaled = pounds * 100;
  const pence = Math.sign(scaled) * Math.round(Math.abs(scaled));
  const tolerance = 8 * Number.EPSILON * Math.max(1, Math.abs(scaled));
  if (Math.abs(scaled - pence) > tolerance) {
    throw invalidCommand('amount must have at most two decimal places', { value: pounds });
  }
  if (!Number.isSafeInteger(pence)) {
    throw invalidCommand('amount is too large to be held exactly in pence', { value: pounds });
  }
  return pence === 0 ? 0 : pence;
}

/** Integer pence to pounds; division by 100 is correctly rounded, so 1234 gives exactly 12.34. */
export function penceToPounds(pence: number): number {
  if (typeof pence !== 'number' || !Number.isSafeInteger(pence)) {
    throw invalidCommand('pence must be a safe integer', { value: pence });
  }
  const pounds = pence / 100;
  return pounds === 0 ? 0 : pounds;
}
