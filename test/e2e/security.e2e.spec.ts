import { createHmac } from 'node:crypto';
import { signToken } from '../../apps/api/src/auth/tokens.js';
import { TEST_JWT_SECRET, startStack, type Stack } from '../support/stack.js';

/** Everything the process writes to stdout and stderr while `work` runs. */
async function capturingOutput<T>(work: () => Promise<T>): Promise<{ result: T; output: string }> {
  const chunks: string[] = [];
  const original = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const capture = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    const result = await work();
    return { result, output: chunks.join('') };
  } finally {
    process.stdout.write = original.out;
    process.stderr.write = original.err;
  }
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A token crafted by hand, for the shapes signToken refuses to make. */
function craftedToken(header: object, claims: object, secret = TEST_JWT_SECRET): string {
  const unsigned = `${base64url(header)}.${base64url(claims)}`;
  return `${unsigned}.${createHmac(header && (header as { alg?: string }).alg === 'HS512' ? 'sha512' : 'sha256', secret).update(unsigned).digest('base64url')}`;
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('bearer tokens', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite', withoutWorker: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const list = (authorization: string) => stack.http.get('/api/departments').set('Authorization', authorization);

  it('accepts a well-formed token', async () => {
    await list(`Bearer ${stack.token('auditor')}`).expect(200);
  });

  it.each([
    ['an expired token', () => signToken({ sub: 'a', roles: ['auditor'] }, { secret: TEST_JWT_SECRET, expiresInSeconds: -60 })],
    ['a token without expiry', () => craftedToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'a', roles: ['auditor'] })],
    ['an unsigned token (alg none)', () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'a', roles: ['admin'], exp: inAnHour() })}.`],
    ['a token signed with HS512', () => craftedToken({ alg: 'HS512', typ: 'JWT' }, { sub: 'a', roles: ['auditor'], exp: inAnHour() })],
    ['a token with an unknown role', () => craftedToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'a', roles: ['superuser'], exp: inAnHour() })],
    ['a token without roles', () => craftedToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'a', roles: [], exp: inAnHour() })],
    ['a token without sub', () => craftedToken({ alg: 'HS256', typ: 'JWT' }, { roles: ['auditor'], exp: inAnHour() })],
    ['a token with departments that are not codes', () => craftedToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'a', roles: ['lead'], departments: [1], exp: inAnHour() })],
  ])('refuses %s with 401 invalid-token', async (_name, token) => {
    const response = await list(`Bearer ${token()}`);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'invalid-token' });
  });

  it.each([['Basic dXNlcjpwYXNz'], ['Bearer'], ['Bearer a b'], ['bearer-ish token']])('refuses the Authorization header %j', async (header) => {
    const response = await list(header);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('invalid-token');
  });

  it('answers a missing token with 401 unauthenticated', async () => {
    const response = await stack.http.get('/api/departments');
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'unauthenticated', message: 'a bearer token is required' });
  });
});

describe('issuer and audience', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite', withoutWorker: true, env: { AUTH_JWT_ISSUER: 'ssc-idp', AUTH_JWT_AUDIENCE: 'ssc-api' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const call = (options: { issuer?: string; audience?: string }) =>
    stack.http
      .get('/api/departments')
      .set('Authorization', `Bearer ${signToken({ sub: 'auditor-1', roles: ['auditor'] }, { secret: TEST_JWT_SECRET, ...options })}`);

  it('accepts a token from the configured issuer for the configured audience', async () => {
    await call({ issuer: 'ssc-idp', audience: 'ssc-api' }).expect(200);
  });

  it.each([
    ['another issuer', { issuer: 'evil-idp', audience: 'ssc-api' }],
    ['another audience', { issuer: 'ssc-idp', audience: 'payroll-api' }],
    ['no issuer', { audience: 'ssc-api' }],
    ['no audience', { issuer: 'ssc-idp' }],
  ])('refuses a token with %s', async (_name, options) => {
    const response = await call(options);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('invalid-token');
  });
});

describe('rate limits', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite', withoutWorker: true, env: { RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '8' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers a load balancer\'s /health probes however many, counting none of them', async () => {
    // Counted, the ninth probe from this address would be refused; the next tests' exact counts show none was counted.
    const statuses = await Promise.all(Array.from({ length: 20 }, async () => (await stack.http.get('/health')).status));
    expect(statuses).toEqual(Array(20).fill(200));
  });

  it('holds back one token subject after its allowance, with 429 rate-limited and Retry-After', async () => {
    const alice = stack.token('auditor', [], 'alice');
    for (let i = 0; i < 3; i++) await stack.http.get('/api/lessons').set('Authorization', `Bearer ${alice}`).expect(200);

    const limited = await stack.http.get('/api/departments').set('Authorization', `Bearer ${alice}`);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', code: 'rate-limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    // Another person from the same address still gets through.
    await stack.http.get('/api/lessons').set('Authorization', `Bearer ${stack.token('auditor', [], 'bob')}`).expect(200);
  });

  it('holds back one address whatever the tokens, including requests without one', async () => {
    // 5 requests already came from this address in the test before (and 20 probes of /health, which are not counted).
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await stack.http.get('/api/lessons')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const other = await stack.http.get('/api/lessons').set('Authorization', `Bearer ${stack.token('auditor', [], 'carol')}`);
    expect(other.status).toBe(429);
    expect(other.body.code).toBe('rate-limited');
  });

  it('still answers /health from an address held back', async () => {
    expect((await stack.http.get('/api/lessons')).status).toBe(429);
    const probe = await stack.http.get('/health');
    expect(probe.status).toBe(200);
    expect(probe.body).toMatchObject({ status: 'ok' });
  });
});

describe('CORS', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite', withoutWorker: true, env: { CORS_ORIGINS: 'https://dashboard.example.gov.uk' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('lets a configured origin call the API from a browser', async () => {
    const preflight = await stack.http
      .options('/api/departments')
      .set('Origin', 'https://dashboard.example.gov.uk')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://dashboard.example.gov.uk');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('gives any other origin no CORS headers', async () => {
    const response = await stack.http.get('/health').set('Origin', 'https://evil.example.com');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the HTTP pipeline', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite', withoutWorker: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const programme = () => `Bearer ${stack.token('programme')}`;

  it('sends no CORS headers when no origin is configured', async () => {
    const response = await stack.http.get('/health').set('Origin', 'https://dashboard.example.gov.uk');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sets security headers, hides the framework and keeps answers out of caches', async () => {
    const response = await stack.http.get('/api/departments').set('Authorization', programme());
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toMatch(/max-age=/);
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['content-security-policy']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['text/plain', 'code=DFT'],
    ['application/x-www-form-urlencoded', 'code=DFT&name=x'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="code"\r\n\r\nDFT\r\n--x--'],
    ['application/xml', '<code>DFT</code>'],
  ])('refuses a %s body with 415 unsupported-media-type', async (type, payload) => {
    const response = await stack.http.post('/api/departments').set('Authorization', programme()).set('Content-Type', type).send(payload);
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ statusCode: 415, code: 'unsupported-media-type' });
  });

  it('refuses JSON in a non-Unicode charset and compressed JSON with 415', async () => {
    const latin1 = await stack.http
      .post('/api/departments')
      .set('Authorization', programme())
      .set('Content-Type', 'application/json; charset=iso-8859-1')
      .send(Buffer.from('{"code":"DFT"}', 'latin1'));
    expect(latin1.status).toBe(415);
    expect(latin1.body.code).toBe('unsupported-media-type');
    const gzipped = await stack.http
      .post('/api/departments')
      .set('Authorization', programme())
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send(Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
    expect(gzipped.status).toBe(415);
    expect(gzipped.body.code).toBe('unsupported-media-type');
  });

  it('answers malformed JSON with 400 malformed-json, without echoing it', async () => {
    const response = await stack.http
      .post('/api/departments')
      .set('Authorization', programme())
      .set('Content-Type', 'application/json')
      .send('{"code": "DFT", <script>');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', code: 'malformed-json', message: 'the request body is not valid JSON' });
  });

  it('refuses a body over 100 kB with 413 payload-too-large', async () => {
    const response = await stack.http
      .post('/api/departments')
      .set('Authorization', programme())
      .send({ code: 'DFT', name: 'x'.repeat(200_000) });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('payload-too-large');
  });

  it('answers an unknown route and a badly encoded URL in the one error shape', async () => {
    const unknown = await stack.http.get('/api/nothing-here').set('Authorization', programme());
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, code: 'not-found' });
    const encoded = await stack.http.get('/api/departments/%E0%A4%A').set('Authorization', programme());
    expect(encoded.status).toBe(400);
    expect(encoded.body).toMatchObject({ statusCode: 400, code: 'malformed-url' });
  });
});

describe('failures and logs', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite', withoutWorker: true, env: { LOG_LEVEL: 'info' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers an internal failure with a generic 500 and logs it without the token or the secret', async () => {
    const token = stack.token('programme');
    await stack.db.close(); // every query now fails inside the read model
    const { result: response, output } = await capturingOutput(() =>
      stack.http.get('/api/departments').set('Authorization', `Bearer ${token}`).set('X-Request-Id', 'req-broken-db'),
    );

    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'internal-error',
      message: 'an unexpected error occurred; it has been logged',
    });
    expect(output).toContain('req-broken-db');
    expect(output).not.toContain(token);
    expect(output).not.toContain(token.split('.')[2]);
    expect(output).not.toContain(TEST_JWT_SECRET);
  });
});
