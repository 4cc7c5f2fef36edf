import { ConfigError, loadConfig } from './index.js';

const REAL_INFRASTRUCTURE = { TEMPORAL_ADDRESS: 'temporal:7233', DATABASE_URL: 'postgres://ssc@postgres/ssc', DATA_DIR: '/tmp/ssc-oidc-config-spec' };
const PROVIDER = { OIDC_ISSUER_URL: 'https://login.example.gov.uk/realms/ssc', OIDC_CLIENT_ID: 'ssc-onboarding' };

function configWith(env: Record<string, string>) {
  return loadConfig({ ...REAL_INFRASTRUCTURE, ...env });
}

function refusal(env: Record<string, string>): string {
  try {
    configWith(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('identity provider configuration', () => {
  it('is off without OIDC_ISSUER_URL', () => {
    expect(configWith({ AUTH_JWT_SECRET: 'x'.repeat(32) }).oidc).toBeUndefined();
  });

  it('has defaults for scopes, claims and the JWKS cache, and checks tokens for the client id unless AUTH_JWT_AUDIENCE says otherwise', () => {
    const { oidc, authJwtSecret } = configWith(PROVIDER);
    expect(authJwtSecret).toBeUndefined();
    expect(oidc).toMatchObject({
      issuerUrl: PROVIDER.OIDC_ISSUER_URL,
      clientId: 'ssc-onboarding',
      scopes: ['openid', 'profile', 'email'],
      rolesClaim: 'roles',
      departmentsClaim: 'departments',
      roleMap: undefined,
      audience: 'ssc-onboarding',
      jwksCacheMaxAgeMs: 600_000,
      jwksRefreshCooldownMs: 30_000,
    });
    expect(configWith({ ...PROVIDER, AUTH_JWT_AUDIENCE: 'api://ssc' }).oidc?.audience).toBe('api://ssc');
  });

  it('reads the role map, a group naming several roles', () => {
    const { oidc } = configWith({ ...PROVIDER, OIDC_ROLE_MAP: 'ssc-leads=lead, /ssc/admins=admin,/ssc/admins=auditor' });
    expect([...(oidc?.roleMap ?? [])]).toEqual([
      ['ssc-leads', ['lead']],
      ['/ssc/admins', ['admin', 'auditor']],
    ]);
  });

  it.each([
    [{ OIDC_ISSUER_URL: 'http://login.example.gov.uk', OIDC_CLIENT_ID: 'c' }, /OIDC_ISSUER_URL must use https/],
    [{ OIDC_ISSUER_URL: 'not a url', OIDC_CLIENT_ID: 'c' }, /OIDC_ISSUER_URL must be a URL/],
    [{ OIDC_ISSUER_URL: PROVIDER.OIDC_ISSUER_URL }, /OIDC_CLIENT_ID is required/],
    [{ OIDC_CLIENT_ID: 'c' }, /OIDC_CLIENT_ID has no effect without OIDC_ISSUER_URL/],
    [{ ...PROVIDER, OIDC_ROLE_MAP: 'ssc-leads=boss' }, /OIDC_ROLE_MAP maps "ssc-leads" to "boss"/],
    [{ ...PROVIDER, OIDC_ROLE_MAP: 'lead' }, /OIDC_ROLE_MAP must be comma-separated group=role pairs/],
    [{ ...PROVIDER, OIDC_SCOPES: 'profile email' }, /OIDC_SCOPES must include openid/],
    [{ ...PROVIDER, OIDC_ROLES_CLAIM: 'roles; drop' }, /OIDC_ROLES_CLAIM must be a claim name/],
    [{ ...PROVIDER, OIDC_JWKS_REFRESH_COOLDOWN: '30s' }, /OIDC_JWKS_REFRESH_COOLDOWN must be an ISO 8601 duration/],
    [{ ...PROVIDER, OIDC_CLIENT_PRIVATE_KEY_FILE: '/nonexistent/key.pem' }, /OIDC_CLIENT_PRIVATE_KEY_FILE cannot read/],
    [{}, /AUTH_JWT_SECRET is required/],
  ])('refuses %j at start-up, naming the variable', (env, message) => {
    expect(refusal(env as Record<string, string>)).toMatch(message);
  });

  it('allows http for a provider on this machine', () => {
    expect(configWith({ OIDC_ISSUER_URL: 'http://127.0.0.1:8080/realms/dev', OIDC_CLIENT_ID: 'c' }).oidc?.issuerUrl).toBe('http://127.0.0.1:8080/realms/dev');
  });
});
