import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { JWK } from 'jose';
import { signToken } from '../../apps/api/src/auth/tokens.js';
import { servedRoutes } from '../support/routes.js';
import { startIdentityProvider, type SigningKey, type TestIdentityProvider } from '../support/identity-provider.js';
import { TEST_JWT_SECRET, startStack, uniqueCode, type Stack } from '../support/stack.js';

const API_AUDIENCE = 'https://api.ssc-onboarding.test';
const ROLE_MAP = 'ssc-programme-office=programme,ssc-department-leads=lead,ssc-auditors=auditor';

function providerEnv(provider: TestIdentityProvider): Record<string, string> {
  return {
    OIDC_ISSUER_URL: provider.issuer,
    OIDC_CLIENT_ID: 'ssc-console',
    OIDC_CLIENT_SECRET: 'console-secret-not-used-by-the-api',
    AUTH_JWT_AUDIENCE: API_AUDIENCE,
    OIDC_ROLES_CLAIM: 'groups',
    OIDC_DEPARTMENTS_CLAIM: 'departments',
    OIDC_ROLE_MAP: ROLE_MAP,
    OIDC_JWKS_REFRESH_COOLDOWN: 'PT1S',
  };
}

const now = () => Math.floor(Date.now() / 1000);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function registration(code: string) {
  return { code, name: `Department ${code}`, centre: 'ISSC1', plannedGoLive: '2027-04-01' };
}

describe('API bearer tokens from the identity provider', () => {
  const leadCode = uniqueCode('OI');
  let provider: TestIdentityProvider;
  let stack: Stack;
  let rsa: SigningKey;
  /** Claims the provider would put in a programme officer's access token. */
  let programmeClaims: () => Record<string, unknown>;

  beforeAll(async () => {
    provider = await startIdentityProvider({
      apiAudience: API_AUDIENCE,
      users: [
        { username: 'pat.programme', password: 'correct horse 1', name: 'Pat Programme', groups: ['staff', 'ssc-programme-office'] },
        { username: 'lee.lead', password: 'correct horse 2', name: 'Lee Lead', groups: ['ssc-department-leads'], departments: [leadCode.toLowerCase()] },
        { username: 'nora.nobody', password: 'correct horse 3', name: 'Nora Nobody', groups: ['staff', 'finance-team'] },
      ],
    });
    stack = await startStack({ database: 'sqlite', env: providerEnv(provider) });
    rsa = provider.keys().find((key) => key.alg === 'RS256')!;
    programmeClaims = () => ({ iss: provider.issuer, aud: API_AUDIENCE, sub: 'pat.programme', groups: ['ssc-programme-office'], iat: now(), exp: now() + 600 });
  });
  afterAll(async () => {
    await stack?.close();
    await provider?.close();
  });

  const register = (token: string, code: string) => stack.http.post('/api/departments').set('Authorization', `Bearer ${token}`).send(registration(code));
  const written = async (code: string) => (await stack.store.readStream(`department-${code}`)).length;

  it('runs a command with an access token the provider issued, recording the signed-in subject as the actor', async () => {
    const token = await provider.accessTokenFor('pat.programme');
    const code = uniqueCode('OI');

    const response = await register(token, code);

    expect(response.status).toBe(201);
    expect(response.body.events[0].metadata.actor).toEqual({ sub: 'pat.programme', role: 'programme' });
    const [stored] = await stack.store.readStream(`department-${code}`);
    expect(stored.metadata).toMatchObject({ actor: { sub: 'pat.programme', role: 'programme' } });
  });

  it('scopes a lead to the departments the provider names, as the role its group maps to', async () => {
    await register(await provider.accessTokenFor('pat.programme'), leadCode).expect(201);
    const lead = await provider.accessTokenFor('lee.lead');

    const own = await stack.http
      .post(`/api/departments/${leadCode}/assessment`)
      .set('Authorization', `Bearer ${lead}`)
      .send({ sro: 'Lee Lead', score: 4, contractManagementFte: 2 });
    const other = await stack.http.get(`/api/departments/${uniqueCode('OX')}`).set('Authorization', `Bearer ${lead}`);
    const programmeOnly = await register(lead, uniqueCode('OI'));

    expect(own.status).toBe(200);
    expect(own.body.events.map((event: { metadata: { actor: unknown } }) => event.metadata.actor)).toEqual([{ sub: 'lee.lead', role: 'lead' }]);
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('out-of-scope');
    expect(programmeOnly.status).toBe(403);
    expect(programmeOnly.body.code).toBe('forbidden-role');
  });

  it.each(['ES256', 'EdDSA'] as const)('accepts a token the provider signs with its %s key', async (alg) => {
    const key = provider.keys().find((candidate) => candidate.alg === alg)!;
    const code = uniqueCode('OI');

    const response = await register(await provider.sign(programmeClaims(), key), code);

    expect(response.status).toBe(201);
    expect(response.body.events[0].metadata.actor.sub).toBe('pat.programme');
  });

  it('still accepts the HS256 tokens of AUTH_JWT_SECRET beside the provider', async () => {
    const token = signToken({ sub: 'auditor-user', roles: ['auditor'] }, { secret: TEST_JWT_SECRET, audience: API_AUDIENCE });
    await stack.http.get('/api/departments').set('Authorization', `Bearer ${token}`).expect(200);
  });

  const refusals: ReadonlyArray<[string, () => Promise<string>]> = [
    ['an expired token', () => provider.sign({ ...programmeClaims(), iat: now() - 900, exp: now() - 120 }, rsa)],
    ['a token not valid yet (nbf)', () => provider.sign({ ...programmeClaims(), nbf: now() + 300 }, rsa)],
    ['a token without expiry', () => provider.sign({ ...programmeClaims(), exp: undefined }, rsa)],
    ['a token from another issuer', () => provider.sign({ ...programmeClaims(), iss: 'https://login.example.org/other-tenant' }, rsa)],
    ['a token for another audience', () => provider.sign({ ...programmeClaims(), aud: 'https://another-service.example.gov.uk' }, rsa)],
    ['an unsigned token (alg none)', async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(programmeClaims())}.`],
    [
      "an HS256 token keyed with the provider's public key",
      async () => {
        const publicPem = createPublicKey({ key: rsa.publicJwk as JWK & { kty: string }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
        const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT', kid: rsa.kid })}.${base64url(programmeClaims())}`;
        return `${unsigned}.${createHmac('sha256', publicPem).update(unsigned).digest('base64url')}`;
      },
    ],
    ['a token signed by a key the JWKS does not hold', () => provider.sign(programmeClaims(), unpublishedKey('not-published'))],
    ["a token signed by another key under a published key's kid", () => provider.sign(programmeClaims(), unpublishedKey(rsa.kid))],
    [
      'a provider-issued token whose payload was changed',
      async () => {
        const [header, payload, signature] = (await provider.accessTokenFor('nora.nobody')).split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        return [header, base64url({ ...claims, groups: ['ssc-programme-office'] }), signature].join('.');
      },
    ],
  ];

  it.each(refusals)('refuses %s with 401 and writes nothing', async (_name, makeToken) => {
    const code = uniqueCode('OI');

    const response = await register(await makeToken(), code);

    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'invalid-token' });
    expect(await written(code)).toBe(0);
  });

  it('gives no access anywhere to a user whose groups map to no role', async () => {
    const token = await provider.accessTokenFor('nora.nobody');
    const code = uniqueCode('OI');
    const guarded = servedRoutes(stack.app).filter((route) => route.includes(' /api/'));
    expect(guarded.length).toBeGreaterThan(20);

    for (const route of guarded) {
      const [method, path] = route.split(' ');
      const url = path.replace(':code', code).replace(/:[A-Za-z]+/g, 'x');
      const response = await stack.http[method.toLowerCase() as 'get' | 'post'](url).set('Authorization', `Bearer ${token}`).send(method === 'POST' ? registration(code) : undefined);
      expect({ route, status: response.status, code: response.body.code }).toEqual({ route, status: 403, code: 'no-role' });
    }
    expect(await written(code)).toBe(0);
  });
});

describe('signing key rotation at the identity provider', () => {
  let provider: TestIdentityProvider;
  let stack: Stack;

  beforeAll(async () => {
    provider = await startIdentityProvider({
      apiAudience: API_AUDIENCE,
      users: [{ username: 'ada.auditor', password: 'correct horse 4', name: 'Ada Auditor', groups: ['ssc-auditors'] }],
    });
    stack = await startStack({ database: 'sqlite', withoutWorker: true, env: { ...providerEnv(provider), AUTH_JWT_SECRET: '' } });
  });
  afterAll(async () => {
    await stack?.close();
    await provider?.close();
  });

  const list = (token: string) => stack.http.get('/api/departments').set('Authorization', `Bearer ${token}`);

  it('accepts tokens signed with the new key without a restart, and refuses those signed with the dropped key', async () => {
    const before = await provider.accessTokenFor('ada.auditor');
    await list(before).expect(200);

    await provider.rotateKeys();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past OIDC_JWKS_REFRESH_COOLDOWN since the last fetch
    const after = await provider.accessTokenFor('ada.auditor');

    expect(JSON.parse(Buffer.from(after.split('.')[0], 'base64url').toString()).kid).not.toBe(JSON.parse(Buffer.from(before.split('.')[0], 'base64url').toString()).kid);
    await list(after).expect(200);
    const dropped = await list(before);
    expect(dropped.status).toBe(401);
    expect(dropped.body.code).toBe('invalid-token');
  });

  it('keeps accepting tokens under cached keys while the provider is down, and answers 503 when it would need the provider', async () => {
    const cached = await provider.accessTokenFor('ada.auditor');
    await list(cached).expect(200);
    const unknownKid = await provider.sign(
      { iss: provider.issuer, aud: API_AUDIENCE, sub: 'ada.auditor', groups: ['ssc-auditors'], exp: now() + 600 },
      { ...provider.keys()[0], kid: 'rotated-in-while-down' },
    );
    await provider.close();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the refetch cooldown

    await list(cached).expect(200);
    const unreachable = await list(unknownKid);
    expect(unreachable.status).toBe(503);
    expect(unreachable.body.code).toBe('identity-provider-unavailable');
  });

  it('refuses HS256 tokens altogether when the deployment gives no AUTH_JWT_SECRET', async () => {
    expect(stack.config.authJwtSecret).toBeUndefined();
    const hs256 = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub: 'x', roles: ['admin'], exp: now() + 600 })}`;
    const response = await list(`${hs256}.${createHmac('sha256', '').update(hs256).digest('base64url')}`);
    expect(response.status).toBe(401);
  });
});

/** A key of the provider's kind that the provider never published. */
function unpublishedKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    alg: 'RS256',
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256' } as JWK,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256' } as JWK,
  };
}
