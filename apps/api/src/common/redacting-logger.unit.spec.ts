import { redact, redactText } from './redacting-logger.js';

const SECRET = 'the-configured-hs256-secret-0123456789abcdef';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('redaction of what is logged', () => {
  it.each([
    [`Authorization: Bearer ${JWT}`, 'Authorization: Bearer [REDACTED]'],
    [`token=${JWT}&x=1`, 'token=[REDACTED]&x=1'],
    ['Basic dXNlcjpwYXNzd29yZA==', 'Basic [REDACTED]'],
    [`secret is ${SECRET}!`, 'secret is [REDACTED]!'],
    ['postgres://ssc:s3cr3t@db:5432/ssc', 'postgres://ssc:[REDACTED]@db:5432/ssc'],
    ['nothing to hide here', 'nothing to hide here'],
  ])('%s', (text, clean) => {
    expect(redactText(text, [SECRET])).toBe(clean);
  });

  it('masks sensitive keys and scrubs errors inside objects', () => {
    const error = new Error(`verify failed for ${JWT}`);
    const cleaned = redact({ headers: { authorization: 'Bearer x', accept: 'application/json' }, error, password: 'p' }, [SECRET]) as {
      headers: Record<string, string>;
      error: Error;
      password: string;
    };
    expect(cleaned.headers).toEqual({ authorization: '[REDACTED]', accept: 'application/json' });
    expect(cleaned.password).toBe('[REDACTED]');
    expect(cleaned.error.message).toBe('verify failed for [REDACTED]');
    expect(cleaned.error.stack).not.toContain(JWT);
  });
});
