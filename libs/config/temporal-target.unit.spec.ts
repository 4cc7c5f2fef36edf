import { loadConfig } from './index.js';

const SECRET = 'a-secret-that-is-long-enough-for-hs256-0123456789';

describe('the Temporal address every process connects to', () => {
  it('is TEMPORAL_ADDRESS when set', () => {
    const config = loadConfig({ AUTH_JWT_SECRET: SECRET, TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_DEV_PORT: '7555' });
    expect(config.temporalTarget).toBe('temporal.internal:7233');
  });

  it('is the embedded dev server on its configured port otherwise, never a fixed 7233', () => {
    const config = loadConfig({ AUTH_JWT_SECRET: SECRET, DATABASE_URL: 'postgres://db.internal/onboarding', TEMPORAL_DEV_PORT: '7555' });
    expect(config.temporalTarget).toBe('127.0.0.1:7555');
    expect(loadConfig({ AUTH_JWT_SECRET: SECRET, DATABASE_URL: 'postgres://db.internal/onboarding' }).temporalTarget).toBe('127.0.0.1:7233');
  });
});
