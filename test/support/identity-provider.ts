import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

/**
 * A real OpenID Connect provider (`oidc-provider`), started in this test process on a free
 * port: test users with passwords, groups and departments; a confidential client for the
 * console; JWT access tokens for the API's audience; a login page of its own; key rotation.
 */

export interface TestUser {
  readonly username: string;
  readonly password: string;
  readonly name: string;
  /** Directory groups, as an organisation's provider would hold them (mapped to roles by OIDC_ROLE_MAP). */
  readonly groups: readonly string[];
  readonly departments?: readonly string[];
}

export interface TestClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
}

export interface IdentityProviderOptions {
  readonly users: readonly TestUser[];
  /** The `aud` of the access tokens it issues for the API (a resource indicator). */
  readonly apiAudience: string;
  readonly clients?: readonly TestClient[];
}

/** A signing key the provider publishes, with its private half for tests that sign as the provider would. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256' | 'EdDSA';
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export interface TestIdentityProvider {
  readonly issuer: string;
  /** The keys published now; the first (RS256) signs what the provider issues. */
  keys(): readonly SigningKey[];
  /** A new set of keys, published and used at once; the old ones are dropped from the JWKS. */
  rotateKeys(): Promise<void>;
  /** Registers a client once its redirect URI is known (say, the console on a port picked at random). */
  registerClient(client: TestClient): Promise<void>;
  /** An access token for the API, issued through the authorization code flow with the user's password. */
  accessTokenFor(username: string): Promise<string>;
  /** A token signed with one of the provider's keys (or any key), for claims the provider would never issue. */
  sign(claims: JWTPayload, key: SigningKey, header?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** The client tests use to get API access tokens without a browser. */
const TOKEN_CLIENT: TestClient = {
  clientId: 'ssc-test-token-client',
  clientSecret: randomBytes(24).toString('base64url'),
  redirectUris: ['http://127.0.0.1/token-client/callback'],
};

let keyCounter = 0;
function newKeys(): SigningKey[] {
  keyCounter += 1;
  const made = [
    { alg: 'RS256' as const, pair: generateKeyPairSync('rsa', { modulusLength: 2048 }) },
    { alg: 'ES256' as const, pair: generateKeyPairSync('ec', { namedCurve: 'P-256' }) },
    { alg: 'EdDSA' as const, pair: generateKeyPairSync('ed25519') },
  ];
  return made.map(({ alg, pair }) => {
    const kid = `${alg.toLowerCase()}-${keyCounter}-${randomUUID().slice(0, 8)}`;
    return {
      kid,
      alg,
      privateJwk: { ...pair.privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } as JWK,
      publicJwk: { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } as JWK,
    };
  });
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function formBody(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startIdentityProvider(options: IdentityProviderOptions): Promise<TestIdentityProvider> {
  const users = new Map(options.users.map((user) => [user.username, user]));
  const clients = [...(options.clients ?? []), TOKEN_CLIENT];
  let handler: (request: IncomingMessage, response: ServerResponse) => void = (_req, res) => res.end();
  let provider: Provider;
  let keys = newKeys();

  const server: Server = createServer((request, response) => {
    const interaction = /^\/interaction\/([\w-]+)$/.exec(request.url?.split('?')[0] ?? '');
    if (interaction) {
      loginPage(provider, users, request, response).catch((error) => {
        response.statusCode = 500;
        response.end(String(error));
      });
      return;
    }
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const build = () => {
    provider = new Provider(issuer, configuration(options, users, clients, keys));
    handler = provider.callback();
  };
  build();

  const tokenClient = async () =>
    oidc.discovery(new URL(issuer), TOKEN_CLIENT.clientId, undefined, oidc.ClientSecretBasic(TOKEN_CLIENT.clientSecret), {
      execute: [oidc.allowInsecureRequests],
    });

  return {
    issuer,
    keys: () => keys,
    async rotateKeys() {
      keys = newKeys();
      build();
    },
    async registerClient(client) {
      clients.push(client);
      build();
    },
    async accessTokenFor(username) {
      const user = users.get(username);
      if (!user) throw new Error(`no test user ${username}`);
      const config = await tokenClient();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const redirectUri = TOKEN_CLIENT.redirectUris[0];
      const start = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid ssc api',
        resource: options.apiAudience,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      const callback = await signInOverHttp(start, user, redirectUri);
      const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true }, { resource: options.apiAudience });
      return tokens.access_token;
    },
    async sign(claims, key, header = {}) {
      return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header }).sign(await importJWK(key.privateJwk, key.alg));
    },
    async close() {
      if (!server.listening) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The provider's own sign-in page: username and password, checked against the test users. */
async function loginPage(provider: Provider, users: ReadonlyMap<string, TestUser>, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(request, response);
  const form = (error?: string) =>
    page(
      'Sign in to the test identity provider',
      `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}<form method="post" action="/interaction/${details.uid}">` +
        '<label for="username">Username</label><input id="username" name="username" autocomplete="username">' +
        '<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">' +
        '<button type="submit">Continue</button></form>',
    );
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Content-Type', 'text/html; charset=utf-8');
  if (request.method !== 'POST') {
    response.end(form());
    return;
  }
  const body = await formBody(request);
  const user = users.get(body.get('username') ?? '');
  if (!user || user.password !== body.get('password')) {
    response.statusCode = 401;
    response.end(form('The username or password is not right'));
    return;
  }
  await provider.interactionFinished(request, response, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
}

function configuration(options: IdentityProviderOptions, users: ReadonlyMap<string, TestUser>, clients: readonly TestClient[], keys: readonly SigningKey[]): Configuration {
  const claimsOf = (user: TestUser) => ({
    sub: user.username,
    name: user.name,
    email: `${user.username}@example.gov.uk`,
    groups: [...user.groups],
    departments: [...(user.departments ?? [])],
  });
  return {
    clients: clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: [...client.redirectUris],
      post_logout_redirect_uris: [...(client.postLogoutRedirectUris ?? [])],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: keys.map((key) => key.privateJwk) as never },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], profile: ['name'], email: ['email'], ssc: ['groups', 'departments'] },
    scopes: ['openid', 'profile', 'email', 'ssc'],
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, IdToken: 600, AccessToken: 600, AuthorizationCode: 60 },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
          ctx.type = 'html';
          ctx.body = page('Sign out of the test identity provider', `${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`);
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => undefined as unknown as string,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: KoaContextWithOIDC, indicator: string) => {
          if (indicator !== options.apiAudience) throw new Error(`unknown resource ${indicator}`);
          return { scope: 'api', audience: options.apiAudience, accessTokenFormat: 'jwt', accessTokenTTL: 600, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: KoaContextWithOIDC, id: string) => {
      const user = users.get(id);
      if (!user) return undefined;
      return { accountId: id, claims: async () => claimsOf(user) };
    },
    // Access tokens carry the groups and departments, as providers configured for an API do.
    extraTokenClaims: async (_ctx: KoaContextWithOIDC, token: { accountId?: string }) => {
      const user = token.accountId ? users.get(token.accountId) : undefined;
      return user ? { groups: [...user.groups], departments: [...(user.departments ?? [])] } : undefined;
    },
    // First-party clients: consent is implied, as an organisation's provider does for its own services.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope('openid profile email ssc');
      grant.addResourceScope(options.apiAudience, 'api');
      await grant.save();
      return grant;
    },
    renderError: async (ctx: KoaContextWithOIDC, out: Record<string, unknown>) => {
      ctx.type = 'html';
      ctx.body = page('Identity provider error', `<pre>${escapeHtml(JSON.stringify(out))}</pre>`);
    },
  } as Configuration;
}

/** Follows the provider's redirects with a cookie jar, signs in on its login page, and stops at the client's redirect URI. */
async function signInOverHttp(start: URL, user: TestUser, redirectUri: string): Promise<URL> {
  const cookies = new Map<string, string>();
  const send = async (url: URL, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
  let url = start;
  for (let hop = 0; hop < 10; hop += 1) {
    let response = await send(url);
    if (url.pathname.startsWith('/interaction/')) {
      const body = new URLSearchParams({ username: user.username, password: user.password });
      response = await send(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    }
    const location = response.headers.get('location');
    if (!location) throw new Error(`the provider answered ${response.status} at ${url.pathname}: ${(await response.text()).slice(0, 500)}`);
    url = new URL(location, url);
    if (url.href.startsWith(redirectUri)) return url;
  }
  throw new Error('too many redirects signing in');
}
