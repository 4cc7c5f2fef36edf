import { createHmac, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isRole, parseIsoDuration, ROLES, type Role } from '../domain/index.js';
import { ConfigError } from './config-error.js';
import { generatedAuditSigningKey, generatedJwtSecret, generatedSecretFile } from './generated-secrets.js';

export interface AppConfig {
  readonly port: number;
  readonly dataDir: string;
  /** Unset: the launcher starts the embedded Temporal development server. */
  readonly temporalAddress: string | undefined;
  readonly temporalNamespace: string;
  /** Ports of the embedded dev server's frontend and web UI (only when TEMPORAL_ADDRESS is unset). */
  readonly temporalDevPort: number;
  readonly temporalDevUiPort: number;
  /** Where every process connects: TEMPORAL_ADDRESS, or the embedded dev server on 127.0.0.1:TEMPORAL_DEV_PORT. */
  readonly temporalTarget: string;
  readonly temporalTaskQueue: string;
  /** Where people open a workflow; the embedded dev server serves its UI on the frontend port + 1000. */
  readonly temporalUiUrl: string | undefined;
  /** Unset: the embedded SQLite database in DATA_DIR. */
  readonly databaseUrl: string | undefined;
  readonly sqliteFile: string;
  /**
   * HS256 secret for bearer tokens. Unset only when an identity provider is configured
   * outside embedded mode: then HS256 tokens are refused and only the provider's are accepted.
   */
  readonly authJwtSecret: string | undefined;
  readonly authJwtIssuer: string | undefined;
  readonly authJwtAudience: string | undefined;
  /** Sign-in through an OpenID Connect provider (console) and its JWTs on the API; unset: neither. */
  readonly oidc: OidcConfig | undefined;
  readonly escalationWebhookUrl: string | undefined;
  readonly commandTimeoutMs: number;
  /**
   * How long an Idempotency-Key's first answer is kept after the key's first use; past it the
   * key is purged, and a command sent again with it is still known by its id in the events.
   */
  readonly idempotencyKeyRetentionMs: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /**
   * PKCS#8 PEM of the Ed25519 key that signs audit digests. Embedded mode generates one in
   * DATA_DIR; otherwise unset means digests are refused until a key is configured.
   */
  readonly auditSigningKeyPem: string | undefined;
  /** Requests per minute for one token subject across the whole API; 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
  /** Requests per minute from one client address, with or without a token; 0 turns it off. */
  readonly rateLimitPerAddressPerMinute: number;
  /** Browser origins allowed to call the API cross-origin; empty: no CORS headers at all. */
  readonly corsOrigins: readonly string[];
  /** Express `trust proxy`: which proxies may name the client address in X-Forwarded-For. */
  readonly trustProxy: boolean | number | string;
  /** A deviation or go-live decision owed for longer than this lists the department as stuck. */
  readonly decisionWaitLimitMs: number;
  /** How often a worker sweeps Temporal for failing activities and workflow tasks. */
  readonly stuckSweepIntervalMs: number;
  /** Running workflows a sweep looks at besides those already suspected or listed. */
  readonly stuckSweepBatch: number;
  /** The worker's Prometheus port (Temporal SDK metrics and onboarding gauges); 0 turns it off. */
  readonly workerMetricsPort: number;
  /** The console's development sign-in form: embedded mode only, unless CONSOLE_DEV_SIGN_IN=true says otherwise. */
  readonly consoleDevSignIn: boolean;
  /**
   * Signs the console's session cookie; every API process behind one address must share it.
   * Unset (no AUTH_JWT_SECRET to derive it from): a secret generated once into the database.
   */
  readonly consoleSessionSecret: string | undefined;
  /** A console session unused for this long ends. */
  readonly consoleSessionIdleMs: number;
  /** A console session ends this long after sign-in, however busy. */
  readonly consoleSessionMaxMs: number;
  /** ISO 8601 duration between repeated escalations of an overdue department. */
  readonly escalationRepeat: string;
  /** How long a started onboarding waits for its registration before it reads its stream, then fails (REGISTRATION_TIMEOUT). */
  readonly registrationTimeoutMs: number;
  /** While a department is paused, how often its onboarding reads its stream for a resume its history lacks (PAUSED_CATCH_UP_INTERVAL). */
  readonly pausedCatchUpIntervalMs: number;
  /** The programme's announced band, in pence: annual savings and implementation cost. */
  readonly programmeSavingsTargetPence: readonly [number, number];
  readonly programmeCostTargetPence: readonly [number, number];
}

export interface OidcConfig {
  /** The provider's issuer identifier; its discovery document is read from `<issuer>/.well-known/openid-configuration`. */
  readonly issuerUrl: string;
  readonly clientId: string;
  /** client_secret_basic when set; otherwise private_key_jwt with `clientPrivateKeyPem`; neither: a public client (PKCE only). */
  readonly clientSecret: string | undefined;
  readonly clientPrivateKeyPem: string | undefined;
  readonly clientKeyId: string | undefined;
  /** Unset: the console's own `/sign-in/callback`, from the address the browser used. */
  readonly redirectUrl: string | undefined;
  readonly scopes: readonly string[];
  /** Claim names (a dotted path such as `realm_access.roles` reaches into objects). */
  readonly rolesClaim: string;
  readonly departmentsClaim: string;
  /** Provider group or role name → this product's roles; unset: the claim must hold the product's role names. */
  readonly roleMap: ReadonlyMap<string, readonly Role[]> | undefined;
  /** The `aud` every provider token must carry: AUTH_JWT_AUDIENCE, or else the client id. */
  readonly audience: string;
  readonly jwksCacheMaxAgeMs: number;
  readonly jwksRefreshCooldownMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function hostPort(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^[A-Za-z0-9.\-_]+:\d{1,5}$/.test(raw)) throw new ConfigError(name, `must be host:port, got "${raw}"`);
  return raw;
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}`);
  }
  return raw;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!values.includes(raw as T)) throw new ConfigError(name, `must be one of ${values.join(', ')}`);
  return raw as T;
}

function origins(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((entry) => {
    const origin = entry.trim();
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new ConfigError(name, `must be a comma-separated list of origins such as https://dashboard.example.gov.uk, got "${origin}"`);
    }
    if (!['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(name, `entries must be bare http(s) origins without path or trailing slash, got "${origin}"`);
    }
    return origin;
  });
}

/** false (default), true, a hop count, or proxy addresses/subnets such as "loopback, 10.0.0.0/8". */
function trustProxy(env: Env, name: string): boolean | number | string {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  if (!/^[A-Za-z0-9.:/_\-]+(\s*,\s*[A-Za-z0-9.:/_\-]+)*$/.test(raw)) {
    throw new ConfigError(name, 'must be true, false, a number of hops, or a comma-separated list of addresses, subnets or loopback/linklocal/uniquelocal');
  }
  return raw;
}

/** An ISO 8601 duration such as `P7D` or `PT30S`, in milliseconds. */
function duration(env: Env, name: string, fallback: string): number {
  const raw = env[name] || fallback;
  let ms: number;
  try {
    ms = parseIsoDuration(raw);
  } catch {
    throw new ConfigError(name, `must be an ISO 8601 duration such as P7D or PT30S, got "${raw}"`);
  }
  if (ms <= 0) throw new ConfigError(name, 'must be longer than zero');
  return ms;
}

/** The duration as written, once it is known to be valid: events record the text. */
function durationText(env: Env, name: string, fallback: string): string {
  duration(env, name, fallback);
  return env[name] || fallback;
}

/** `min-max` in whole pounds, e.g. `400000000-600000000`; kept in pence. */
function poundsRange(env: Env, name: string, fallback: string): readonly [number, number] {
  const raw = env[name] || fallback;
  const match = /^(\d{1,13})-(\d{1,13})$/.exec(raw);
  if (match === null || Number(match[1]) > Number(match[2])) {
    throw new ConfigError(name, `must be min-max in whole pounds such as 400000000-600000000, got "${raw}"`);
  }
  return [Number(match[1]) * 100, Number(match[2]) * 100];
}

/**
 * In embedded mode a secret is generated once and kept in DATA_DIR so tokens survive a
 * restart; against real infrastructure it must be given.
 */
function jwtSecret(env: Env, dataDir: string, embedded: boolean, withProvider: boolean): string | undefined {
  const given = env.AUTH_JWT_SECRET;
  if (given !== undefined && given !== '') {
    if (given.length < 32) throw new ConfigError('AUTH_JWT_SECRET', 'must be at least 32 characters');
    return given;
  }
  if (!embedded && withProvider) return undefined;
  if (!embedded) throw new ConfigError('AUTH_JWT_SECRET', 'is required when DATABASE_URL or TEMPORAL_ADDRESS is set (unless OIDC_ISSUER_URL is)');
  const generated = generatedJwtSecret(dataDir);
  if (generated.length < 32) {
    throw new ConfigError('DATA_DIR', `holds ${generatedSecretFile(dataDir, 'jwtSecret')}, shorter than 32 characters: delete it to generate a new one`);
  }
  return generated;
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** The provider is trusted with who people are: https, except on this machine (development and tests). */
function issuerUrl(env: Env): string | undefined {
  const raw = url(env, 'OIDC_ISSUER_URL', ['http:', 'https:']);
  if (raw === undefined) return undefined;
  const parsed = new URL(raw);
  if (parsed.protocol === 'http:' && !LOOPBACK_HOSTS.includes(parsed.hostname)) {
    throw new ConfigError('OIDC_ISSUER_URL', 'must use https (http is allowed only for localhost)');
  }
  if (parsed.search || parsed.hash) throw new ConfigError('OIDC_ISSUER_URL', 'must not carry a query or fragment');
  return raw;
}

const CLAIM_PATH = /^[A-Za-z0-9_:\/.\-]{1,200}$/;

function claimName(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim() || fallback;
  if (!CLAIM_PATH.test(raw)) throw new ConfigError(name, `must be a claim name or dotted path such as realm_access.roles, got "${raw}"`);
  return raw;
}

/** `OIDC_ROLE_MAP=ssc-leads=lead,ssc-programme-office=programme`: a name may be repeated to give several roles. */
function roleMap(env: Env): ReadonlyMap<string, readonly Role[]> | undefined {
  const raw = env.OIDC_ROLE_MAP?.trim();
  if (raw === undefined || raw === '') return undefined;
  const map = new Map<string, Role[]>();
  for (const entry of raw.split(',')) {
    const at = entry.lastIndexOf('=');
    const group = entry.slice(0, at).trim();
    const role = entry.slice(at + 1).trim();
    if (at <= 0 || group === '') {
      throw new ConfigError('OIDC_ROLE_MAP', `must be comma-separated group=role pairs such as ssc-leads=lead, got "${entry.trim()}"`);
    }
    if (!isRole(role)) throw new ConfigError('OIDC_ROLE_MAP', `maps "${group}" to "${role}", which is not one of ${ROLES.join(', ')}`);
    map.set(group, [...new Set([...(map.get(group) ?? []), role])]);
  }
  return map;
}

function scopes(env: Env): string[] {
  const raw = env.OIDC_SCOPES?.trim() || 'openid profile email';
  const list = [...new Set(raw.split(/[\s,]+/).filter(Boolean))];
  if (!list.includes('openid')) throw new ConfigError('OIDC_SCOPES', 'must include openid');
  if (list.some((scope) => !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope))) throw new ConfigError('OIDC_SCOPES', 'must be scope tokens separated by spaces');
  return list;
}

/**
 * A private key for private_key_jwt client authentication (RSA, EC or Ed25519, PEM); like
 * the audit key's variables, the inline secret wins and the file is then not read.
 */
function clientPrivateKey(env: Env, secretGiven: boolean): string | undefined {
  const file = env.OIDC_CLIENT_PRIVATE_KEY_FILE;
  if (file === undefined || file === '' || secretGiven) return undefined;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError('OIDC_CLIENT_PRIVATE_KEY_FILE', `cannot read "${file}"`);
  }
  try {
    const type = createPrivateKey(pem).asymmetricKeyType;
    if (type === 'rsa' || type === 'ec' || type === 'ed25519') return pem;
  } catch {
    // reported below without echoing the key
  }
  throw new ConfigError('OIDC_CLIENT_PRIVATE_KEY_FILE', 'must hold an RSA, EC or Ed25519 private key in PEM form');
}

function oidc(env: Env): OidcConfig | undefined {
  const issuer = issuerUrl(env);
  const clientId = env.OIDC_CLIENT_ID?.trim() || undefined;
  if (issuer === undefined) {
    const stray = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_CLIENT_PRIVATE_KEY_FILE', 'OIDC_REDIRECT_URL', 'OIDC_ROLE_MAP'].find((name) => env[name]);
    if (stray) throw new ConfigError(stray, 'has no effect without OIDC_ISSUER_URL');
    return undefined;
  }
  if (clientId === undefined) throw new ConfigError('OIDC_CLIENT_ID', 'is required when OIDC_ISSUER_URL is set');
  const clientSecret = env.OIDC_CLIENT_SECRET || undefined;
  const clientPrivateKeyPem = clientPrivateKey(env, clientSecret !== undefined);
  return {
    issuerUrl: issuer,
    clientId,
    clientSecret,
    clientPrivateKeyPem,
    clientKeyId: env.OIDC_CLIENT_KEY_ID?.trim() || undefined,
    redirectUrl: url(env, 'OIDC_REDIRECT_URL', ['http:', 'https:']),
    scopes: scopes(env),
    rolesClaim: claimName(env, 'OIDC_ROLES_CLAIM', 'roles'),
    departmentsClaim: claimName(env, 'OIDC_DEPARTMENTS_CLAIM', 'departments'),
    roleMap: roleMap(env),
    audience: env.AUTH_JWT_AUDIENCE || clientId,
    jwksCacheMaxAgeMs: duration(env, 'OIDC_JWKS_CACHE_MAX_AGE', 'PT10M'),
    jwksRefreshCooldownMs: duration(env, 'OIDC_JWKS_REFRESH_COOLDOWN', 'PT30S'),
  };
}

/**
 * Anyone who can reach a console with the development sign-in can act as anyone: it is on
 * in embedded mode (one person's machine) and off elsewhere unless explicitly turned on.
 */
function devSignIn(env: Env, embedded: boolean): boolean {
  const raw = env.CONSOLE_DEV_SIGN_IN;
  if (raw === undefined || raw === '') return embedded;
  if (raw !== 'true' && raw !== 'false') throw new ConfigError('CONSOLE_DEV_SIGN_IN', `must be true or false, got "${raw}"`);
  return raw === 'true';
}

/** Given, or derived from the JWT secret that every API process already shares. */
function sessionSecret(env: Env, jwtSecretValue: string | undefined): string | undefined {
  const given = env.CONSOLE_SESSION_SECRET;
  if (given !== undefined && given !== '') {
    if (given.length < 32) throw new ConfigError('CONSOLE_SESSION_SECRET', 'must be at least 32 characters');
    return given;
  }
  // Without either, the console keeps one generated secret in the database (shared, kept across restarts).
  if (jwtSecretValue === undefined) return undefined;
  return createHmac('sha256', jwtSecretValue).update('ssc-onboarding console session').digest('base64url');
}

/**
 * AUDIT_SIGNING_KEY (the PEM itself; `\n` escapes allowed) wins over AUDIT_SIGNING_KEY_FILE
 * (a path to it). Either must hold an Ed25519 private key.
 */
function auditSigningKey(env: Env, dataDir: string, embedded: boolean): string | undefined {
  const inline = env.AUDIT_SIGNING_KEY;
  const file = env.AUDIT_SIGNING_KEY_FILE;
  if (inline !== undefined && inline !== '') return ed25519Pem('AUDIT_SIGNING_KEY', inline.replace(/\\n/g, '\n'));
  if (file !== undefined && file !== '') {
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch {
      throw new ConfigError('AUDIT_SIGNING_KEY_FILE', `cannot read "${file}"`);
    }
    return ed25519Pem('AUDIT_SIGNING_KEY_FILE', pem);
  }
  if (!embedded) return undefined;
  return ed25519Pem(generatedSecretFile(dataDir, 'auditSigningKey'), generatedAuditSigningKey(dataDir));
}

function ed25519Pem(variable: string, pem: string): string {
  try {
    if (createPrivateKey(pem).asymmetricKeyType === 'ed25519') return pem;
  } catch {
    // reported below without echoing the key
  }
  throw new ConfigError(variable, 'must be an Ed25519 private key in PKCS#8 PEM form (openssl genpkey -algorithm ed25519)');
}

/**
 * Every environment variable `loadConfig` reads, and so the only ones a deployment may set
 * for the API or the worker; a unit test keeps this list and `loadConfig` in step.
 */
export const CONFIG_VARIABLES: readonly string[] = [
  'PORT',
  'DATA_DIR',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_DEV_PORT',
  'TEMPORAL_DEV_UI_PORT',
  'TEMPORAL_TASK_QUEUE',
  'TEMPORAL_UI_URL',
  'DATABASE_URL',
  'AUTH_JWT_SECRET',
  'AUTH_JWT_ISSUER',
  'AUTH_JWT_AUDIENCE',
  'ESCALATION_WEBHOOK_URL',
  'COMMAND_TIMEOUT_MS',
  'IDEMPOTENCY_KEY_RETENTION',
  'LOG_LEVEL',
  'AUDIT_SIGNING_KEY',
  'AUDIT_SIGNING_KEY_FILE',
  'RATE_LIMIT_PER_MINUTE',
  'RATE_LIMIT_PER_ADDRESS_PER_MINUTE',
  'CORS_ORIGINS',
  'TRUST_PROXY',
  'DECISION_WAIT_LIMIT',
  'STUCK_SWEEP_INTERVAL',
  'STUCK_SWEEP_BATCH',
  'WORKER_METRICS_PORT',
  'OIDC_ISSUER_URL',
  'OIDC_CLIENT_ID',
  'OIDC_CLIENT_SECRET',
  'OIDC_CLIENT_PRIVATE_KEY_FILE',
  'OIDC_CLIENT_KEY_ID',
  'OIDC_REDIRECT_URL',
  'OIDC_SCOPES',
  'OIDC_ROLES_CLAIM',
  'OIDC_DEPARTMENTS_CLAIM',
  'OIDC_ROLE_MAP',
  'OIDC_JWKS_CACHE_MAX_AGE',
  'OIDC_JWKS_REFRESH_COOLDOWN',
  'CONSOLE_DEV_SIGN_IN',
  'CONSOLE_SESSION_SECRET',
  'CONSOLE_SESSION_IDLE',
  'CONSOLE_SESSION_MAX',
  'ESCALATION_REPEAT',
  'REGISTRATION_TIMEOUT',
  'PAUSED_CATCH_UP_INTERVAL',
  'PROGRAMME_SAVINGS_TARGET',
  'PROGRAMME_COST_TARGET',
];

export function loadConfig(env: Env = process.env): AppConfig {
  const dataDir = resolve(env.DATA_DIR || './data');
  const temporalAddress = hostPort(env, 'TEMPORAL_ADDRESS');
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const embedded = temporalAddress === undefined && databaseUrl === undefined;
  const temporalDevPort = integer(env, 'TEMPORAL_DEV_PORT', 7233, 1, 65535);
  const provider = oidc(env);
  const authJwtSecret = jwtSecret(env, dataDir, embedded, provider !== undefined);
  return {
    port: integer(env, 'PORT', 3000, 1, 65535),
    dataDir,
    temporalAddress,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    temporalDevPort,
    temporalTarget: temporalAddress ?? `127.0.0.1:${temporalDevPort}`,
    temporalDevUiPort: integer(env, 'TEMPORAL_DEV_UI_PORT', 8233, 1, 65535),
    temporalTaskQueue: env.TEMPORAL_TASK_QUEUE || 'ssc-onboarding',
    temporalUiUrl: url(env, 'TEMPORAL_UI_URL', ['http:', 'https:']),
    databaseUrl,
    sqliteFile: join(dataDir, 'ssc-onboarding.sqlite'),
    authJwtSecret,
    authJwtIssuer: env.AUTH_JWT_ISSUER || undefined,
    authJwtAudience: env.AUTH_JWT_AUDIENCE || undefined,
    oidc: provider,
    escalationWebhookUrl: url(env, 'ESCALATION_WEBHOOK_URL', ['http:', 'https:']),
    commandTimeoutMs: integer(env, 'COMMAND_TIMEOUT_MS', 30_000, 1000, 600_000),
    idempotencyKeyRetentionMs: duration(env, 'IDEMPOTENCY_KEY_RETENTION', 'PT24H'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info'),
    auditSigningKeyPem: auditSigningKey(env, dataDir, embedded),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    rateLimitPerAddressPerMinute: integer(env, 'RATE_LIMIT_PER_ADDRESS_PER_MINUTE', 1200, 0, 1_000_000),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    trustProxy: trustProxy(env, 'TRUST_PROXY'),
    decisionWaitLimitMs: duration(env, 'DECISION_WAIT_LIMIT', 'P7D'),
    stuckSweepIntervalMs: duration(env, 'STUCK_SWEEP_INTERVAL', 'PT30S'),
    stuckSweepBatch: integer(env, 'STUCK_SWEEP_BATCH', 200, 1, 1000),
    workerMetricsPort: integer(env, 'WORKER_METRICS_PORT', 9464, 0, 65535),
    consoleDevSignIn: devSignIn(env, embedded),
    consoleSessionSecret: sessionSecret(env, authJwtSecret),
    consoleSessionIdleMs: duration(env, 'CONSOLE_SESSION_IDLE', 'PT30M'),
    consoleSessionMaxMs: duration(env, 'CONSOLE_SESSION_MAX', 'PT8H'),
    escalationRepeat: durationText(env, 'ESCALATION_REPEAT', 'P7D'),
    registrationTimeoutMs: duration(env, 'REGISTRATION_TIMEOUT', 'PT10M'),
    pausedCatchUpIntervalMs: duration(env, 'PAUSED_CATCH_UP_INTERVAL', 'PT1H'),
    programmeSavingsTargetPence: poundsRange(env, 'PROGRAMME_SAVINGS_TARGET', '400000000-600000000'),
    programmeCostTargetPence: poundsRange(env, 'PROGRAMME_COST_TARGET', '44000000-95000000'),
  };
}

/** Reads the configuration or exits with the message naming the bad variable. */
export function loadConfigOrExit(env: Env = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
