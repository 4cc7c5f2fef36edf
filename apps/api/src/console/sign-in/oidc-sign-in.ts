import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import * as oidc from 'openid-client';
import { ApiError } from '../../common/api-error.js';
import { IdentityProvider } from '../../auth/identity-provider.js';
import { identityFromClaims, readClaim } from '../../auth/provider-claims.js';
import type { ConsoleUser } from '../session/console-session.js';

/** What the console keeps between sending someone to the provider and their return. */
interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly returnTo: string;
  readonly redirectUri: string;
  readonly startedAt: number;
}

declare module 'express-session' {
  interface SessionData {
    oidcSignIn?: PendingSignIn;
  }
}

/** A sign-in left at the provider for longer than this has to start again. */
const PENDING_LIMIT_MS = 10 * 60_000;

export type SignInOutcome = { readonly user: ConsoleUser; readonly returnTo: string } | { readonly noRole: { readonly sub: string; readonly name?: string } };

function saved(request: Request): Promise<void> {
  return new Promise((resolve, reject) => request.session.save((error) => (error ? reject(error) : resolve())));
}

/**
 * Console sign-in through the organisation's OpenID Connect provider: the authorization
 * code flow with PKCE, state and nonce (openid-client). Roles and departments come from the
 * ID token, or from the userinfo endpoint when the ID token does not carry them.
 */
@Injectable()
export class OidcSignIn {
  constructor(private readonly provider: IdentityProvider) {}

  get enabled(): boolean {
    return this.provider.config !== undefined;
  }

  /** Where to send the browser; the state, nonce and PKCE verifier wait in the session. */
  async start(request: Request, returnTo: string): Promise<URL> {
    const settings = this.provider.config!;
    const configuration = await this.available(() => this.provider.configuration());
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const pending: PendingSignIn = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier,
      returnTo,
      redirectUri: settings.redirectUrl ?? `${request.protocol}://${request.get('host')}/sign-in/callback`,
      startedAt: Date.now(),
    };
    request.session.oidcSignIn = pending;
    await saved(request);
    return oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: pending.redirectUri,
      scope: settings.scopes.join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
  }

  /** The provider sent the browser back: exchange the code, check the ID token, read who this is. */
  async finish(request: Request): Promise<SignInOutcome> {
    const pending = request.session.oidcSignIn;
    delete request.session.oidcSignIn;
    if (!pending || Date.now() - pending.startedAt > PENDING_LIMIT_MS) {
      throw new ApiError(400, 'sign-in-expired', 'this sign-in was not started here or took too long; sign in again');
    }
    const query = typeof request.query.error === 'string' ? request.query.error : undefined;
    if (query) throw new ApiError(400, 'sign-in-refused', `the identity provider did not sign you in (${query.slice(0, 100)})`);
    const settings = this.provider.config!;
    const configuration = await this.available(() => this.provider.configuration());
    const callback = new URL(pending.redirectUri);
    callback.search = new URL(request.originalUrl, 'http://callback.invalid').search;
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, callback, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      if (error instanceof oidc.ClientError || error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) {
        throw new ApiError(400, 'sign-in-failed', 'the answer from the identity provider could not be accepted; sign in again');
      }
      throw new ApiError(503, 'identity-provider-unavailable', 'the identity provider cannot be reached; try again shortly');
    }
    const idClaims = tokens.claims()!;
    let claims: Record<string, unknown> = { ...idClaims };
    const lacking = readClaim(claims, settings.rolesClaim) === undefined || readClaim(claims, settings.departmentsClaim) === undefined;
    if (lacking && configuration.serverMetadata().userinfo_endpoint) {
      const userinfo = await this.available(() => oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub));
      claims = { ...userinfo, ...claims, sub: idClaims.sub };
      for (const name of [settings.rolesClaim, settings.departmentsClaim]) {
        if (readClaim(idClaims, name) === undefined && readClaim(userinfo, name) !== undefined) claims[name] = readClaim(userinfo, name);
      }
    }
    const identity = identityFromClaims(claims, settings);
    if (identity === null) throw new ApiError(400, 'sign-in-failed', 'the identity provider did not say who you are');
    const name = typeof claims.name === 'string' ? claims.name : undefined;
    if ('noRole' in identity) return { noRole: { sub: identity.noRole.sub, ...(name ? { name } : {}) } };
    return {
      user: { ...identity.principal, method: 'identity-provider', ...(tokens.id_token ? { idToken: tokens.id_token } : {}) },
      returnTo: pending.returnTo,
    };
  }

  /** The provider's sign-out (RP-initiated logout), when it has one; then back to `returnTo`. */
  async endSessionUrl(user: ConsoleUser, returnTo: string): Promise<URL | undefined> {
    if (!this.enabled || user.method !== 'identity-provider') return undefined;
    let configuration: oidc.Configuration;
    try {
      configuration = await this.provider.configuration();
    } catch {
      return undefined; // the local session is over either way
    }
    if (!configuration.serverMetadata().end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(configuration, {
      post_logout_redirect_uri: returnTo,
      ...(user.idToken ? { id_token_hint: user.idToken } : {}),
    });
  }

  private async available<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError(503, 'identity-provider-unavailable', 'the identity provider cannot be reached; try again shortly');
    }
  }
}
