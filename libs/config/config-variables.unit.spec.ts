import { generateKeyPairSync } from 'node:crypto';
import { CONFIG_VARIABLES, loadConfig } from './index.js';

/** An environment that remembers every name asked of it, and refuses to be enumerated. */
function recordingEnvironment(values: Record<string, string>) {
  const asked = new Set<string>();
  const env = new Proxy(values, {
    get(target, name) {
      if (typeof name === 'string') asked.add(name);
      return typeof name === 'string' ? target[name] : undefined;
    },
    has(target, name) {
      if (typeof name === 'string') asked.add(name);
      return name in target;
    },
    ownKeys() {
      throw new Error('loadConfig enumerated the environment: deployments could no longer know what it reads');
    },
  });
  return { env, asked };
}

const EVERY_VARIABLE_SET: Record<string, string> = {
  PORT: '3000',
  DATA_DIR: '/tmp/ssc-config-spec',
  TEMPORAL_ADDRESS: 'temporal:7233',
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_DEV_PORT: '7233',
  TEMPORAL_DEV_UI_PORT: '8233',
  TEMPORAL_TASK_QUEUE: 'ssc-onboarding',
  TEMPORAL_UI_URL: 'http://localhost:8080',
  DATABASE_URL: 'postgres://ssc@postgres:5432/ssc',
  AUTH_JWT_SECRET: 'a-secret-that-is-long-enough-for-hs256-0123456789',
  AUTH_JWT_ISSUER: 'ssc',
  AUTH_JWT_AUDIENCE: 'ssc-api',
  ESCALATION_WEBHOOK_URL: 'https://hooks.example.org/escalations',
  COMMAND_TIMEOUT_MS: '20000',
  IDEMPOTENCY_KEY_RETENTION: 'PT12H',
  LOG_LEVEL: 'warn',
  AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  AUDIT_SIGNING_KEY_FILE: '/run/secrets/audit-signing-key.pem',
  RATE_LIMIT_PER_MINUTE: '600',
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1200',
  CORS_ORIGINS: 'https://dashboard.example.gov.uk',
  TRUST_PROXY: 'loopback',
  DECISION_WAIT_LIMIT: 'P5D',
  STUCK_SWEEP_INTERVAL: 'PT15S',
  STUCK_SWEEP_BATCH: '100',
  WORKER_METRICS_PORT: '9464',
  OIDC_ISSUER_URL: 'https://login.example.gov.uk/realms/ssc',
  OIDC_CLIENT_ID: 'ssc-onboarding',
  OIDC_CLIENT_SECRET: 'a-client-secret',
  OIDC_CLIENT_PRIVATE_KEY_FILE: '/run/secrets/oidc-client-key.pem',
  OIDC_CLIENT_KEY_ID: 'ssc-2026',
  OIDC_REDIRECT_URL: 'https://onboarding.example.gov.uk/sign-in/callback',
  OIDC_SCOPES: 'openid profile email',
  OIDC_ROLES_CLAIM: 'realm_access.roles',
  OIDC_DEPARTMENTS_CLAIM: 'departments',
  OIDC_ROLE_MAP: 'ssc-leads=lead,ssc-programme=programme',
  OIDC_JWKS_CACHE_MAX_AGE: 'PT10M',
  OIDC_JWKS_REFRESH_COOLDOWN: 'PT30S',
  CONSOLE_DEV_SIGN_IN: 'false',
  CONSOLE_SESSION_SECRET: 'a-console-session-secret-long-enough-0123456789',
  CONSOLE_SESSION_IDLE: 'PT20M',
  CONSOLE_SESSION_MAX: 'PT8H',
  ESCALATION_REPEAT: 'P3D',
  REGISTRATION_TIMEOUT: 'PT5M',
  PAUSED_CATCH_UP_INTERVAL: 'PT30M',
  PROGRAMME_SAVINGS_TARGET: '400000000-600000000',
  PROGRAMME_COST_TARGET: '44000000-95000000',
};

describe('CONFIG_VARIABLES', () => {
  it('names every variable loadConfig reads, so deployment files can be checked against it', () => {
    const { env, asked } = recordingEnvironment({ ...EVERY_VARIABLE_SET });

    loadConfig(env);

    expect([...asked].filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
  });

  it('names nothing loadConfig ignores', () => {
    const { env, asked } = recordingEnvironment({ ...EVERY_VARIABLE_SET });

    loadConfig(env);

    expect(CONFIG_VARIABLES.filter((name) => !asked.has(name))).toEqual([]);
  });

  it('is what the test fixture sets, one entry per variable', () => {
    expect([...CONFIG_VARIABLES].sort()).toEqual(Object.keys(EVERY_VARIABLE_SET).sort());
    expect(new Set(CONFIG_VARIABLES).size).toBe(CONFIG_VARIABLES.length);
  });
});

describe('programme accountability settings', () => {
  const base = { AUTH_JWT_SECRET: EVERY_VARIABLE_SET.AUTH_JWT_SECRET, TEMPORAL_ADDRESS: 'temporal:7233', DATA_DIR: '/tmp/ssc-config-spec' };

  it('defaults to a weekly escalation and the announced £400m-£600m against £44m-£95m', () => {
    const config = loadConfig(base);
    expect(config.escalationRepeat).toBe('P7D');
    expect(config.programmeSavingsTargetPence).toEqual([400_000_000_00, 600_000_000_00]);
    expect(config.programmeCostTargetPence).toEqual([44_000_000_00, 95_000_000_00]);
  });

  it('gives an onboarding ten minutes to be registered unless told otherwise', () => {
    expect(loadConfig(base).registrationTimeoutMs).toBe(600_000);
    expect(loadConfig({ ...base, REGISTRATION_TIMEOUT: 'PT30S' }).registrationTimeoutMs).toBe(30_000);
  });

  it('has a paused onboarding look at its stream hourly unless told otherwise', () => {
    expect(loadConfig(base).pausedCatchUpIntervalMs).toBe(3_600_000);
    expect(loadConfig({ ...base, PAUSED_CATCH_UP_INTERVAL: 'PT5S' }).pausedCatchUpIntervalMs).toBe(5_000);
  });

  it.each([
    ['ESCALATION_REPEAT', 'weekly'],
    ['ESCALATION_REPEAT', 'PT0S'],
    ['REGISTRATION_TIMEOUT', '10 minutes'],
    ['REGISTRATION_TIMEOUT', 'PT0S'],
    ['PAUSED_CATCH_UP_INTERVAL', '1h'],
    ['PROGRAMME_SAVINGS_TARGET', '600-400'],
    ['PROGRAMME_COST_TARGET', '£44m-£95m'],
  ])('stops with a message naming %s when it is %p', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(name);
  });
});

describe('Idempotency-Key retention', () => {
  const base = { AUTH_JWT_SECRET: EVERY_VARIABLE_SET.AUTH_JWT_SECRET, TEMPORAL_ADDRESS: 'temporal:7233', DATA_DIR: '/tmp/ssc-config-spec' };

  it('keeps a key a day by default, or as long as IDEMPOTENCY_KEY_RETENTION says', () => {
    expect(loadConfig(base).idempotencyKeyRetentionMs).toBe(24 * 3600_000);
    expect(loadConfig({ ...base, IDEMPOTENCY_KEY_RETENTION: 'P7D' }).idempotencyKeyRetentionMs).toBe(7 * 24 * 3600_000);
  });

  it.each(['24h', 'PT0S', '-PT1H'])('stops with a message naming IDEMPOTENCY_KEY_RETENTION when it is %p', (value) => {
    expect(() => loadConfig({ ...base, IDEMPOTENCY_KEY_RETENTION: value })).toThrow('IDEMPOTENCY_KEY_RETENTION');
  });
});
