import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from './config-error.js';

/**
 * The secrets embedded mode makes for itself, by file name in DATA_DIR. Against real
 * infrastructure they are configured instead (AUTH_JWT_SECRET, AUDIT_SIGNING_KEY…) and
 * nothing is written. The console's session secret is not here: derived from the JWT
 * secret, or kept in the database every API process shares.
 */
export const GENERATED_SECRET_FILES = {
  /** HS256 secret of bearer tokens (`npm run token` and the demo sign with it). */
  jwtSecret: 'jwt-secret',
  /** Ed25519 private key (PKCS#8 PEM) that signs audit digests. */
  auditSigningKey: 'audit-signing-key.pem',
} as const;

export type GeneratedSecret = keyof typeof GENERATED_SECRET_FILES;

/** Where embedded mode keeps a generated secret. */
export function generatedSecretFile(dataDir: string, secret: GeneratedSecret): string {
  return join(dataDir, GENERATED_SECRET_FILES[secret]);
}

/** The embedded stack's JWT secret: generated on first use, the same on every later start. */
export function generatedJwtSecret(dataDir: string): string {
  return readOrCreate(generatedSecretFile(dataDir, 'jwtSecret'), () => randomBytes(48).toString('base64url')).trim();
}

/** The embedded stack's audit signing key (PEM): generated on first use, the same on every later start. */
export function generatedAuditSigningKey(dataDir: string): string {
  return readOrCreate(generatedSecretFile(dataDir, 'auditSigningKey'), () =>
    generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  );
}

/**
 * The launcher, the API and the worker may all start at once on a fresh DATA_DIR: the
 * secret is written whole to a private temporary file and linked into place only if no
 * other process got there first, so every process reads the same complete secret and
 * none ever overwrites one that tokens or digests were already signed with.
 */
function readOrCreate(file: string, create: () => string): string {
  const existing = read(file);
  if (existing !== undefined) return existing;
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, create(), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    removeQuietly(temporary);
    throw new ConfigError('DATA_DIR', `must be a writable directory to generate ${file}: ${errnoText(error)}`);
  }
  try {
    linkSync(temporary, file);
  } catch (error) {
    // EEXIST: another process created it meanwhile; theirs stands.
    if (!isErrno(error, 'EEXIST')) throw new ConfigError('DATA_DIR', `must be a writable directory to generate ${file}: ${errnoText(error)}`);
  } finally {
    removeQuietly(temporary);
  }
  const created = read(file);
  if (created === undefined) throw new ConfigError('DATA_DIR', `lost ${file} while creating it`);
  return created;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    // ENOTDIR: DATA_DIR is not a directory, which creating the file reports better.
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return undefined;
    throw new ConfigError('DATA_DIR', `holds ${file}, which cannot be read: ${errnoText(error)}`);
  }
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // nothing was written there
  }
}

/** Duck-typed: errors from node:fs may come from another realm (jest's VM) than this module's Error. */
function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}

function errnoText(error: unknown): string {
  const { code, message } = (error ?? {}) as NodeJS.ErrnoException;
  return code ?? message ?? String(error);
}
