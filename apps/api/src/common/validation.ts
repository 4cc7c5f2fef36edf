import { ValidationPipe, type PipeTransform, type ValidationError } from '@nestjs/common';
import { ApiError } from './api-error.js';

function describe(errors: readonly ValidationError[], parent = ''): Array<{ field: string; problems: string[] }> {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...describe(error.children ?? [], field)];
  });
}

/** Unknown properties are refused, types are converted, and the failure names every field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = describe(errors);
      return new ApiError(400, 'validation-failed', fields.map((f) => `${f.field}: ${f.problems.join('; ')}`).join(' | ') || 'invalid request', {
        fields,
      });
    },
  });
}

/**
 * For commands that take no body: an empty one (or none) passes, anything else is refused
 * rather than silently ignored, like an unknown property in a DTO.
 */
export const NoBody: PipeTransform = {
  transform(value: unknown) {
    const empty = value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);
    if (!empty) throw new ApiError(400, 'unexpected-body', 'this command takes no request body');
    return undefined;
  },
};
