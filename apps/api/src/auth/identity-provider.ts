import { createPrivateKey } from 'node:crypto';
import { createRemoteJWKSet, importPKCS8, type JWTVerifyGetKey } from 'jose';
import * as oidc from 'openid-client';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig, OidcConfig } from '../../../../libs/config/index.js';
import { APP_CONFIG } from '../common/tokens.js';

/** The provider could not be reached (discovery or its key set): a dependency is down, 503. */
export class IdentityProviderUnavailable extends Error {
  constructor(cause: unknown) {
    super(`the identity provider cannot be reached: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'IdentityProviderUnavailable';
  }
}

const DISCOVERY_TIMEOUT_SECONDS = 5;
/** After a failed discovery, requests fail fast for this long instead of each waiting on the provider. */
const DISCOVERY_RETRY_MS = 5_000;

const EC_ALGORITHMS: Readonly<Record<string, string>> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

/** client_secret_basic, private_key_jwt (the key's own algorithm) or none (a public client, PKCE only). */
async function clientAuthentication(config: OidcConfig): Promise<oidc.ClientAuth> {
  if (config.clientSecret) return oidc.ClientSecretBasic(config.clientSecret);
  if (!config.clientPrivateKeyPem) return oidc.None();
  const key = createPrivateKey(config.clientPrivateKeyPem);
  const type = key.asymmetricKeyType;
  const alg = type === 'rsa' ? 'RS256' : type === 'ed25519' ? 'EdDSA' : EC_ALGORITHMS[key.asymmetricKeyDetails?.namedCurve ?? ''];
  if (!alg) throw new Error('OIDC_CLIENT_PRIVATE_KEY_FILE holds a key of an unsupported type or curve');
  const cryptoKey = await importPKCS8(key.export({ type: 'pkcs8', format: 'pem' }).toString(), alg);
  return oidc.PrivateKeyJwt({ key: cryptoKey, ...(config.clientKeyId ? { kid: config.clientKeyId } : {}) });
}

/**
 * The configured OpenID Connect provider, discovered on first use (the API starts even
 * when the provider is briefly down) and shared by the console's sign-in and the API's
 * token checks. Its signing keys are cached; a token naming a key not in the cache fetches
 * the key set again, at most once per OIDC_JWKS_REFRESH_COOLDOWN, so rotation needs no
 * restart and a flood of made-up key ids cannot hammer the provider.
 */
@Injectable()
export class IdentityProvider {
  private discovered: Promise<oidc.Configuration> | undefined;
  private failedAt = 0;
  private keySet: JWTVerifyGetKey | undefined;
  /** Unset: no provider is configured (OIDC_ISSUER_URL), and nothing here may be called. */
  readonly config: OidcConfig | undefined;

  constructor(@Inject(APP_CONFIG) appConfig: Pick<AppConfig, 'oidc'>) {
    this.config = appConfig.oidc;
  }

  private settings(): OidcConfig {
    if (!this.config) throw new Error('no identity provider is configured (OIDC_ISSUER_URL)');
    return this.config;
  }

  /** The openid-client configuration: endpoints, client authentication, the provider's issuer. */
  async configuration(): Promise<oidc.Configuration> {
    if (!this.discovered && Date.now() - this.failedAt < DISCOVERY_RETRY_MS) {
      throw new IdentityProviderUnavailable('discovery failed moments ago');
    }
    this.discovered ??= this.discover();
    return this.discovered;
  }

  /** The issuer every provider token must name, as the provider's discovery document states it. */
  async issuer(): Promise<string> {
    return (await this.configuration()).serverMetadata().issuer;
  }

  async keys(): Promise<JWTVerifyGetKey> {
    if (this.keySet) return this.keySet;
    const jwksUri = (await this.configuration()).serverMetadata().jwks_uri;
    if (!jwksUri) throw new IdentityProviderUnavailable('the discovery document names no jwks_uri');
    const settings = this.settings();
    this.keySet = createRemoteJWKSet(new URL(jwksUri), {
      cacheMaxAge: settings.jwksCacheMaxAgeMs,
      cooldownDuration: settings.jwksRefreshCooldownMs,
      timeoutDuration: DISCOVERY_TIMEOUT_SECONDS * 1000,
    });
    return this.keySet;
  }

  private async discover(): Promise<oidc.Configuration> {
    const settings = this.settings();
    const insecure = new URL(settings.issuerUrl).protocol === 'http:';
    try {
      return await oidc.discovery(new URL(settings.issuerUrl), settings.clientId, undefined, await clientAuthentication(settings), {
        timeout: DISCOVERY_TIMEOUT_SECONDS,
        // Config allows http only for localhost (development and tests).
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
      });
    } catch (error) {
      this.discovered = undefined;
      this.failedAt = Date.now();
      throw new IdentityProviderUnavailable(error);
    }
  }
}
