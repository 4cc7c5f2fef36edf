import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { AppConfig } from '../../../../libs/config/index.js';

const CENSOR = '[REDACTED]';
/** A compact JWS (header.payload.signature), whatever it is labelled as. */
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9_\-.~+/=]+/gi;
const SENSITIVE_KEY = /authorization|cookie|token|secret|password|passwd|api[-_]?key/i;
/** Credentials written into a URL, e.g. postgres://user:password@host. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi;

/** Scrubs secrets out of anything about to be logged: strings, errors and plain objects. */
export function redact(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const copy = new Error(redactText(value.message, secrets));
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : redactText(value.stack, secrets);
    return copy;
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, secrets, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [
      key,
      SENSITIVE_KEY.test(key) ? CENSOR : redact(item, secrets, depth + 1),
    ]),
  );
}

export function redactText(text: string, secrets: readonly string[] = []): string {
  let clean = text.replace(BEARER, `$1 ${CENSOR}`).replace(JWT, CENSOR).replace(URL_CREDENTIALS, `$1:${CENSOR}@`);
  for (const secret of secrets) {
    if (secret.length >= 8) clean = clean.split(secret).join(CENSOR);
  }
  return clean;
}

const LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  // Nest's own `log` lines are start-up chatter (routes mapped); they stay out below debug.
  info: ['fatal', 'error', 'warn'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/**
 * The API's logger: nothing that reaches it can carry the JWT secret, a bearer token, an
 * Authorization header or database credentials, whoever calls it (Nest, our filters, libraries).
 */
export class RedactingLogger extends ConsoleLogger {
  private readonly secrets: readonly string[];

  constructor(config: Pick<AppConfig, 'logLevel' | 'authJwtSecret'> & Partial<Pick<AppConfig, 'oidc'>>) {
    super({ logLevels: LEVELS[config.logLevel] });
    this.secrets = [config.authJwtSecret, config.oidc?.clientSecret].filter((secret): secret is string => secret !== undefined);
  }

  override log(message: unknown, ...params: unknown[]): void {
    super.log(this.clean(message), ...this.cleanAll(params));
  }
  override error(message: unknown, ...params: unknown[]): void {
    super.error(this.clean(message), ...this.cleanAll(params));
  }
  override warn(message: unknown, ...params: unknown[]): void {
    super.warn(this.clean(message), ...this.cleanAll(params));
  }
  override debug(message: unknown, ...params: unknown[]): void {
    super.debug(this.clean(message), ...this.cleanAll(params));
  }
  override verbose(message: unknown, ...params: unknown[]): void {
    super.verbose(this.clean(message), ...this.cleanAll(params));
  }
  override fatal(message: unknown, ...params: unknown[]): void {
    super.fatal(this.clean(message), ...this.cleanAll(params));
  }

  private clean(value: unknown): unknown {
    return redact(value, this.secrets);
  }
  private cleanAll(values: unknown[]): unknown[] {
    return values.map((value) => this.clean(value));
  }
}
