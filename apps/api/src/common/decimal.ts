import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * A finite number with at most `places` decimals. class-validator's own maxDecimalPlaces
 * reads the decimals from `toString()` and throws on exponent forms such as 1e-7, which
 * turned a bad amount into a 500.
 */
export function hasAtMostDecimals(value: unknown, places: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && Number(value.toFixed(places)) === value;
}

export function MaxDecimals(places: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxDecimals',
      constraints: [places],
      validator: {
        validate: (value: unknown) => hasAtMostDecimals(value, places),
        defaultMessage: () => `$property must be a number with at most ${places} decimal places`,
      },
    },
    options,
  );
}
