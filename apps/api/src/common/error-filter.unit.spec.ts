import { BadRequestException, InternalServerErrorException } from '@nestjs/common';
import { CommandRefused } from '../../../../libs/temporal/index.js';
import { DomainError } from '../../../../libs/domain/index.js';
import { ApiError, departmentNotFound } from './api-error.js';
import { toErrorBody } from './error-filter.js';

const GENERIC = { statusCode: 500, error: 'Internal Server Error', code: 'internal-error', message: 'an unexpected error occurred; it has been logged' };

describe('toErrorBody', () => {
  it('keeps our own refusals as they were written', () => {
    expect(toErrorBody(new ApiError(409, 'already-registered', 'department DFT is already registered'))).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'already-registered',
      message: 'department DFT is already registered',
    });
    expect(toErrorBody(new DomainError('gates-unmet', 'Cannot leave LESSONS', { unmetGates: ['assessment-recorded'] }))).toMatchObject({
      statusCode: 422,
      code: 'gates-unmet',
      details: { unmetGates: ['assessment-recorded'] },
    });
    expect(toErrorBody(new CommandRefused('stage-mismatch', 'The department is in READINESS'))).toMatchObject({ statusCode: 409, code: 'stage-mismatch' });
  });

  it('maps every domain refusal to its HTTP status, an unknown department to 404 wherever it is found', () => {
    expect(toErrorBody(new DomainError('invalid-command', 'bad'))).toMatchObject({ statusCode: 400, code: 'invalid-command' });
    expect(toErrorBody(new DomainError('department-not-found', 'The department is not registered'))).toMatchObject({ statusCode: 404 });
    expect(toErrorBody(new CommandRefused('department-not-found', 'no onboarding is running'))).toMatchObject({ statusCode: 404 });
    expect(toErrorBody(departmentNotFound('DFT'))).toMatchObject({ statusCode: 404, code: 'department-not-found' });
    expect(toErrorBody(new DomainError('unknown-deviation', 'x'))).toMatchObject({ statusCode: 404 });
    expect(toErrorBody(new DomainError('deviation-already-exists', 'x'))).toMatchObject({ statusCode: 409 });
    expect(toErrorBody(new DomainError('department-paused', 'x'))).toMatchObject({ statusCode: 422 });
  });

  it('answers a programming error with a generic 500 that holds neither message nor stack', () => {
    const error = new TypeError("Cannot read properties of undefined (reading 'stage') at /work/main/libs/x.ts:12");
    expect(toErrorBody(error)).toEqual(GENERIC);
    expect(toErrorBody(new InternalServerErrorException('pool exhausted at db.internal:5432'))).toEqual(GENERIC);
    expect(toErrorBody('a thrown string')).toEqual(GENERIC);
  });

  it('treats a refusal with a code nobody defined as a fault, not as a message for the caller', () => {
    expect(toErrorBody(new CommandRefused('TypeError', "Cannot read properties of undefined (reading 'trim')"))).toEqual(GENERIC);
  });

  it('answers an unreachable database with 503, without its address', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });
    const wrapped = Object.assign(new Error('Query failed'), { driverError: refused });
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    for (const error of [refused, wrapped, shutdown]) {
      expect(toErrorBody(error)).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'service-unavailable',
        message: 'a service the API depends on is unavailable; retry later',
      });
    }
  });

  it('names body-parser failures by what went wrong, without echoing the body', () => {
    const parse = Object.assign(new SyntaxError('Unexpected token < in JSON at position 9: {"a": <script>'), { status: 400, type: 'entity.parse.failed' });
    expect(toErrorBody(new BadRequestException(parse.message, { cause: parse }))).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'malformed-json',
      message: 'the request body is not valid JSON',
    });
    expect(toErrorBody(Object.assign(new Error('too large'), { status: 413, type: 'entity.too.large' }))).toMatchObject({ statusCode: 413, code: 'payload-too-large' });
  });
});
